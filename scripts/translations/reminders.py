"""Reminders: the e-mails of schedules/reminders.toml's rules and the organizers' reminders page."""

AR = {
    "Tomorrow: %(exhibition)s": "غدا: %(exhibition)s",
    "%(exhibition)s opens tomorrow. Your ticket is ready.": "يفتح %(exhibition)s أبوابه غدا. تذكرتكم جاهزة.",
    "Reminder": "تذكير",
    "Stand set-up on %(day)s: %(exhibition)s": "تجهيز الأروقة يوم %(day)s: %(exhibition)s",
    "The stand set-up for %(exhibition)s is on %(day)s.": "يجري تجهيز الأروقة الخاصة بـ%(exhibition)s يوم %(day)s.",
    "Opening": "الافتتاح",
    "Your application, your stand and your badges:": "طلبكم ورواقكم وشاراتكم:",
    "Open my application": "فتح طلبي",
    "You registered for this session at %(exhibition)s:": "سجّلتم في هذه الجلسة ضمن %(exhibition)s:",
    "Bring your badge: it opens the exhibitors' entrance.": "أحضروا شارتكم: بها تدخلون من مدخل العارضين.",
    "Only the exhibition's organizers see its reminders.": "لا يطّلع على تذكيرات المعرض إلا منظموه.",
    "SMS is off: this rule is skipped.": "الرسائل القصيرة معطّلة: لا تُطبَّق هذه القاعدة.",
    "Three days after each invitation, then every three days, until an answer or the programme's publication.": "بعد ثلاثة أيام من كل دعوة، ثم كل ثلاثة أيام، إلى أن يصل الرد أو يُنشر البرنامج.",
    "The exhibition has no date for this anchor yet: nothing is sent.": "لا يتوفر المعرض بعد على تاريخ لهذا المرجع: لا يُرسل شيء.",
}

FR = {
    "Tomorrow: %(exhibition)s": "Demain : %(exhibition)s",
    "%(exhibition)s opens tomorrow. Your ticket is ready.": "%(exhibition)s ouvre demain. Votre billet est prêt.",
    "Reminder": "Rappel",
    "Stand set-up on %(day)s: %(exhibition)s": "Montage des stands le %(day)s : %(exhibition)s",
    "The stand set-up for %(exhibition)s is on %(day)s.": "Le montage des stands de %(exhibition)s a lieu le %(day)s.",
    "Opening": "Ouverture",
    "Your application, your stand and your badges:": "Votre candidature, votre stand et vos badges :",
    "Open my application": "Ouvrir ma candidature",
    "You registered for this session at %(exhibition)s:": "Vous êtes inscrit à cette séance de %(exhibition)s :",
    "Bring your badge: it opens the exhibitors' entrance.": "Apportez votre badge : il ouvre l'entrée des exposants.",
    "Only the exhibition's organizers see its reminders.": "Seuls les organisateurs de l'exposition voient ses rappels.",
    "SMS is off: this rule is skipped.": "Les SMS sont désactivés : cette règle est ignorée.",
    "Three days after each invitation, then every three days, until an answer or the programme's publication.": "Trois jours après chaque invitation, puis tous les trois jours, jusqu'à une réponse ou la publication du programme.",
    "The exhibition has no date for this anchor yet: nothing is sent.": "L'exposition n'a pas encore de date pour ce repère : rien n'est envoyé.",
}
