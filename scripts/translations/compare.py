"""Attendance, the organizers' side: the page that compares editions, and its downloads."""

AR = {
    "Compare editions": "مقارنة الدورات",
    "This exhibition beside others: a national exhibition against a regional market, one year against another. The figures count what happened at the gates; they describe the editions and do not explain the differences.": "هذا المعرض إلى جانب غيره: معرض وطني مقابل سوق جهوي، وسنة مقابل أخرى. تعدّ الأرقام ما جرى عند الأبواب؛ فهي تصف الدورات ولا تفسّر الفروق بينها.",
    "Compare with": "المقارنة مع",
    "There is no other exhibition you may see the figures of.": "لا يوجد معرض آخر يحق لك الاطلاع على أرقامه.",
    "Compare": "قارن",
    "Totals": "المجاميع",
    "Edition": "الدورة",
    "Hour profile": "التوزيع حسب الساعة",
    "Share of the admissions in each local hour": "حصة الدخول في كل ساعة بالتوقيت المحلي",
    "Day %(number)s": "اليوم %(number)s",
    "Days of the exhibition": "أيام المعرض",
    "Not drawn in the charts, since nobody has been admitted yet:": "لا تظهر في الرسوم لأنه لم يدخلها أحد بعد:",
    "At most %(num)s editions beside this one: the first %(num)s ticked are shown.": "%(num)s دورات على الأكثر إلى جانب هذه الدورة: تُعرض أول %(num)s دورات مختارة.",
}

FR = {
    "Compare editions": "Comparer les éditions",
    "This exhibition beside others: a national exhibition against a regional market, one year against another. The figures count what happened at the gates; they describe the editions and do not explain the differences.": "Ce salon à côté d'autres : un salon national face à un marché régional, une année face à une autre. Les chiffres comptent ce qui s'est passé aux portes ; ils décrivent les éditions et n'en expliquent pas les écarts.",
    "Compare with": "Comparer avec",
    "There is no other exhibition you may see the figures of.": "Il n'y a aucun autre salon dont vous pouvez voir les chiffres.",
    "Compare": "Comparer",
    "Totals": "Totaux",
    "Edition": "Édition",
    "Hour profile": "Profil horaire",
    "Share of the admissions in each local hour": "Part des entrées dans chaque heure locale",
    "Day %(number)s": "Jour %(number)s",
    "Days of the exhibition": "Jours du salon",
    "Not drawn in the charts, since nobody has been admitted yet:": "Absentes des graphiques, car personne n'y est encore entré\u00a0:",
    "At most %(num)s editions beside this one: the first %(num)s ticked are shown.": "Au plus %(num)s éditions à côté de celle-ci\u00a0: les %(num)s premières cochées sont affichées.",
}
