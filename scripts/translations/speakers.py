"""Seminars, the speaker workflow: the speaker's page, refused links, and the invitation,
nudge and reminder e-mails. Roles and answers are in seminars.py."""

AR = {
    "Please confirm your sessions at %(exhibition)s": "المرجو تأكيد جلساتكم في %(exhibition)s",
    "Reminder: please answer for your sessions at %(exhibition)s": "تذكير: المرجو الرد بشأن جلساتكم في %(exhibition)s",
    "Reminder: %(title)s, %(when)s": "تذكير: %(title)s، %(when)s",
    "The organizers of %(exhibition)s have listed you in these sessions:": "أدرجكم منظمو %(exhibition)s في الجلسات التالية:",
    "We have not heard from you yet about these sessions at %(exhibition)s:": "لم نتوصل بعد بردكم بشأن هذه الجلسات في %(exhibition)s:",
    "For each session, confirm, ask for another time or decline on your page:": "لكل جلسة، أكدوا حضوركم أو اطلبوا موعدا آخر أو اعتذروا، في صفحتكم:",
    "This link is yours alone. It opens your page until %(date)s.": "هذا الرابط خاص بكم وحدكم. يفتح صفحتكم إلى غاية %(date)s.",
    "Your session at %(exhibition)s is coming:": "اقترب موعد جلستكم في %(exhibition)s:",
    "Your page, to change your answer:": "صفحتكم، لتغيير ردكم:",
    "Times are local to the exhibition (%(zone)s).": "المواعيد بالتوقيت المحلي للمعرض (%(zone)s).",
    "Answer for my sessions": "الرد بشأن جلساتي",
    "Open my page": "فتح صفحتي",
    "This link is not valid: copy all of it from the e-mail, or ask the organizers for a new one.": "هذا الرابط غير صالح: انسخوه كاملا من الرسالة، أو اطلبوا رابطا جديدا من المنظمين.",
    "This link has expired. Ask the organizers for a new one if you still need it.": "انتهت صلاحية هذا الرابط. اطلبوا رابطا جديدا من المنظمين إن كنتم ما زلتم في حاجة إليه.",
    "This link has been replaced by a newer one. Use the link in the organizers' latest e-mail.": "عُوِّض هذا الرابط برابط أحدث. استعملوا الرابط الوارد في آخر رسالة من المنظمين.",
    "Say which days and times would suit you.": "اذكروا الأيام والأوقات التي تناسبكم.",
    "This session was cancelled.": "أُلغيت هذه الجلسة.",
    "Your sessions": "جلساتكم",
    "This link does not open": "هذا الرابط لا يفتح",
    "No seminar session is linked to your account.": "لا توجد أي جلسة مرتبطة بحسابكم.",
    "Your sessions, %(name)s": "جلساتكم، %(name)s",
    "For each session, confirm, ask for another time or decline. You can change your answer later on this page.": "لكل جلسة، أكدوا حضوركم أو اطلبوا موعدا آخر أو اعتذروا. يمكنكم تغيير ردكم لاحقا في هذه الصفحة.",
    "You are not in any session yet.": "لستم مدرجين في أي جلسة بعد.",
    "Your answer is recorded. Thank you.": "سُجِّل ردكم. شكرا لكم.",
    "When": "الموعد",
    "Where": "المكان",
    "Room to be announced": "القاعة ستُعلن لاحقا",
    "Your role": "دوركم",
    "With": "بمشاركة",
    "Your answer": "ردكم",
    "I confirm": "أؤكد حضوري",
    "I ask for another time": "أطلب موعدا آخر",
    "I decline": "أعتذر",
    "Message to the organizers": "رسالة إلى المنظمين",
    "Required when you ask for another time: say which days and times would suit you.": "إلزامية عند طلب موعد آخر: اذكروا الأيام والأوقات التي تناسبكم.",
    "Send my answer": "إرسال ردي",
    "Keep this page's address private: it is your personal link.": "احتفظوا بعنوان هذه الصفحة لأنفسكم: إنه رابطكم الشخصي.",
}

FR = {
    "Please confirm your sessions at %(exhibition)s": "Merci de confirmer vos séances – %(exhibition)s",
    "Reminder: please answer for your sessions at %(exhibition)s": "Rappel : merci de répondre pour vos séances – %(exhibition)s",
    "Reminder: %(title)s, %(when)s": "Rappel : %(title)s, %(when)s",
    "The organizers of %(exhibition)s have listed you in these sessions:": "Les organisateurs de « %(exhibition)s » vous ont inscrit aux séances suivantes :",
    "We have not heard from you yet about these sessions at %(exhibition)s:": "Nous n'avons pas encore votre réponse pour ces séances de « %(exhibition)s » :",
    "For each session, confirm, ask for another time or decline on your page:": "Pour chaque séance, confirmez, demandez un autre horaire ou déclinez sur votre page :",
    "This link is yours alone. It opens your page until %(date)s.": "Ce lien est personnel. Il ouvre votre page jusqu'au %(date)s.",
    "Your session at %(exhibition)s is coming:": "Votre séance approche (%(exhibition)s) :",
    "Your page, to change your answer:": "Votre page, pour modifier votre réponse :",
    "Times are local to the exhibition (%(zone)s).": "Horaires à l'heure locale du salon (%(zone)s).",
    "Answer for my sessions": "Répondre pour mes séances",
    "Open my page": "Ouvrir ma page",
    "This link is not valid: copy all of it from the e-mail, or ask the organizers for a new one.": "Ce lien n'est pas valide : copiez-le en entier depuis le courriel, ou demandez-en un nouveau aux organisateurs.",
    "This link has expired. Ask the organizers for a new one if you still need it.": "Ce lien a expiré. Demandez-en un nouveau aux organisateurs si vous en avez encore besoin.",
    "This link has been replaced by a newer one. Use the link in the organizers' latest e-mail.": "Ce lien a été remplacé par un plus récent. Utilisez le lien du dernier courriel des organisateurs.",
    "Say which days and times would suit you.": "Indiquez les jours et heures qui vous conviendraient.",
    "This session was cancelled.": "Cette séance a été annulée.",
    "Your sessions": "Vos séances",
    "This link does not open": "Ce lien ne s'ouvre pas",
    "No seminar session is linked to your account.": "Aucune séance n'est liée à votre compte.",
    "Your sessions, %(name)s": "Vos séances, %(name)s",
    "For each session, confirm, ask for another time or decline. You can change your answer later on this page.": "Pour chaque séance, confirmez, demandez un autre horaire ou déclinez. Vous pourrez modifier votre réponse plus tard sur cette page.",
    "You are not in any session yet.": "Vous n'êtes encore inscrit à aucune séance.",
    "Your answer is recorded. Thank you.": "Votre réponse est enregistrée. Merci.",
    "When": "Quand",
    "Where": "Où",
    "Room to be announced": "Salle à préciser",
    "Your role": "Votre rôle",
    "With": "Avec",
    "Your answer": "Votre réponse",
    "I confirm": "Je confirme",
    "I ask for another time": "Je demande un autre horaire",
    "I decline": "Je décline",
    "Message to the organizers": "Message aux organisateurs",
    "Required when you ask for another time: say which days and times would suit you.": "Obligatoire si vous demandez un autre horaire : indiquez les jours et heures qui vous conviendraient.",
    "Send my answer": "Envoyer ma réponse",
    "Keep this page's address private: it is your personal link.": "Gardez l'adresse de cette page pour vous : c'est votre lien personnel.",
}

AR.update(
    {
        "Each person with an e-mail address gets their own signed link to confirm, ask for another time or decline, once; people added later are invited the next time.": "يتلقى كل شخص له عنوان بريد إلكتروني رابطه الموقَّع الخاص مرة واحدة، ليؤكد مشاركته أو يطلب موعدا آخر أو يعتذر؛ ومن أضيف لاحقا يُدعى في المرة المقبلة.",
        "Invite the speakers": "دعوة المتدخلين",
        "%(num)d invitation queued.": (
            "لم تُرسل أي دعوة.",
            "أُرسلت دعوة واحدة.",
            "أُرسلت دعوتان.",
            "أُرسلت %(num)d دعوات.",
            "أُرسلت %(num)d دعوة.",
            "أُرسلت %(num)d دعوة.",
        ),
        "Answers": "الردود",
    }
)
FR.update(
    {
        "Each person with an e-mail address gets their own signed link to confirm, ask for another time or decline, once; people added later are invited the next time.": "Chaque personne qui a une adresse e-mail reçoit une fois son propre lien signé pour confirmer, demander un autre horaire ou décliner ; les personnes ajoutées ensuite sont invitées la fois suivante.",
        "Invite the speakers": "Inviter les intervenants",
        "%(num)d invitation queued.": (
            "%(num)d invitation envoyée.",
            "%(num)d invitations envoyées.",
            "%(num)d invitations envoyées.",
        ),
        "Answers": "Réponses",
    }
)

# The speaker's own calendar.
AR["Add your sessions to your calendar (.ics)"] = "أضيفوا جلساتكم إلى مفكرتكم (ملف ics)"
FR["Add your sessions to your calendar (.ics)"] = "Ajouter vos séances à votre agenda (.ics)"
