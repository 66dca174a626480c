"""A methodist starts grouping in the admin, reads the preview (a small level placed with its
neighbour is flagged), confirms, and the groups are written."""

import pytest

from diagnostics.models import GroupingRun, GroupMembership, StudyGroup
from tests.diagnostics import grouping_helpers
from tests.diagnostics.grouping_helpers import scored
from tests.e2e.helpers import sign_in
from tests.lms.factories import PASSWORD, MethodistFactory

pytestmark = pytest.mark.e2e

grouping_setup = grouping_helpers.grouping_setup


def test_methodist_previews_then_confirms_grouping(page, transactional_db, grouping_setup, school):
    setup = grouping_setup
    for index in range(10):
        scored(setup, level=setup.low, school=school, percent=10 + index)
    for index in range(4):
        scored(setup, level=setup.mid, school=school, percent=50 + index)
    methodist = MethodistFactory()
    sign_in(page, methodist.email, PASSWORD)

    page.goto(f"/admin/diagnostics/groupingrun/add/?round={setup.round.pk}")
    assert page.locator("input[name=min_size]").input_value() == "5"
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/preview/")
    assert page.locator("#grouping-preview").get_attribute("data-status") == "planned"
    assert page.locator("#preview-groups tbody tr").count() == 1
    assert page.locator("#preview-groups .placed-from").count() == 4  # the Growing four
    assert not GroupMembership.objects.exists()  # nothing moved while reading
    page.screenshot(path="test-results/grouping-preview-kk.png", full_page=True)

    page.locator("#preview-actions button[value=confirm]").click()
    page.wait_for_function(
        "() => document.getElementById('grouping-preview').dataset.status === 'done'"
    )
    assert GroupingRun.objects.get().status == GroupingRun.Status.DONE
    assert StudyGroup.objects.get().memberships.count() == 14
