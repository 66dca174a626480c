"""The Content-Security-Policy: every HTML page of the URL configuration and of the admin carries
it, runs only Ustaz's own script files, and no template or rendered page has inline script, an
event-handler attribute, a javascript: URL or inline style for the policy to refuse."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.diagnostics.factories import InstrumentFactory, QuestionFactory
from tests.lms.factories import (
    AdministratorFactory,
    HeadFactory,
    MethodistFactory,
    TeacherFactory,
)
from tests.security.registry import NOT_IDS, REGISTRY
from tests.security.urlconf import project_routes

ROOT = Path(settings.BASE_DIR)
ROUTES = project_routes()
PLAIN_ROUTES = [r for r in ROUTES if not set(r.kwargs) - NOT_IDS]
ID_ROUTES = [r for r in ROUTES if set(r.kwargs) - NOT_IDS]

# Markup the policy refuses (or that would run script if it did not).
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def directives(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_policy_holds(response):
    path = response.request["PATH_INFO"]
    policy = directives(response)
    if "sandbox" in policy:
        return  # a file view's own, stricter policy (library, forum attachments, H5P files)
    script = policy["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, path
    assert all(s == "'self'" or s.startswith("'sha256-") for s in script), (path, script)
    assert policy["object-src"] == ["'none'"], path
    assert policy["base-uri"] == ["'self'"], path
    assert policy["form-action"] == ["'self'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert policy["default-src"] == ["'self'"], path


def assert_no_inline_code(response, *, styles=True):
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    page = response.content.decode(errors="replace")
    path = response.request["PATH_INFO"]
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("event handler", HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ):
        found = pattern.search(page)
        assert not found, f"{path}: {name} {found.group(0)[:120]!r}"
    if styles:
        for name, pattern in (("style attribute", STYLE_ATTRIBUTE), ("<style>", STYLE_ELEMENT)):
            found = pattern.search(page)
            assert not found, f"{path}: {name} {found.group(0)[:120]!r}"


def _people(school):
    return {
        "stranger": None,
        "teacher": TeacherFactory(school=school),
        "head": HeadFactory(school=school),
        "methodist": MethodistFactory(),
        "administrator": AdministratorFactory(),
    }


def _client(user):
    client = Client(raise_request_exception=False, headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=lambda r: r.name)
def test_every_page_without_an_id_carries_the_policy(route, school):
    kwargs = dict.fromkeys(route.kwargs, "csv")
    try:
        url = reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        pytest.fail(f"{route.name}: give this test a value for {route.kwargs}")
    for user in _people(school).values():
        response = _client(user).get(url)
        assert response.status_code != 500, url
        assert_policy_holds(response)
        assert_no_inline_code(response)


@pytest.mark.parametrize("name", sorted(r.name for r in ID_ROUTES), ids=str)
def test_every_page_with_an_id_carries_the_policy_for_its_owner(name, school):
    case = REGISTRY[name](school)
    url = reverse(name, kwargs=case.kwargs)
    owner = None if case.audience == "token" else case.owner
    client = _client(owner)
    response = client.get(url, case.query)
    assert response.status_code != 500, url
    assert_policy_holds(response)
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith("/"):
        response = client.get(location)  # where Ustaz sends the owner (not another host)
    assert_policy_holds(response)
    # The H5P lesson page is the one page whose policy allows inline styles (courses/h5p/csp.py);
    # its own markup has none either.
    assert_no_inline_code(response)


def test_the_interactive_lesson_allows_only_the_players_frame_script(school):
    from courses.h5p.csp import FRAME_SCRIPT, _script_hash

    case = REGISTRY["courses:h5p-result"](school)
    lesson_url = reverse("courses:lesson", kwargs=case.kwargs)
    response = _client(case.owner).get(lesson_url)
    assert response.status_code == 200
    assert 'id="h5p-player"' in response.content.decode()
    policy = directives(response)
    assert policy["script-src"] == ["'self'", _script_hash(FRAME_SCRIPT)]
    # The hash is of the text the vendored player writes into its frame.
    frame_bundle = ROOT / "static/vendor/h5p-standalone/frame.bundle.js"
    assert f"<script>{FRAME_SCRIPT}<\\/script>" in frame_bundle.read_text()


ADMIN_MODELS = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.mark.parametrize("app_label,model_name", ADMIN_MODELS, ids=lambda v: v)
def test_every_admin_page_carries_the_policy(app_label, model_name, db):
    client = _client(AdministratorFactory())
    model = apps.get_model(app_label, model_name)
    pages = [
        reverse(f"admin:{app_label}_{model_name}_changelist"),
        reverse(f"admin:{app_label}_{model_name}_add"),
    ]
    existing = model._default_manager.first()
    if existing is not None:
        pages.append(reverse(f"admin:{app_label}_{model_name}_change", args=[existing.pk]))
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert_policy_holds(response)
        assert_no_inline_code(response)


def test_the_admin_instrument_pages_carry_the_policy(db):
    instrument = InstrumentFactory()
    QuestionFactory(instrument=instrument)
    client = _client(AdministratorFactory())
    for url in (
        reverse("admin:index"),
        reverse("admin:diagnostics_instrument_change", args=[instrument.pk]),
        reverse("admin:diagnostics_instrument_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_policy_holds(response)
        assert_no_inline_code(response)


def test_the_sign_in_page_and_the_error_pages_carry_the_policy(client, db):
    for url in (reverse("login"), "/no-such-page/"):
        response = client.get(url)
        assert_policy_holds(response)
        assert_no_inline_code(response)


# --- the templates themselves ------------------------------------------------------------------


def _templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_no_template_has_inline_script_handlers_or_styles():
    assert len(_templates()) > 100  # the scan found the templates
    problems = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline script", INLINE_SCRIPT),
            ("event handler", HANDLER),
            ("javascript: URL", JAVASCRIPT_URL),
            ("style attribute", STYLE_ATTRIBUTE),
            ("<style>", STYLE_ELEMENT),
        ):
            for found in pattern.finditer(text):
                line = text.count("\n", 0, found.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {name}")
    assert not problems, "\n".join(problems)


def test_the_scan_would_catch_each_kind():
    page = (
        '<script>alert(1)</script><button onclick="x()">'
        '<a href="javascript:x()"><p style="color:red"><style>p{}</style>'
    )
    for pattern in (INLINE_SCRIPT, HANDLER, JAVASCRIPT_URL, STYLE_ATTRIBUTE, STYLE_ELEMENT):
        assert pattern.search(page)
    allowed = '<script src="/static/x.js"></script><script id="d" type="application/json">{}'
    assert not INLINE_SCRIPT.search(allowed)


@pytest.mark.parametrize("percent", [0, 37, 100])
def test_a_progress_bar_gets_its_width_from_a_class_the_stylesheet_has(percent):
    from django.template.loader import render_to_string

    bar = render_to_string("courses/_progress.html", {"percent": percent})
    assert f"w-pct-{percent}" in bar and "style=" not in bar
    stylesheet = (ROOT / "static/css/ustaz.css").read_text()
    assert f".w-pct-{percent}{{width:{percent}%}}" in stylesheet
