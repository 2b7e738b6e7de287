"""Bulk import of organizations and the spreadsheet downloads."""

AR = {
    "Import organizations": "استيراد الهيئات",
    "Upload a CSV or XLSX file with one organization per row. You will see what would change before anything is imported.":
        "ارفع ملف CSV أو XLSX فيه هيئة واحدة في كل سطر. سترى ما سيتغير قبل استيراد أي شيء.",
    "An organization already in the registry is updated: the same ICE, or else the same legal form and registry number.":
        "تُحدَّث الهيئة المسجلة من قبل: نفس التعريف الموحد للمقاولة، أو نفس الشكل القانوني ورقم التسجيل.",
    "Download the sample file (CSV)": "تنزيل ملف نموذجي (CSV)",
    "File (CSV or XLSX, 10 MB at most)": "الملف (CSV أو XLSX، 10 ميغابايت على الأكثر)",
    "Check the file": "فحص الملف",
    "Download the registry:": "تنزيل السجل:",
    "Rows read": "الأسطر المقروءة",
    "New organizations": "هيئات جديدة",
    "Updated": "محدَّثة",
    "Unchanged": "دون تغيير",
    "Rows with errors": "أسطر بها أخطاء",
    "Columns not recognized (ignored):": "أعمدة غير معروفة (تم تجاهلها):",
    "%(num)d row was not imported": (
        "لم يُرفض أي سطر", "لم يُستورد سطر واحد", "لم يُستورد سطران", "لم تُستورد %(num)d أسطر",
        "لم يُستورد %(num)d سطرا", "لم يُستورد %(num)d سطر",
    ),
    "Row": "السطر",
    "Column": "العمود",
    "Problem": "المشكلة",
    "Check the import": "التحقق من الاستيراد",
    "Nothing is imported yet. This is what the file would do:": "لم يُستورد أي شيء بعد. هذا ما سيفعله الملف:",
    "First rows to import": "أولى الأسطر المراد استيرادها",
    "Action": "الإجراء",
    "Registry number": "رقم التسجيل",
    "Changed fields": "الحقول المعدلة",
    "New": "جديدة",
    "Update": "تحديث",
    "Import the good rows": "استيراد الأسطر السليمة",
    "Choose another file": "اختيار ملف آخر",
    "Import done": "تم الاستيراد",
    "Fix the rows with errors in your spreadsheet and import it again: the rows already imported will not be duplicated.":
        "صحح الأسطر التي بها أخطاء في جدولك ثم استورده من جديد: لن تتكرر الأسطر المستوردة من قبل.",
    "Import another file": "استيراد ملف آخر",
    "The file is too large (10 MB at most). Split it into several files.":
        "الملف كبير جدا (10 ميغابايت على الأكثر). قسّمه إلى عدة ملفات.",
    "The file has more than 50,000 rows. Split it into several files.":
        "يحتوي الملف على أكثر من 50000 سطر. قسّمه إلى عدة ملفات.",
    "The file is empty.": "الملف فارغ.",
    "The file's text encoding is not UTF-8 nor Arabic Windows-1256. Save it as “CSV UTF-8”.":
        "ترميز نص الملف ليس UTF-8 ولا Windows-1256 العربي. احفظه بصيغة «CSV UTF-8».",
    "This is not a CSV or XLSX file.": "هذا ليس ملف CSV ولا XLSX.",
    "The CSV file could not be read.": "تعذرت قراءة ملف CSV.",
    "A required column is missing; compare the headers with the sample file.":
        "ينقص عمود ضروري؛ قارن العناوين بالملف النموذجي.",
    "Two columns hold the same field.": "عمودان يحملان نفس الحقل.",
    "Give the name in Arabic or in Latin script.": "أدخل الاسم بالعربية أو بالحروف اللاتينية.",
    "The ICE must be 15 digits and valid.": "يجب أن يتكون التعريف الموحد للمقاولة من 15 رقما وأن يكون صحيحا.",
    "This number cannot exceed the number of members.": "لا يمكن أن يتجاوز هذا العدد عدد الأعضاء.",
    "Unknown legal form: cooperative, association, mutual, company or public body.":
        "شكل قانوني غير معروف: تعاونية أو جمعية أو تعاضدية أو شركة أو مؤسسة عمومية.",
    "Unknown sector.": "قطاع غير معروف.",
    "Unknown region: give its code (MA-01 to MA-12) or its name.": "جهة غير معروفة: أدخل رمزها (MA-01 إلى MA-12) أو اسمها.",
    "This must be a whole number.": "يجب أن يكون هذا عددا صحيحا.",
    "This number is out of range.": "هذا العدد خارج المجال المسموح به.",
    "This ICE and this registry number belong to two different organizations.":
        "هذا التعريف الموحد ورقم التسجيل هذا يخصان هيئتين مختلفتين.",
    "This registry number is registered with another ICE.": "رقم التسجيل هذا مسجل بتعريف موحد آخر.",
    "This preview has expired (30 minutes) or was already imported. Upload the file again.":
        "انتهت صلاحية هذه المعاينة (30 دقيقة) أو تم استيرادها من قبل. ارفع الملف من جديد.",
    "Someone registered this organization during the import; import the file again.":
        "سجل شخص آخر هذه الهيئة أثناء الاستيراد؛ استورد الملف من جديد.",
    "Same registry number as row %(row)s.": "نفس رقم التسجيل الموجود في السطر %(row)s.",
    "Same ICE as row %(row)s.": "نفس التعريف الموحد الموجود في السطر %(row)s.",
}

FR = {
    "Import organizations": "Importer des organisations",
    "Upload a CSV or XLSX file with one organization per row. You will see what would change before anything is imported.":
        "Envoyez un fichier CSV ou XLSX avec une organisation par ligne. Vous verrez ce qui changerait avant que rien ne soit importé.",
    "An organization already in the registry is updated: the same ICE, or else the same legal form and registry number.":
        "Une organisation déjà enregistrée est mise à jour : même ICE, ou à défaut même forme juridique et même numéro de registre.",
    "Download the sample file (CSV)": "Télécharger le fichier modèle (CSV)",
    "File (CSV or XLSX, 10 MB at most)": "Fichier (CSV ou XLSX, 10 Mo au plus)",
    "Check the file": "Vérifier le fichier",
    "Download the registry:": "Télécharger le registre :",
    "Rows read": "Lignes lues",
    "New organizations": "Nouvelles organisations",
    "Updated": "Mises à jour",
    "Unchanged": "Inchangées",
    "Rows with errors": "Lignes en erreur",
    "Columns not recognized (ignored):": "Colonnes non reconnues (ignorées) :",
    "%(num)d row was not imported": (
        "%(num)d ligne n'a pas été importée", "%(num)d lignes n'ont pas été importées",
        "%(num)d lignes n'ont pas été importées",
    ),
    "Row": "Ligne",
    "Column": "Colonne",
    "Problem": "Problème",
    "Check the import": "Vérifier l'import",
    "Nothing is imported yet. This is what the file would do:": "Rien n'est encore importé. Voici ce que ferait le fichier :",
    "First rows to import": "Premières lignes à importer",
    "Action": "Action",
    "Registry number": "Numéro de registre",
    "Changed fields": "Champs modifiés",
    "New": "Nouvelle",
    "Update": "Mise à jour",
    "Import the good rows": "Importer les lignes correctes",
    "Choose another file": "Choisir un autre fichier",
    "Import done": "Import terminé",
    "Fix the rows with errors in your spreadsheet and import it again: the rows already imported will not be duplicated.":
        "Corrigez les lignes en erreur dans votre tableur et importez-le à nouveau : les lignes déjà importées ne seront pas dupliquées.",
    "Import another file": "Importer un autre fichier",
    "The file is too large (10 MB at most). Split it into several files.":
        "Le fichier est trop volumineux (10 Mo au plus). Découpez-le en plusieurs fichiers.",
    "The file has more than 50,000 rows. Split it into several files.":
        "Le fichier a plus de 50 000 lignes. Découpez-le en plusieurs fichiers.",
    "The file is empty.": "Le fichier est vide.",
    "The file's text encoding is not UTF-8 nor Arabic Windows-1256. Save it as “CSV UTF-8”.":
        "L'encodage du fichier n'est ni UTF-8 ni Windows-1256 (arabe). Enregistrez-le en « CSV UTF-8 ».",
    "This is not a CSV or XLSX file.": "Ce n'est pas un fichier CSV ou XLSX.",
    "The CSV file could not be read.": "Le fichier CSV n'a pas pu être lu.",
    "A required column is missing; compare the headers with the sample file.":
        "Une colonne obligatoire manque ; comparez les en-têtes avec le fichier modèle.",
    "Two columns hold the same field.": "Deux colonnes contiennent le même champ.",
    "Give the name in Arabic or in Latin script.": "Indiquez le nom en arabe ou en caractères latins.",
    "The ICE must be 15 digits and valid.": "L'ICE doit compter 15 chiffres et être valide.",
    "This number cannot exceed the number of members.": "Ce nombre ne peut pas dépasser le nombre de membres.",
    "Unknown legal form: cooperative, association, mutual, company or public body.":
        "Forme juridique inconnue : coopérative, association, mutuelle, société ou établissement public.",
    "Unknown sector.": "Secteur inconnu.",
    "Unknown region: give its code (MA-01 to MA-12) or its name.":
        "Région inconnue : indiquez son code (MA-01 à MA-12) ou son nom.",
    "This must be a whole number.": "Ce doit être un nombre entier.",
    "This number is out of range.": "Ce nombre est hors limites.",
    "This ICE and this registry number belong to two different organizations.":
        "Cet ICE et ce numéro de registre appartiennent à deux organisations différentes.",
    "This registry number is registered with another ICE.": "Ce numéro de registre est enregistré avec un autre ICE.",
    "This preview has expired (30 minutes) or was already imported. Upload the file again.":
        "Cet aperçu a expiré (30 minutes) ou a déjà été importé. Envoyez à nouveau le fichier.",
    "Someone registered this organization during the import; import the file again.":
        "Quelqu'un a enregistré cette organisation pendant l'import ; importez à nouveau le fichier.",
    "Same registry number as row %(row)s.": "Même numéro de registre qu'à la ligne %(row)s.",
    "Same ICE as row %(row)s.": "Même ICE qu'à la ligne %(row)s.",
}
