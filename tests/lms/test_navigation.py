"""The main navigation: each role's entries, gathered from every app's AppConfig hook."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

EXPECTED = {
    "teacher": ["Dashboard", "Courses", "Portfolio", "Library", "Forums", "Profile"],
    "head": [
        *("Dashboard", "Courses", "Library", "Forums"),
        *("Teachers", "Import roster", "Innovative teachers", "Profile"),
    ],
    "methodist": [
        *("Dashboard", "Courses", "Library", "Forums"),
        *("Innovative teachers", "Authoring", "Profile"),
    ],
    "administrator": [
        *("Dashboard", "Courses", "Library", "Forums"),
        *("Innovative teachers", "Schools", "Authoring", "Profile"),
    ],
}


@pytest.mark.parametrize("person", sorted(EXPECTED))
def test_each_role_sees_its_entries_in_order(db, client, person, request):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("dashboard"))
    entries = response.context["nav_entries"]
    with translation.override("en"):
        assert [str(entry.label) for entry in entries] == EXPECTED[person]
    # The courses' and the library's entries come from their AppConfigs, rendered as links.
    assert entries[1].url == reverse("courses:catalogue")
    library = next(entry for entry in entries if str(entry.url) == reverse("library:home"))
    assert f'href="{library.url}"' in response.content.decode()


def test_strangers_get_no_entries(db, client):
    response = client.get(reverse("login"))
    assert response.context["nav_entries"] == []


def test_lms_imports_no_feature_app():
    """Only lms/urls.py and the dashboard composition may name a feature app."""
    features = {"diagnostics", "library", "courses", "forums"}
    allowed = {"urls.py"}
    offenders = []
    for path in (Path(__file__).resolve().parents[2] / "lms").rglob("*.py"):
        if path.name in allowed or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] in features]
    assert offenders == []
