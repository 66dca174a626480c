"""The authorisation matrix, generated from the URL configuration: every URL that takes an id,
asked as the object's owner, as a user of another school with the owner's role, as a teacher
and a head of another school, as a colleague of the owner's school, and as a stranger.

Only the owner (and, where the owner is not one, methodists, who read every school) may get
the page; everyone else gets 404, 403, a redirect or "method not allowed" — never the object.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.lms.factories import HeadFactory, SchoolFactory, TeacherFactory
from tests.security.registry import NOT_IDS, REGISTRY
from tests.security.urlconf import project_routes

REFUSED = {302, 400, 403, 404, 405}
ID_ROUTES = [r for r in project_routes() if set(r.kwargs) - NOT_IDS]


def test_every_url_that_takes_an_id_is_in_the_matrix():
    missing = sorted(r.name for r in ID_ROUTES if r.name not in REGISTRY)
    assert not missing, (
        "These URLs take an id but have no owner in tests/security/registry.py: "
        + ", ".join(missing)
    )
    stale = sorted(set(REGISTRY) - {r.name for r in ID_ROUTES})
    assert not stale, "No such URL any more: " + ", ".join(stale)


def _ask(client, case, url):
    if case.query:
        url = f"{url}?{urlencode(case.query)}"
    if case.method == "post":
        return client.post(url, case.data)
    return client.get(url)


def _outsiders(school):
    """A teacher and a head of another school (the owner's role elsewhere, for teachers and
    heads), and a teacher of the owner's own school (for a teacher's object, a colleague)."""
    other = SchoolFactory()
    return {
        "teacher elsewhere": TeacherFactory(school=other),
        "head elsewhere": HeadFactory(school=other),
        "colleague": TeacherFactory(school=school),
    }


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_only_the_owner_opens_it(name, school, attacker):
    case = REGISTRY[name](school)
    url = reverse(name, kwargs=case.kwargs)
    seen = {}
    if case.audience == "token":
        wrong = reverse(name, kwargs=case.wrong_kwargs)
        someone = TeacherFactory(school=SchoolFactory())
        for who, client in (("stranger", attacker()), ("someone", attacker(someone))):
            response = _ask(client, case, wrong)
            seen[who] = response.status_code
            assert response.status_code != 500
            assert case.owner.full_name not in response.content.decode(errors="ignore"), who
        assert _ask(attacker(), case, url).status_code not in (404, 500), seen
        return

    owner = _ask(attacker(case.owner), case, url)
    assert owner.status_code not in (403, 404, 500), f"the owner got {owner.status_code}"

    stranger = _ask(attacker(), case, url)
    assert stranger.status_code in (302, 403, 404, 405), stranger.status_code
    if stranger.status_code == 302:
        assert "/login/" in stranger["Location"]  # the site's sign-in or the admin's
    if case.audience == "signed_in":
        return
    for who, person in _outsiders(school).items():
        if who == "colleague" and case.audience == "school":
            continue
        response = _ask(attacker(person), case, url)
        seen[who] = response.status_code
    leaks = {who: status for who, status in seen.items() if status not in REFUSED}
    assert not leaks, f"{url} answered {leaks} (owner {case.owner.role})"
