"""Directory search latency: 5,000 approved exhibitors, one server worker, through HTTP.

Loads the demo, then --organizations approved organizations at the national exhibition
(Arabic and Latin names with accents and hamza, 2 or 3 products each), written in bulk
(the rows the services would write: names folded into ``search_text`` by the same
``fold``), then ANALYZEd on PostgreSQL as autovacuum would. Then a client sends a mix
of searches, one at a time, to the JSON API and to the HTML page: Latin with and without
accents, Arabic with and without hamza, filters, a product, page 3. Reports p50 and p95
per engine for each of --rounds rounds, and the median of the rounds' p95.

    uv run python bench/directory_search.py [--organizations 5000] [--rounds 3] [--passes 20]
                                            [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import replace
from urllib.parse import urlencode

import httpx
from common import base_env, machine_line, postgres_database, prepare_database, server

from exhibitions.clock import utcnow
from exhibitions.db import Database
from exhibitions.events import queries as event_queries
from exhibitions.exhibitors.tables import Application, Organization, Product
from exhibitions.search import fold
from exhibitions.settings import Settings

LATIN_WORDS = ["Étoile", "Tifawine", "Al Amal", "Nour", "Zaïtoune", "Aït Baha", "Oasis", "Tamount", "Izourane", "Dadès"]
ARABIC_WORDS = ["الأمل", "النور", "الخير", "إيمي", "أركان", "الواحة", "تيفاوين", "الزيتونة", "آيت باها", "الإخلاص"]
FORMS = [
    ("cooperative", "Coopérative", "تعاونية"),
    ("association", "Association", "جمعية"),
    ("mutual", "Mutuelle", "تعاضدية"),
]
SECTORS = ["agriculture", "handicrafts", "fishing", "argan", "food_processing", "textile", "services", "other"]
PRODUCTS = ["Huile d'argan", "Amlou", "Safran", "Tapis amazigh", "Miel de thym", "Couscous", "Dattes", "زيت الزيتون"]
REGIONS = [f"MA-{number:02d}" for number in range(1, 13)]

QUERIES = [
    {"q": "cooperative"},  # matches "Coopérative": a third of them
    {"q": "ÉTOILE"},
    {"q": "zaitoune fes"},  # two words, in any order: name and city
    {"q": "الامل"},  # without hamza: finds الأمل
    {"q": "إيمي"},
    {"region": "MA-09"},
    {"sector": "argan", "legal_form": "association"},
    {"product": "huile d argan"},
    {"q": "coop", "page": "3"},
    {"q": "تعاونية", "region": "MA-01", "product": "amlou"},
]


async def load(url: str, organizations: int) -> str:
    """Write the organizations, products and approved applications; return the exhibition's slug."""
    settings = replace(Settings.from_env(), database_url=url)
    random.seed(7)
    now = utcnow()
    async with Database(settings).running():
        exhibition = next(
            row
            for row in (await event_queries.list_exhibitions(statuses=["published"]))[0]
            if row["kind"] == "national"
        )
        for start in range(0, organizations, 500):
            batch = []
            for number in range(start, min(start + 500, organizations)):
                form, latin_form, arabic_form = FORMS[number % len(FORMS)]
                name_latin = f"{latin_form} {random.choice(LATIN_WORDS)} {number}"
                name_ar = f"{arabic_form} {random.choice(ARABIC_WORDS)} {number}"
                city = random.choice(["Taroudant", "Agadir", "Ouarzazate", "Fès", "Oujda", "Tétouan"])
                batch.append(
                    Organization(
                        legal_form=form,
                        name_ar=name_ar,
                        name_latin=name_latin,
                        registry_number=f"B{number}",
                        region=REGIONS[number % 12],
                        city=city,
                        sector=SECTORS[number % len(SECTORS)],
                        members_total=20,
                        members_women=number % 21,
                        declared_women_led=number % 7 == 0,
                        email=f"b{number}@example.ma",
                        search_text=fold(f"{name_ar} {name_latin} {city}"),
                        created_at=now,
                        updated_at=now,
                    )
                )
            ids = [row["id"] for row in await Organization.insert(*batch).returning(Organization.id)]
            await Application.insert(
                *(
                    Application(
                        exhibition=exhibition["id"],
                        organization=oid,
                        status="approved",
                        created_at=now,
                        updated_at=now,
                        submitted_at=now,
                    )
                    for oid in ids
                )
            )
            await Product.insert(
                *(
                    Product(
                        organization=oid,
                        name=name,
                        search_text=fold(name),
                        position=position,
                        created_at=now,
                        updated_at=now,
                    )
                    for oid in ids
                    for position, name in enumerate(random.sample(PRODUCTS, 2 + oid % 2))
                )
            )
        if Organization._meta.db.engine_type == "postgres":
            # What autovacuum does within a minute of such a load; without statistics the
            # planner takes the fresh tables for empty and loops over the applications.
            await Organization._meta.db.run_ddl("ANALYZE")
        return str(exhibition["slug"])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(name: str, env: dict[str, str], args: argparse.Namespace) -> float:
    prepare_database(env)
    slug = asyncio.run(load(env["EXHIBITIONS_DATABASE_URL"], args.organizations))
    urls = [
        f"{prefix}?{urlencode(params)}"
        for params in QUERIES
        for prefix in (f"/api/v1/exhibitions/{slug}/exhibitors", f"/exhibitions/{slug}/exhibitors")
    ]
    p95s = []
    with server(env, workers=1) as base, httpx.Client(base_url=base, headers={"Accept-Language": "fr"}) as http:
        totals = {url: http.get(url).json()["total"] for url in urls if url.startswith("/api/")}
        assert all(totals.values()), totals  # every query finds someone
        for url in urls * 3:  # warm up
            http.get(url).raise_for_status()
        for round_number in range(args.rounds):
            latencies = []
            by_url: dict[str, list[float]] = {url: [] for url in urls}
            for _ in range(args.passes):
                for url in urls:
                    started = time.perf_counter()
                    response = http.get(url)
                    by_url[url].append((time.perf_counter() - started) * 1000)
                    latencies.append(by_url[url][-1])
                    assert response.status_code == 200, (url, response.status_code)
            p50, p95 = statistics.median(latencies), _percentile(latencies, 0.95)
            p95s.append(p95)
            print(f"{name:<11} round {round_number + 1}: {len(latencies)} requests, p50 {p50:5.1f}, p95 {p95:5.1f} ms")
        slowest = sorted(by_url, key=lambda url: -statistics.median(by_url[url]))[:3]
        print("   slowest: " + "; ".join(f"{url} {statistics.median(by_url[url]):.1f} ms" for url in slowest))
    median = statistics.median(p95s)
    print(f"{name:<11} median p95 {median:5.1f} ms over {args.rounds} rounds ({args.organizations} organizations)")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--passes", type=int, default=20, help="times each query is sent per round")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    print(machine_line(f"{len(QUERIES)} queries x (API, page) x {args.passes} per round, one at a time, 1 worker"))
    with tempfile.TemporaryDirectory() as workdir:
        env = base_env()
        if "sqlite" in args.engines:
            bench("SQLite", {**env, "EXHIBITIONS_DATABASE_URL": f"sqlite:///{workdir}/d.sqlite3"}, args)
        if "postgresql" not in args.engines:
            return
        with postgres_database() as pg_url:
            if pg_url is None:
                print("PostgreSQL: not reachable, skipped")
                return
            bench("PostgreSQL", {**env, "EXHIBITIONS_DATABASE_URL": pg_url}, args)


if __name__ == "__main__":
    main()
