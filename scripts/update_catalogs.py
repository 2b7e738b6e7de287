"""Merge newly extracted messages into the ar, fr and en catalogs, keeping every existing translation
and filling new ones from the tables below when known.

Usage: make messages   (extracts the strings, then runs this)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

AR: dict[str, str | tuple[str, ...]] = {
    "Remove the invisible control characters from this text.": "احذف رموز التحكم غير المرئية من هذا النص.",
    "Lower-case Latin letters, digits and hyphens, for example:": "حروف لاتينية صغيرة وأرقام وشرطات، مثال:",
    "One hall per line; add the area in m² after a bar, for example:": "رواق واحد في كل سطر؛ أضف المساحة بالمتر المربع بعد خط عمودي، مثال:",
    "One day per line: the date, then closed, or the hours followed by a note. For example:": "يوم واحد في كل سطر: التاريخ ثم closed (أو مغلق)، أو الساعات متبوعة بملاحظة. مثال:",
    "Friday prayer": "صلاة الجمعة",
    "The request could not be understood.": "تعذر فهم الطلب.",
    "Please log in to continue.": "يرجى تسجيل الدخول للمتابعة.",
    "You are not allowed to see this page.": "لا يسمح لك بالاطلاع على هذه الصفحة.",
    "This page does not exist, or it has moved.": "هذه الصفحة غير موجودة أو نقلت إلى عنوان آخر.",
    "This page cannot be used that way.": "لا يمكن استعمال هذه الصفحة بهذه الطريقة.",
    "This change conflicts with another one. Reload the page and try again.": "يتعارض هذا التعديل مع تعديل آخر. أعد تحميل الصفحة ثم حاول مجددا.",
    "Some fields need your attention.": "بعض الحقول تحتاج إلى مراجعة.",
    "Something went wrong on our side. Please try again in a moment.": "حدث خطأ من جهتنا. يرجى المحاولة بعد قليل.",
    "The service is busy. Please try again in a moment.": "الخدمة مشغولة حاليا. يرجى المحاولة بعد قليل.",
    "This field is required.": "هذا الحقل إلزامي.",
    "This value is not valid.": "هذه القيمة غير صالحة.",
    "Enter an e-mail address, like name@example.ma.": "أدخل عنوان بريد إلكتروني، مثل name@example.ma.",
    "The password must be at least 10 characters long.": "يجب أن تتكون كلمة المرور من 10 أحرف على الأقل.",
    "Choose one of the options.": "اختر أحد الخيارات.",
    "This value is already taken.": "هذه القيمة مستعملة من قبل.",
    "Choose one of the 12 regions.": "اختر إحدى الجهات الاثنتي عشرة.",
    "A regional market must name its region.": "يجب تحديد جهة السوق الجهوي.",
    "The last day must be on or after the first day.": "يجب أن يكون اليوم الأخير في اليوم الأول أو بعده.",
    "An exhibition lasts at most 60 days.": "لا تتجاوز مدة المعرض 60 يوما.",
    "This time zone is unknown.": "هذه المنطقة الزمنية غير معروفة.",
    "The closing time must be after the opening time.": "يجب أن تكون ساعة الإغلاق بعد ساعة الافتتاح.",
    "This day is outside the exhibition's dates.": "هذا اليوم خارج تواريخ المعرض.",
    "Give both the opening and closing times, or neither to close the day.": "أدخل ساعتي الافتتاح والإغلاق معا، أو اتركهما فارغتين لإغلاق اليوم.",
    "This status change is not allowed.": "تغيير الحالة هذا غير مسموح به.",
    "This line could not be read; follow the example.": "تعذرت قراءة هذا السطر؛ اتبع المثال.",
    "The e-mail or the password is wrong.": "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
    "Exhibitions of the social and solidarity economy": "معارض الاقتصاد الاجتماعي والتضامني",
    "Skip to content": "انتقل إلى المحتوى",
    "Exhibitions": "المعارض",
    "Main": "القائمة الرئيسية",
    "Organize": "التنظيم",
    "Log out": "تسجيل الخروج",
    "Log in": "تسجيل الدخول",
    "Language": "اللغة",
    "Social and solidarity economy: cooperatives, associations and mutuals of the 12 regions.": "الاقتصاد الاجتماعي والتضامني: تعاونيات وجمعيات وتعاضديات الجهات الاثنتي عشرة.",
    "API documentation": "توثيق واجهة البرمجة",
    "E-mail": "البريد الإلكتروني",
    "Password": "كلمة المرور",
    "Error": "خطأ",
    "Back to the home page": "العودة إلى الصفحة الرئيسية",
    "National exhibition": "معرض وطني",
    "Regional market": "سوق جهوي",
    "Region": "الجهة",
    "Draft": "مسودة",
    "Closed": "مغلق",
    "Open now": "مفتوح الآن",
    "Closed now": "مغلق الآن",
    "Venue": "المكان",
    "Halls": "الأروقة",
    "Opening hours": "أوقات الفتح",
    "Local time": "التوقيت المحلي",
    "Day": "اليوم",
    "Hours": "الساعات",
    "Edit": "تعديل",
    "Publish": "نشر",
    "Close the exhibition": "إغلاق المعرض",
    "New exhibition": "معرض جديد",
    "Edit the exhibition": "تعديل المعرض",
    "Identity": "التعريف",
    "Short name for the address": "الاسم المختصر في العنوان",
    "Lower-case letters, digits and hyphens, e.g. sess-2027.": "حروف لاتينية صغيرة وأرقام وشرطات، مثل sess-2027.",
    "Address": "العنوان",
    "Kind": "النوع",
    "None (national)": "بدون (وطني)",
    "Title in Arabic": "العنوان بالعربية",
    "Title in French": "العنوان بالفرنسية",
    "Title in English": "العنوان بالإنجليزية",
    "City": "المدينة",
    "One hall per line; add the area in m² after a bar: Hall A | 2500": "رواق واحد في كل سطر؛ أضف المساحة بالمتر المربع بعد خط عمودي: Hall A | 2500",
    "Dates and hours": "التواريخ والأوقات",
    "First day": "اليوم الأول",
    "Last day": "اليوم الأخير",
    "Opens at": "يفتح على الساعة",
    "Closes at": "يغلق على الساعة",
    "Time zone": "المنطقة الزمنية",
    "Days with other hours": "أيام بأوقات مختلفة",
    "One day per line: 2027-03-14 closed, or 2027-03-15 14:00-20:00 followed by a note.": "يوم واحد في كل سطر: 2027-03-14 closed، أو 2027-03-15 14:00-20:00 متبوعا بملاحظة.",
    "Create the exhibition": "إنشاء المعرض",
    "Save": "حفظ",
    "Meet the cooperatives, associations and mutuals of the 12 regions of Morocco at the national exhibition and the regional itinerant markets.": "التقوا بتعاونيات وجمعيات وتعاضديات جهات المملكة الاثنتي عشرة في المعرض الوطني وفي الأسواق الجهوية المتنقلة.",
    "Search by name or city": "ابحث بالاسم أو المدينة",
    "Search": "بحث",
    "No exhibition matches your search.": "لا يوجد معرض يطابق بحثك.",
    "No exhibition is published yet.": "لم ينشر أي معرض بعد.",
    "Signed in as %(name)s": "متصل باسم %(name)s",
    "%(num)d exhibition": ("لا معارض", "معرض واحد", "معرضان", "%(num)d معارض", "%(num)d معرضا", "%(num)d معرض"),
    "Title": "العنوان",
    "Dates": "التواريخ",
    "Status": "الحالة",
    "Published": "منشور",
    "No exhibition yet.": "لا يوجد أي معرض بعد.",
    "Pages": "الصفحات",
    "Previous": "السابق",
    "Page %(page)s of %(pages)s": "الصفحة %(page)s من %(pages)s",
    "Next": "التالي",
}

FR: dict[str, str | tuple[str, ...]] = {
    "Remove the invisible control characters from this text.": "Retirez de ce texte les caractères de contrôle invisibles.",
    "Lower-case Latin letters, digits and hyphens, for example:": "Lettres latines minuscules, chiffres et tirets, par exemple :",
    "One hall per line; add the area in m² after a bar, for example:": "Un hall par ligne ; ajoutez la surface en m² après une barre, par exemple :",
    "One day per line: the date, then closed, or the hours followed by a note. For example:": "Un jour par ligne : la date, puis closed (ou fermé), ou les horaires suivis d'une note. Par exemple :",
    "Friday prayer": "Prière du vendredi",
    "The request could not be understood.": "La demande n'a pas pu être comprise.",
    "Please log in to continue.": "Veuillez vous connecter pour continuer.",
    "You are not allowed to see this page.": "Vous n'êtes pas autorisé à voir cette page.",
    "This page does not exist, or it has moved.": "Cette page n'existe pas ou a été déplacée.",
    "This page cannot be used that way.": "Cette page ne peut pas être utilisée ainsi.",
    "This change conflicts with another one. Reload the page and try again.": "Cette modification entre en conflit avec une autre. Rechargez la page et réessayez.",
    "Some fields need your attention.": "Certains champs demandent votre attention.",
    "Something went wrong on our side. Please try again in a moment.": "Une erreur est survenue de notre côté. Veuillez réessayer dans un instant.",
    "The service is busy. Please try again in a moment.": "Le service est occupé. Veuillez réessayer dans un instant.",
    "This field is required.": "Ce champ est obligatoire.",
    "This value is not valid.": "Cette valeur n'est pas valide.",
    "Enter an e-mail address, like name@example.ma.": "Saisissez une adresse e-mail, comme nom@example.ma.",
    "The password must be at least 10 characters long.": "Le mot de passe doit comporter au moins 10 caractères.",
    "Choose one of the options.": "Choisissez l'une des options.",
    "This value is already taken.": "Cette valeur est déjà utilisée.",
    "Choose one of the 12 regions.": "Choisissez l'une des 12 régions.",
    "A regional market must name its region.": "Un marché régional doit indiquer sa région.",
    "The last day must be on or after the first day.": "Le dernier jour doit être le premier jour ou après.",
    "An exhibition lasts at most 60 days.": "Une exposition dure au plus 60 jours.",
    "This time zone is unknown.": "Ce fuseau horaire est inconnu.",
    "The closing time must be after the opening time.": "L'heure de fermeture doit suivre l'heure d'ouverture.",
    "This day is outside the exhibition's dates.": "Ce jour est en dehors des dates de l'exposition.",
    "Give both the opening and closing times, or neither to close the day.": "Indiquez l'heure d'ouverture et celle de fermeture, ou aucune pour fermer ce jour-là.",
    "This status change is not allowed.": "Ce changement de statut n'est pas permis.",
    "This line could not be read; follow the example.": "Cette ligne est illisible ; suivez l'exemple.",
    "The e-mail or the password is wrong.": "L'e-mail ou le mot de passe est incorrect.",
    "Exhibitions of the social and solidarity economy": "Salons de l'économie sociale et solidaire",
    "Skip to content": "Aller au contenu",
    "Exhibitions": "Salons",
    "Main": "Menu principal",
    "Organize": "Organiser",
    "Log out": "Se déconnecter",
    "Log in": "Se connecter",
    "Language": "Langue",
    "Social and solidarity economy: cooperatives, associations and mutuals of the 12 regions.": "Économie sociale et solidaire : coopératives, associations et mutuelles des 12 régions.",
    "API documentation": "Documentation de l'API",
    "E-mail": "E-mail",
    "Password": "Mot de passe",
    "Error": "Erreur",
    "Back to the home page": "Retour à l'accueil",
    "National exhibition": "Salon national",
    "Regional market": "Marché régional",
    "Region": "Région",
    "Draft": "Brouillon",
    "Closed": "Fermé",
    "Open now": "Ouvert en ce moment",
    "Closed now": "Fermé en ce moment",
    "Venue": "Lieu",
    "Halls": "Halls",
    "Opening hours": "Horaires d'ouverture",
    "Local time": "Heure locale",
    "Day": "Jour",
    "Hours": "Horaires",
    "Edit": "Modifier",
    "Publish": "Publier",
    "Close the exhibition": "Clôturer le salon",
    "New exhibition": "Nouveau salon",
    "Edit the exhibition": "Modifier le salon",
    "Identity": "Identité",
    "Short name for the address": "Nom court pour l'adresse",
    "Lower-case letters, digits and hyphens, e.g. sess-2027.": "Lettres minuscules, chiffres et tirets, par ex. sess-2027.",
    "Address": "Adresse",
    "Kind": "Type",
    "None (national)": "Aucune (national)",
    "Title in Arabic": "Titre en arabe",
    "Title in French": "Titre en français",
    "Title in English": "Titre en anglais",
    "City": "Ville",
    "One hall per line; add the area in m² after a bar: Hall A | 2500": "Un hall par ligne ; ajoutez la surface en m² après une barre : Hall A | 2500",
    "Dates and hours": "Dates et horaires",
    "First day": "Premier jour",
    "Last day": "Dernier jour",
    "Opens at": "Ouvre à",
    "Closes at": "Ferme à",
    "Time zone": "Fuseau horaire",
    "Days with other hours": "Jours aux horaires particuliers",
    "One day per line: 2027-03-14 closed, or 2027-03-15 14:00-20:00 followed by a note.": "Un jour par ligne : 2027-03-14 fermé, ou 2027-03-15 14:00-20:00 suivi d'une note.",
    "Create the exhibition": "Créer le salon",
    "Save": "Enregistrer",
    "Meet the cooperatives, associations and mutuals of the 12 regions of Morocco at the national exhibition and the regional itinerant markets.": "Rencontrez les coopératives, associations et mutuelles des 12 régions du Maroc au salon national et aux marchés itinérants régionaux.",
    "Search by name or city": "Rechercher par nom ou ville",
    "Search": "Rechercher",
    "No exhibition matches your search.": "Aucun salon ne correspond à votre recherche.",
    "No exhibition is published yet.": "Aucun salon n'est encore publié.",
    "Signed in as %(name)s": "Connecté en tant que %(name)s",
    "%(num)d exhibition": ("%(num)d salon", "%(num)d de salons", "%(num)d salons"),  # one, many (millions), other
    "Title": "Titre",
    "Dates": "Dates",
    "Status": "Statut",
    "Published": "Publié",
    "No exhibition yet.": "Aucun salon pour l'instant.",
    "Pages": "Pages",
    "Previous": "Précédent",
    "Page %(page)s of %(pages)s": "Page %(page)s sur %(pages)s",
    "Next": "Suivant",
}

TRANSLATIONS = {"ar": AR, "fr": FR, "en": {}}


def main(template: str, locale_dir: str) -> None:
    with open(template, "rb") as handle:
        pot = read_po(handle)
    for language, known in TRANSLATIONS.items():
        target = Path(locale_dir) / language / "LC_MESSAGES" / "messages.po"
        existing: Catalog | None = None
        if target.exists():
            with target.open("rb") as handle:
                existing = read_po(handle, locale=language)
        catalog = Catalog(locale=language, project="exhibitions", fuzzy=False)
        for message in pot:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            old = existing.get(message.id) if existing else None
            string = old.string if old is not None and old.string and any(old.string) else known.get(key, "")
            catalog.add(message.id, string=string, locations=message.locations, flags=message.flags - {"fuzzy"})
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
        missing = [
            m.id
            for m in catalog
            if m.id and not (m.string and all(m.string) if isinstance(m.string, tuple) else m.string)
        ]
        if language != "en" and missing:
            print(f"{language}: {len(missing)} message(s) still untranslated", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
