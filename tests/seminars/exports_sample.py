"""The small programme the export tests write: two days, two rooms, four sessions in Arabic and
French, one cancelled. The days straddle Morocco's return from UTC+0 (Ramadan) to UTC+1, at
03:00 on Sunday 14 March 2027, so every format must get both offsets right."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from exhibitions.seminars.exports import ExportPerson, ExportProgramme, ExportRoom, ExportSession

SCHEMA = Path(__file__).parent / "data" / "schedule.xml.xsd"
BASE_URL = "https://ess.example.ma/seminars/sess-2027/"

ATLAS = ExportRoom(id=1, name="Salle Atlas", building="Pavillon A", capacity=120)
RIF = ExportRoom(id=2, name="قاعة الريف", building="Pavillon B", capacity=40)

AMINA = ExportPerson(
    id=7,
    name="Amina El Idrissi",
    name_ar="أمينة الإدريسي",
    affiliation="Université Mohammed V",
    bio={"fr": "Juriste, spécialiste du droit coopératif."},
)
JEAN = ExportPerson(id=8, name="Jean Dupont", affiliation="Agence française de développement")
MOHAMED = ExportPerson(id=9, name="", name_ar="محمد بنعلي", affiliation="مكتب تنمية التعاون")

OPENING = ExportSession(
    id=101,
    guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a01",
    title={"fr": "Ouverture : la loi 112-12 sur les coopératives", "ar": "افتتاح: القانون 112.12 المتعلق بالتعاونيات"},
    abstract={"fr": "Dix ans d'application, bilan & perspectives.", "ar": "عشر سنوات من التطبيق."},
    type="keynote",
    track={"fr": "Cadre juridique", "ar": "الإطار القانوني", "en": "Legal framework"},
    track_code="legal",
    room_id=ATLAS.id,
    starts_at=datetime(2027, 3, 13, 10, 0, tzinfo=UTC),  # 10:00 in Casablanca (UTC+0)
    ends_at=datetime(2027, 3, 13, 11, 30, tzinfo=UTC),
    people=((AMINA, "speaker"), (JEAN, "moderator")),
    languages=("fr", "ar"),
    interpretation=True,
    sequence=0,
    url=BASE_URL + "sessions/101",
)
FINANCE = ExportSession(
    id=102,
    guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a02",
    title={"ar": "التمويل التضامني"},
    abstract={"ar": "كيف تمول التعاونيات مشاريعها؟"},
    type="panel",
    track={"fr": "Politiques publiques"},
    track_code="policy",
    room_id=RIF.id,
    starts_at=datetime(2027, 3, 13, 14, 0, tzinfo=UTC),  # 14:00 (UTC+0)
    ends_at=datetime(2027, 3, 13, 15, 0, tzinfo=UTC),
    people=((MOHAMED, "speaker"), (AMINA, "discussant")),
    languages=("ar",),
    interpretation=False,
    sequence=2,
)
WORKSHOP = ExportSession(
    id=103,
    guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a03",
    title={"fr": "Atelier : vendre en ligne"},
    abstract={"fr": "Annulé faute d'inscrits."},
    type="workshop",
    track={"fr": "Initiatives"},
    track_code="initiatives",
    room_id=ATLAS.id,
    starts_at=datetime(2027, 3, 14, 9, 0, tzinfo=UTC),  # 10:00 (UTC+1 since 03:00)
    ends_at=datetime(2027, 3, 14, 11, 0, tzinfo=UTC),
    people=((JEAN, "speaker"),),
    languages=("fr",),
    interpretation=False,
    sequence=3,
    cancelled=True,
    url=BASE_URL + "sessions/103",
)
PARTNERS = ExportSession(
    id=104,
    guid="3f0e2a8c-5b4d-4e61-9a7f-0c1d2e3f4a04",
    title={"fr": "Table ronde : coopérer entre rives", "en": "Round table: cooperating across shores"},
    abstract={},
    type="round_table",
    track={},
    track_code="partnership",
    room_id=RIF.id,
    starts_at=datetime(2027, 3, 14, 14, 30, tzinfo=UTC),  # 15:30 (UTC+1)
    ends_at=datetime(2027, 3, 14, 15, 15, tzinfo=UTC),
    people=((JEAN, "moderator"), (AMINA, "speaker"), (AMINA, "rapporteur")),
    languages=(),
    interpretation=False,
    sequence=1,
    url=BASE_URL + "sessions/104",
)

PROGRAMME = ExportProgramme(
    slug="sess-2027",
    title={"fr": "Salon national de l'ESS", "ar": "المعرض الوطني للاقتصاد الاجتماعي والتضامني"},
    time_zone="Africa/Casablanca",
    starts_on=date(2027, 3, 13),
    ends_on=date(2027, 3, 14),
    version="3",
    base_url=BASE_URL,
    host="ess.example.ma",
    rooms=(ATLAS, RIF),
    sessions=(OPENING, FINANCE, WORKSHOP, PARTNERS),
    language="fr",
)
