"""Strings of the pages that tie the exhibitors' features together."""

AR = {
    "What you sent is too large: choose a smaller file and try again.": "ما أرسلتموه كبير جدا: اختاروا ملفا أصغر وحاولوا مرة أخرى.",
    "{dimension}: {value}": "{dimension}: {value}",
    "Download (CSV)": "تنزيل (CSV)",
    "Download (XLSX)": "تنزيل (XLSX)",
    "Quotas, against the applications approved so far": "الحصص، مقارنة بالطلبات المقبولة حتى الآن",
    "Browse the exhibitors and their products": "تصفح العارضين ومنتجاتهم",
    "Download organizations (CSV)": "تنزيل الهيئات (CSV)",
    "Download organizations (XLSX)": "تنزيل الهيئات (XLSX)",
}

FR = {
    "What you sent is too large: choose a smaller file and try again.": "Ce que vous avez envoyé est trop volumineux : choisissez un fichier plus petit et réessayez.",
    "{dimension}: {value}": "{dimension} : {value}",
    "Download (CSV)": "Télécharger (CSV)",
    "Download (XLSX)": "Télécharger (XLSX)",
    "Quotas, against the applications approved so far": "Quotas, au regard des candidatures acceptées à ce jour",
    "Browse the exhibitors and their products": "Parcourir les exposants et leurs produits",
    "Download organizations (CSV)": "Télécharger les organisations (CSV)",
    "Download organizations (XLSX)": "Télécharger les organisations (XLSX)",
}
