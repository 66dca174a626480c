import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.models import User
from tests.e2e.helpers import sign_in, wait_for_chart

pytestmark = pytest.mark.e2e


def test_head_opens_the_school_report_from_the_dashboard_and_sees_the_charts(
    page, transactional_db
):
    call_command("seed_demo", stdout=io.StringIO())  # two schools, spring and autumn rounds
    head = User.objects.get(email="head1@demo.ustaz.kz")
    sign_in(page, head.email)
    report_url = reverse("diagnostics:school-report", args=[head.school_id])
    page.locator(f"a[href='{report_url}']").click()
    page.wait_for_url(f"**{report_url}")

    wait_for_chart(page, "level-chart")
    wait_for_chart(page, "area-chart")
    # The numbers behind the charts are in tables for screen readers: one row per level and
    # per area, and the school has 30 teachers of whom 29 took the autumn round.
    assert page.locator("#level-table tbody tr").count() == 4
    assert page.locator("#area-table tbody tr").count() == 6
    assert page.locator("#summary-total").inner_text() == "30"
    assert page.locator("#teacher-table tbody tr").count() == 30
    page.screenshot(path="test-results/school-report-kk.png", full_page=True)

    # Growth between spring and autumn, from the report.
    page.locator(
        f"a[href='{reverse('diagnostics:school-growth', args=[head.school_id])}']"
    ).first.click()
    wait_for_chart(page, "growth-chart")
    assert page.locator("#transition-table tbody tr").count() == 4
    page.screenshot(path="test-results/school-growth-kk.png", full_page=True)
