"""A teacher submits the autumn diagnosis, is regrouped automatically and opens their group."""

import io

import pytest
from django.core.management import call_command

from diagnostics.models import GroupingRun, GroupMembership
from tests.e2e.helpers import sign_in, wait_for_chart
from tests.e2e.test_take_diagnosis import answer_every_page

pytestmark = pytest.mark.e2e


def test_new_scores_place_the_teacher_in_a_group_they_can_open(page, transactional_db):
    call_command("seed_demo", stdout=io.StringIO())  # demo rounds grouped; autumn regroups
    email = "teacher1.01@demo.ustaz.kz"  # left without an autumn diagnosis by the demo
    assert not GroupMembership.objects.filter(
        teacher__email=email, round__title__startswith="Күз"
    ).exists()
    sign_in(page, email)
    page.locator("a[href*='/take/']").first.click()
    page.wait_for_url("**/form/**")  # a browser with scripts takes the one form
    answer_every_page(page)
    page.locator("#take-submit button[type=submit]").click()
    page.wait_for_url("**/diagnostics/responses/*/")

    membership = GroupMembership.objects.select_related("group").get(
        teacher__email=email, round__title__startswith="Күз"
    )
    assert GroupingRun.objects.filter(round=membership.round, automatic=True).exists()
    page.goto("/")
    page.locator(f"a[href='{membership.group.get_absolute_url()}']").click()
    wait_for_chart(page, "group-radar-chart")
    assert page.locator("#member-table tr.table-primary").count() == 1  # the teacher's own row
    assert page.locator("#profile-table tbody tr").count() == 6  # one row per area
    page.screenshot(path="test-results/study-group-kk.png", full_page=True)
