"""Badge views as the badges' services make them, in each language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from exhibitions.badges.views import BadgeRole, BadgeView

EXHIBITION = {
    "ar": ("المعرض الوطني للاقتصاد الاجتماعي والتضامني", "من 12 إلى 16 ماي 2027"),
    "fr": ("Salon national de l'économie sociale et solidaire", "du 12 au 16 mai 2027"),
    "en": ("National Exhibition of the Social and Solidarity Economy", "12–16 May 2027"),
}
ROLE_LABELS = {
    "ar": {
        "exhibitor_staff": "العارض",
        "speaker": "متدخل",
        "moderator": "مسيّر",
        "organizer": "المنظم",
        "staff": "فريق التنظيم",
        "press": "صحافة",
        "vip": "ضيف شرف / شريك",
    },
    "fr": {
        "exhibitor_staff": "Exposant",
        "speaker": "Intervenant",
        "moderator": "Modérateur",
        "organizer": "Organisateur",
        "staff": "Staff",
        "press": "Presse",
        "vip": "VIP / Partenaire",
    },
    "en": {
        "exhibitor_staff": "Exhibitor",
        "speaker": "Speaker",
        "moderator": "Moderator",
        "organizer": "Organizer",
        "staff": "Staff",
        "press": "Press",
        "vip": "VIP / Partner",
    },
}
PEOPLE: dict[str, dict[str, str]] = {
    "ar": {"full_name": "فاطمة الزهراء العمراني", "title": "رئيسة التعاونية", "organization": "تعاونية أركان النسوية"},
    "fr": {
        "full_name": "Jean-Baptiste Ouédraogo",
        "title": "Responsable commercial",
        "organization": "Coopérative Tighanimine",
    },
    "en": {"full_name": "Amina El Idrissi", "title": "Sales manager", "organization": "Atlas Women's Cooperative"},
}


def badge_view(role: BadgeRole = "exhibitor_staff", language: str = "fr", number: int = 1, **changes: Any) -> BadgeView:
    name, dates = EXHIBITION[language]
    view = BadgeView(
        role=role,
        language=language,
        exhibition_name=name,
        exhibition_dates=dates,
        qr_payload=f"https://expo.example.ma/b/{role[:3].upper()}{number:05d}",
        stand_code="B-12" if role == "exhibitor_staff" else "",
        full_name=PEOPLE[language]["full_name"],
        title=PEOPLE[language]["title"],
        organization=PEOPLE[language]["organization"],
    )
    return replace(view, **changes)
