"""'Score this round again' on the rounds' admin list: its own permission, a confirmation page,
and the round's responses scored again with the key as it is now."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from diagnostics.models import Response
from diagnostics.scoring import responses_score
from lms.roles import Role
from tests.diagnostics.admin_helpers import english_methodist
from tests.diagnostics.helpers import answered_response, by_code
from tests.lms.factories import AdministratorFactory, HeadFactory, TeacherFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:diagnostics_round_changelist")
CONFIRMATION = "admin/diagnostics/round/score_again_confirmation.html"


@pytest.fixture
def wrongly_scored(open_round, school) -> Response:
    """A response scored 0 on a question whose key the methodist then fixes (A earns 1)."""
    response = answered_response(open_round, TeacherFactory(school=school), {"single": "A"})
    responses_score(response_ids=[response.pk])
    response.refresh_from_db()
    assert response.points == Decimal("0")
    question = by_code(open_round.instrument)["single"]
    question.choices.filter(text_en="A").update(credit=1)
    return response


def action_post(round_, *, confirmed=False) -> dict:
    data = {"action": "score_again", "_selected_action": [round_.pk], "index": 0}
    if confirmed:
        data["post"] = "yes"
    return data


def points_of(response) -> Decimal:
    response.refresh_from_db()
    return response.points


def action_names(client) -> list[str]:
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    return [name for name, _label in page.context["action_form"].fields["action"].choices]


def test_methodist_confirms_and_the_round_is_scored_again(
    client, open_round, wrongly_scored, django_capture_on_commit_callbacks
):
    client.force_login(english_methodist())
    assert "score_again" in action_names(client)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        page = client.post(CHANGELIST, action_post(open_round))
    assert page.status_code == 200
    assert CONFIRMATION in [template.name for template in page.templates]
    assert "1 response to score again" in page.content.decode()
    assert open_round.title in page.content.decode()
    assert queued == []  # asking is not doing
    assert points_of(wrongly_scored) == Decimal("0")

    with django_capture_on_commit_callbacks(execute=True) as queued:
        done = client.post(CHANGELIST, action_post(open_round, confirmed=True), follow=True)
    assert len(queued) == 1  # one task for the round, queued after commit
    assert done.redirect_chain[-1][0] == CHANGELIST
    assert "1 round will be scored again." in done.content.decode()
    assert points_of(wrongly_scored) == Decimal("1")
    assert wrongly_scored.status == Response.Status.SCORED


def test_cancelling_scores_nothing(
    client, open_round, wrongly_scored, django_capture_on_commit_callbacks
):
    client.force_login(english_methodist())
    with django_capture_on_commit_callbacks(execute=True) as queued:
        page = client.post(CHANGELIST, action_post(open_round))
        # "No, take me back" is a plain link to the list: following it posts nothing.
        assert f'href="{CHANGELIST}" class="button"' in page.content.decode()
        back = client.get(CHANGELIST)
    assert back.status_code == 200
    assert queued == []
    assert points_of(wrongly_scored) == Decimal("0")


def test_methodist_without_the_permission_neither_sees_nor_runs_it(
    client, open_round, wrongly_scored, django_capture_on_commit_callbacks
):
    # A deployment may take the permission away from methodists (their group is the role's).
    rescore = Permission.objects.get(
        content_type__app_label="diagnostics", codename="rescore_round"
    )
    Group.objects.get(name=Role.METHODIST).permissions.remove(rescore)
    client.force_login(english_methodist())
    assert "score_again" not in action_names(client)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        asked = client.post(CHANGELIST, action_post(open_round))
        forced = client.post(CHANGELIST, action_post(open_round, confirmed=True))
    assert CONFIRMATION not in [template.name for template in asked.templates]
    assert forced.status_code in (200, 302)
    assert queued == []
    assert points_of(wrongly_scored) == Decimal("0")


def test_a_head_cannot_reach_the_action(
    client, open_round, wrongly_scored, head, django_capture_on_commit_callbacks
):
    client.force_login(head)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        refused = client.post(CHANGELIST, action_post(open_round, confirmed=True))
    assert refused.status_code == 302
    assert reverse("admin:login") in refused["Location"]
    assert queued == []
    assert points_of(wrongly_scored) == Decimal("0")


def test_only_methodists_and_administrators_hold_the_permission(db):
    holders = {
        role: factory().has_perm("diagnostics.rescore_round")
        for role, factory in [
            (Role.METHODIST, english_methodist),
            (Role.ADMINISTRATOR, AdministratorFactory),
            (Role.SCHOOL_HEAD, HeadFactory),
            (Role.TEACHER, TeacherFactory),
        ]
    }
    assert holders == {
        Role.METHODIST: True,
        Role.ADMINISTRATOR: True,
        Role.SCHOOL_HEAD: False,
        Role.TEACHER: False,
    }
