"""Benchmark: library search over 100,000 resources on PostgreSQL (target: p95 < 50 ms).

Times the whole search function the search page calls — matching, ranking, the page of results
with highlighted snippets, the count and the six facets — for a mix of queries: plain words,
inflected Russian forms, Kazakh and Kyrgyz words, typos, with and without facet filters.

Needs DATABASE_URL (PostgreSQL), migrated. It fills the library tables of that database with
generated resources (realistic text in Russian, Kazakh, Kyrgyz and English) unless they already
hold --resources rows; use a database of its own:

    psql -h 127.0.0.1 -U postgres -c 'create database ustaz_library_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_library_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/library_search.py [--resources 100000] [--rounds 20]
"""

import argparse
import csv
import io
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
# "Cold" runs empty the cache: only this run's keys, never a shared Redis of someone else's.
os.environ["USTAZ_CACHE_KEY_PREFIX"] = f"ustaz-bench-{os.getpid()}-{time.time_ns()}"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.summary import emit  # noqa: E402
from diagnostics.demo import ready_instrument  # noqa: E402
from library.indexing import resources_reindex  # noqa: E402
from library.models import Resource, Subject  # noqa: E402
from library.search import Filters, search  # noqa: E402
from lms.cache_scope import clear_own_keys  # noqa: E402
from lms.models import User  # noqa: E402
from lms.roles import Role  # noqa: E402

WORDS = {  # split into lists below
    "ru": (
        "учебник учебники учебника информатика информатики информатикой урок урока уроков "
        "урокам методические рекомендации рекомендация цифровая цифровой цифровые безопасность "
        "безопасности учитель учителя учителей ученики учеников презентация презентации "
        "электронная электронный электронные таблицы таблица программирование алгоритмы "
        "алгоритм оценивание оценивания проект проекты проектная деятельность интернет "
        "сеть сети документы документов закон законы приказ приказа стандарт стандарты "
        "образование образования школа школы класс классе занятие занятия материалы "
        "материалов компетентность компетенции развитие развития дистанционное обучение "
        "обучения видеоурок видеоуроки графика графический редактор текстовый редактор"
    ),
    "kk": (
        "сабақ сабақтың сабақта оқулық оқулығы мұғалім мұғалімге мұғалімдер оқушы оқушылар "
        "оқушыларға сандық сауаттылық цифрлық құзыреттілік ақпарат ақпараттық қауіпсіздік "
        "әдістемелік құрал нұсқаулық бағдарлама бағдарламалау кесте электрондық кестелер "
        "жоба жобалық білім білім беру заң заңы бұйрық стандарт мектеп сынып тапсырма "
        "тапсырмалар бағалау интернет желі құжат құжаттар презентация бейнесабақ графика "
        "алгоритм алгоритмдер қашықтықтан оқыту дамыту тәжірибе үлгі жоспар жоспары"
    ),
    "ky": (
        "сабак сабактын сабакта окуу китеби мугалим мугалимдер окуучу окуучулар санариптик "
        "сабаттуулук компетенттүүлүк маалымат маалыматтык коопсуздук методикалык колдонмо "
        "программа программалоо таблица электрондук таблицалар долбоор билим берүү мыйзам "
        "буйрук стандарт мектеп класс тапшырма тапшырмалар баалоо интернет тармак документ "
        "презентация видеосабак графика алгоритм аралыктан окутуу өнүктүрүү тажрыйба үлгү "
        "план көнүгүү көнүгүүлөр өнүгүү"
    ),
    "en": (
        "lesson lessons textbook teacher teachers students digital literacy competence "
        "information security online safety guide spreadsheet spreadsheets formulas charts "
        "programming algorithms project projects assessment internet network documents law "
        "standard school class task tasks presentation video graphics distance learning "
        "development practice template plan planning framework collaboration cloud"
    ),
}
WORDS = {language: text.split() for language, text in WORDS.items()}
KINDS = Resource.Kind.values
LANGUAGES = ["ru", "kk", "ky", "en"]
LANGUAGE_WEIGHTS = [40, 35, 15, 10]
BENCH_AUTHOR = "Bench generator"

QUERIES = [
    ("информатика", Filters()),
    ("учебники информатики", Filters()),
    ("урокам", Filters()),
    ("цифровой безопасности", Filters(language=["ru"])),
    ("сандық сауаттылық", Filters()),
    ("оқушыларға", Filters(kind=["lesson_plan"])),
    ("көнүгүүлөр", Filters()),
    ("электрондук таблицалар", Filters(language=["ky"])),
    ("spreadsheet formulas", Filters()),
    ("online safety", Filters(year=[2024])),
    ("безопастность", Filters()),  # typo
    ("информатка", Filters()),  # typo
    ("құзыреттілк", Filters()),  # typo
    ("", Filters(kind=["video"])),
    ("", Filters()),
    ("методические рекомендации", Filters(kind=["methodological"], year=[2023, 2024])),
]


# Letters each language's generated long-tail words are made of.
ALPHABETS = {
    "ru": "абвгдежзиклмнопрстуфхцчшэюя",
    "kk": "аәбгғдеіжзийкқлмнңоөпрстуұүфхһшы",
    "ky": "абвгдежзийклмнңоөпрстуүфхчшы",
    "en": "abcdefghijklmnoprstuvwy",
}
TAIL_WORDS = 6_000
TOPIC_SHARE = 0.12


def long_tail(rng, language) -> list[str]:
    """Stand-ins for the thousands of other words real texts use (names, terms, everyday
    words), so that a topic word appears in a few per cent of resources, as in a real
    library, rather than in every third one."""
    letters = ALPHABETS[language]
    return [
        "".join(rng.choice(letters) for _ in range(rng.randint(4, 11))) for _ in range(TAIL_WORDS)
    ]


def sentence(rng, language, low, high, tails) -> str:
    topic, tail = WORDS[language], tails[language]
    words = []
    for _ in range(rng.randint(low, high)):
        if rng.random() < TOPIC_SHARE:
            words.append(rng.choice(topic))
        else:
            # Log-uniform ranks, roughly Zipf's law: a few tail words are common, most rare.
            words.append(tail[int(TAIL_WORDS ** rng.random()) - 1])
    return " ".join(words)


def generate(total: int, seed: int = 7) -> None:
    """COPY the rows in (a few seconds per 100,000), then tag and index them in SQL."""
    rng = random.Random(seed)
    tails = {language: long_tail(rng, language) for language in LANGUAGES}
    now = timezone.now()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number in range(total):
        language = rng.choices(LANGUAGES, LANGUAGE_WEIGHTS)[0]
        title = sentence(rng, language, 3, 8, tails).capitalize()
        # One resource in ten has a file whose text was extracted: a few kilobytes of it.
        extracted = sentence(rng, language, 300, 900, tails) if rng.random() < 0.1 else ""
        writer.writerow(
            [
                rng.choice(KINDS),
                f"{title} {number}",
                BENCH_AUTHOR,
                sentence(rng, language, 15, 45, tails),
                language,
                rng.randint(2005, 2026),
                "",
                "",
                "pdf" if extracted else "",
                "https://example.org/" if not extracted else "",
                "",
                "",
                "",
                "",
                "t" if rng.random() < 0.97 else "f",
                (now - timezone.timedelta(days=rng.randint(0, 2000))).isoformat(),
                now.isoformat(),
                now.isoformat(),
                0,
                0,
                extracted,
                "done" if extracted else "none",
                1 if extracted else 0,
            ]
        )
    buffer.seek(0)
    columns = (
        "kind, title, authors, description, language, year, licence, file, file_type, "
        "external_url, cover, cover_type, issuer, act_number, published, published_at, "
        "created_at, updated_at, view_count, download_count, extracted_text, extraction, "
        "extraction_attempts"
    )
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY library_resource ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )
        framework = ready_instrument().framework
        area_ids = list(framework.areas.values_list("pk", flat=True))
        level_ids = list(framework.levels.values_list("pk", flat=True))
        subject_ids = [
            Subject.objects.get_or_create(code=f"bench-{n}", defaults={"name_en": name})[0].pk
            for n, name in enumerate(["Informatics", "Mathematics", "Physics", "Primary"])
        ]
        # Every resource gets one or two areas, half of them a level, a third a subject.
        cursor.execute(
            "INSERT INTO library_resource_areas (resource_id, area_id) "
            "SELECT r.id, (%s::bigint[])[1 + (r.id %% %s)] FROM library_resource r "
            "WHERE r.authors = %s "
            "UNION SELECT r.id, (%s::bigint[])[1 + ((r.id / 7) %% %s)] FROM library_resource r "
            "WHERE r.authors = %s AND r.id %% 2 = 0",
            [area_ids, len(area_ids), BENCH_AUTHOR, area_ids, len(area_ids), BENCH_AUTHOR],
        )
        cursor.execute(
            "INSERT INTO library_resource_levels (resource_id, level_id) "
            "SELECT r.id, (%s::bigint[])[1 + ((r.id / 3) %% %s)] FROM library_resource r "
            "WHERE r.authors = %s AND r.id %% 2 = 1",
            [level_ids, len(level_ids), BENCH_AUTHOR],
        )
        cursor.execute(
            "INSERT INTO library_resource_subjects (resource_id, subject_id) "
            "SELECT r.id, (%s::bigint[])[1 + ((r.id / 5) %% %s)] FROM library_resource r "
            "WHERE r.authors = %s AND r.id %% 3 = 0",
            [subject_ids, len(subject_ids), BENCH_AUTHOR],
        )
    ids = list(
        Resource.objects.filter(authors=BENCH_AUTHOR).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 10_000):
        resources_reindex(ids[start : start + 10_000])
    with connection.cursor() as cursor:
        for table in (
            "library_resource",
            "library_searchentry",
            "library_resource_areas",
            "library_resource_levels",
            "library_resource_subjects",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def percentile(values, share) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(rounds: int, cold: bool) -> None:
    teacher = User(email="bench@example.org", role=Role.TEACHER)
    for query, filters in QUERIES:  # warm the caches once
        search(teacher, query=query, filters=filters)
    timings: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for _ in range(rounds):
        for query, filters in QUERIES:
            label = f"{query or '(no words)'} {filters_label(filters)}".strip()
            if cold:
                clear_own_keys(
                    owner="bench"
                )  # browse counts are cached for a minute; measure without them
            started = time.perf_counter()
            results = search(teacher, query=query, filters=filters)
            timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)
            totals[label] = results.total
    every = [value for values in timings.values() for value in values]
    # Browsing without words is answered from a cache between writes; the searches with words
    # are computed every time: their own figure shows the search itself, cache or not.
    with_words = [value for label, values in timings.items() if not label.startswith("(no words)")
                  for value in values]  # fmt: skip
    print(f"\n{len(every)} searches ({rounds} rounds of {len(QUERIES)} queries)")
    for name, values in (("whole mix", every), ("searches with words only", with_words)):
        print(
            f"{name} (results + count + 6 facets): p50 {percentile(values, 0.5):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms, max {max(values):.1f} ms"
        )
    mix = percentile(every, 0.95)
    emit("library search", "p95 ms of the mix", mix, "< 50", mix < 50)
    emit("library search", "p95 ms of searches with words", percentile(with_words, 0.95))
    print()
    print("| query | results | p50 ms | p95 ms |\n|---|---|---|---|")
    for label, values in timings.items():
        print(
            f"| {label} | {totals[label]:,} | {percentile(values, 0.5):.1f} "
            f"| {percentile(values, 0.95):.1f} |"
        )


def filters_label(filters: Filters) -> str:
    parts = [
        f"{name}={','.join(map(str, getattr(filters, name)))}"
        for name in ("kind", "language", "year")
        if getattr(filters, name)
    ]
    return f"[{' '.join(parts)}]" if parts else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--cold",
        action="store_true",
        help="clear the cache before every search (browsing without words is cached)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this measures PostgreSQL search.")
    existing = Resource.objects.count()
    print(f"{platform.node()}: {os.cpu_count()} cores, PostgreSQL {connection.pg_version // 10000}")
    if existing < args.resources:
        started = time.perf_counter()
        generate(args.resources - existing)
        print(f"generated {args.resources - existing:,} resources in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    print(f"library: {Resource.objects.count():,} resources")
    print("cache cleared before every search" if args.cold else "cache as in production")
    run(args.rounds, args.cold)


if __name__ == "__main__":
    main()
