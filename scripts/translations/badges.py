"""Printed badges: the role bands. "Exhibitor", "Speaker", "Moderator", "Press" and "Stand" are
already translated (workflow.py, seminars.py, tickets, portal.py) and keep those words."""

AR = {
    "Organizer": "المنظم",
    "Staff": "فريق التنظيم",
    "VIP / Partner": "ضيف شرف / شريك",
}

FR = {
    "Organizer": "Organisateur",
    "Staff": "Staff",
    "VIP / Partner": "VIP / Partenaire",
}
