"""Every view of the URL configuration, queried and posted with hostile values by each role:
never a 500, and a POST that is refused writes nothing.

Generated from the URL configuration (tests/security/urlconf.py), so a new view is probed the
day it is added. A URL with an id is asked about the object its owner owns
(tests/security/registry.py), so the probe reaches past the permission check; other parameters
get hostile values. Hypothesis draws the values; examples are few per view to keep the file
under a minute, and the explicit cases found so far live in the other files of this folder.
"""

from urllib.parse import urlencode

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from courses.models import Enrolment
from diagnostics.models import Answer, Response
from forums.models import Post, Topic
from library.models import Bookmark
from lms.models import School, User
from tests.lms.factories import HeadFactory, MethodistFactory, TeacherFactory
from tests.security.registry import NOT_IDS, REGISTRY
from tests.security.urlconf import project_routes

HOSTILE = [
    "²", "①", "-²", "٣", "1_000", " 7 ", "9" * 5000, str(2**63), "-1", "0", "1e12", "1e999999",
    "NaN", "Ахмет\x00ова", "\x00", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --",
    "%00", "../../etc/passwd", "", " ",
]  # fmt: skip
FIELD_NAMES = [
    "q", "page", "p", "text", "body", "title", "reason", "comment", "go", "action", "language",
    "sections", "decision", "link", "fraction", "verb", "scaled", "attended", "quote", "email",
    "full_name", "subject", "region", "district", "school", "round", "area", "level", "year",
    "kind", "code", "in_directory", "next", "format", "sort", "mine", "as_level", "course",
    "group", "framework", "remove_file", "forum", "seed", "respondents", "username", "password",
]  # fmt: skip
# Rows a refused POST must not have written (one count each).
WATCHED = (User, School, Response, Answer, Topic, Post, Enrolment, Bookmark)

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
names = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(FIELD_NAMES).map(lambda name: name + "\x00"),
    st.text(alphabet="q0123456789²-_", min_size=1, max_size=12),
    st.just("q" + "9" * 5000),
)
form = st.dictionaries(names, st.one_of(values, st.lists(values, max_size=3)), max_size=6)

# Parameters of a URL without an owner, by converter: what the converter lets through.
CONVERTER_VALUES = {
    "IntConverter": ["0", str(2**63), "9" * 30],
    "StringConverter": ["²", "x" * 300, "-", "xlsx"],
    "SlugConverter": ["x" * 300, "lock", "-"],
    "PathConverter": ["../../etc/passwd", "content/../../x"],
}


def _pick(options, index):
    return options[index % len(options)]


def _every(value) -> dict:
    return dict.fromkeys(FIELD_NAMES, value)


# Beside what Hypothesis draws, every view gets every known name at once with the values that
# answered 500 before (Unicode digits, 5,000 digits, beyond bigint and the column, a NUL).
SWEEPS = [
    (_every("²"), _every("9" * 5000), "owner", 0),
    (_every("Ахмет\x00ова"), _every("①\x00"), "owner", 1),
    (_every(str(2**63)), _every("1e999999"), "methodist", 2),
    (_every("-²"), _every("1e12"), "teacher", 1),
]


def _examples(test):
    for query, posted, role, index in SWEEPS:
        test = example(query=query, posted=posted, role=role, index=index)(test)
    return test


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in WATCHED}


ROUTES = project_routes()


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,  # no .hypothesis folder in the checkout; derandomized runs repeat anyway
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    query=form,
    posted=form,
    role=st.sampled_from(["owner", "teacher", "head", "methodist", "stranger"]),
    index=st.integers(min_value=0, max_value=10),
)
@_examples
def test_no_input_gives_a_500_and_a_refused_post_writes_nothing(
    route, school, attacker, query, posted, role, index
):
    owner_case = None
    if set(route.kwargs) - NOT_IDS and route.name in REGISTRY:
        owner_case = REGISTRY[route.name](school)
    if owner_case is not None:
        kwargs = {**owner_case.kwargs}
        for name in set(route.kwargs) & NOT_IDS - set(kwargs):
            kwargs[name] = _pick(CONVERTER_VALUES[route.converters[name]], index)
    else:
        kwargs = {
            name: _pick(CONVERTER_VALUES.get(route.converters[name], ["x"]), index)
            for name in route.kwargs
        }
    try:
        url = reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        return  # the converter refuses the value: no view is reached
    teacher = TeacherFactory(school=school)
    people = {
        # A URL without an owner is asked by a signed-in teacher in the owner's place.
        "owner": owner_case.owner if owner_case else teacher,
        "teacher": teacher,
        "head": HeadFactory(school=school),
        "methodist": MethodistFactory(),
        "stranger": None,
    }
    client = attacker(people[role])

    got = client.get(f"{url}?{urlencode(query, doseq=True)}")
    assert got.status_code != 500, f"GET {url} {query!r}"

    before = _counts()
    sent = client.post(url, urlencode(posted, doseq=True), content_type=FORM)
    assert sent.status_code != 500, f"POST {url} {posted!r}"
    if sent.status_code >= 400:
        assert _counts() == before, f"POST {url} {posted!r} was refused but wrote rows"


FORM = "application/x-www-form-urlencoded"
