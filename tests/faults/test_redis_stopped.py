"""Redis stopped while teachers submit (issue 15, Faults): every submission is saved and the
teacher told the result will follow; every other page works without the cache, and work that
could not be queued says so instead of waiting for a task that never comes."""

import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import GroupingRun, Response
from diagnostics.scoring.sets import responses_score
from diagnostics.scoring.tasks import requeue_stale_submissions
from forums.models import Forum, Post
from library.models import Resource
from lms.celery import app as celery_app
from tests.diagnostics import conftest as diagnostics_fixtures
from tests.diagnostics import grouping_helpers
from tests.diagnostics.admin_helpers import english_methodist
from tests.diagnostics.factories import RoundFactory
from tests.diagnostics.grouping_helpers import scored
from tests.diagnostics.helpers import ALL_RIGHT, answered_response
from tests.forums.factories import topic
from tests.library.factories import ResourceFactory
from tests.library.files import pdf_bytes
from tests.library.test_admin import form_data
from tests.lms.factories import TeacherFactory

grouping_setup = grouping_helpers.grouping_setup
instrument = diagnostics_fixtures.instrument
open_round = diagnostics_fixtures.open_round

pytestmark = pytest.mark.usefixtures("redis_stopped")

# A failed send costs Celery's publish retries (about 0.7 s) and the cache a refused connect
# (then it is left alone for a few seconds): nothing that holds a teacher's page.
SECONDS = 5


def english(client, method, url, **kwargs):
    started = time.monotonic()
    reply = getattr(client, method)(url, headers={"accept-language": "en"}, **kwargs)
    assert time.monotonic() - started < SECONDS, f"{url} took too long without Redis"
    return reply


def messages_of(reply) -> list[str]:
    return [str(message) for message in reply.context["messages"]]


def test_teacher_submits_and_is_told_the_result_will_follow(
    client, teacher, open_round, django_capture_on_commit_callbacks
):
    response = answered_response(open_round, teacher, ALL_RIGHT, submit=False)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        reply = english(client, "post", reverse("diagnostics:submit", args=[response.pk]))
    assert reply.status_code == 302
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.answers.count() == len(ALL_RIGHT)
    page = english(client, "get", reply["Location"])
    assert page.status_code == 200
    assert "Your result will follow on this page." in " ".join(messages_of(page))
    assert "hx-get" in page.content.decode()  # the page goes on asking for the result

    # Still waiting a while later: the page says why the result is late.
    Response.objects.filter(pk=response.pk).update(
        submitted_at=timezone.now() - timezone.timedelta(minutes=3)
    )
    status = english(client, "get", reverse("diagnostics:status", args=[response.pk]))
    assert "your result will follow" in status.content.decode()

    # Redis back (tasks run here in-process): beat's sweeper finds it and it is scored.
    celery_app.conf.task_always_eager = True
    assert requeue_stale_submissions() is True
    response.refresh_from_db()
    assert response.status == Response.Status.SCORED


def test_library_search_works_without_the_cache(client, teacher):
    ResourceFactory(title="Spreadsheets for teachers")
    client.force_login(teacher)
    for query in ("", "?q=spreadsheets"):
        reply = english(client, "get", reverse("library:search") + query)
        assert reply.status_code == 200
        assert "Spreadsheets for teachers" in reply.content.decode()


def test_head_reads_the_report_and_its_export(client, head, school, open_round):
    diagnosed = [
        answered_response(open_round, TeacherFactory(school=school), ALL_RIGHT) for _ in range(5)
    ]
    responses_score(response_ids=[response.pk for response in diagnosed])
    client.force_login(head)
    page = english(client, "get", reverse("diagnostics:school-report", args=[school.pk]))
    assert page.status_code == 200
    assert page.context["report"].area_rows  # the area means, read without the cache
    export = english(
        client, "get", reverse("diagnostics:school-report-export", args=[school.pk, "xlsx"])
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_recompute_statistics_says_it_could_not_be_queued(client, methodist, school):
    round_ = RoundFactory(schools=[school])
    client.force_login(methodist)
    url = reverse("diagnostics:statistics", args=[round_.pk])
    reply = english(client, "post", url, follow=True)
    assert reply.status_code == 200
    said = " ".join(messages_of(reply))
    assert "could not be recomputed now" in said
    assert "being recomputed" not in said


def test_library_admin_save_keeps_the_resource_and_its_file(
    client, methodist, django_capture_on_commit_callbacks
):
    client.force_login(methodist)
    upload = SimpleUploadedFile("lesson.pdf", pdf_bytes("Binary numbers"))
    data = form_data(file=upload)
    with django_capture_on_commit_callbacks(execute=True):
        reply = english(client, "post", reverse("admin:library_resource_add"), data=data)
    assert reply.status_code == 302
    resource = Resource.objects.get()
    assert default_storage.exists(resource.file.name)
    # Waiting to be read, as it would be with the worker busy.
    assert resource.extraction == Resource.Extraction.PENDING


def test_starting_a_grouping_run_fails_it_with_the_reason(
    client, transactional_db, grouping_setup, school
):
    # Real commits: the plan is sent when the admin's transaction commits, before the reply.
    for _ in range(6):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    client.force_login(english_methodist())
    started = english(
        client,
        "post",
        reverse("admin:diagnostics_groupingrun_add"),
        data={
            "round": grouping_setup.round.pk,
            "scope": "school",
            "size_limit": 20,
            "min_size": 5,
            "strategy": "level",
        },
    )
    assert started.status_code == 302
    run = GroupingRun.objects.get()
    assert run.status == GroupingRun.Status.FAILED
    assert "background service is unreachable" in run.summary["error"]
    assert not GroupingRun.objects.filter(
        status__in=[GroupingRun.Status.PLANNING, GroupingRun.Status.RUNNING]
    ).exists()
    page = english(client, "get", started["Location"])
    assert page.status_code == 200
    said = " ".join(messages_of(page))
    assert "background service is unreachable" in said
    assert "being planned" not in said
    assert "Planning failed; nobody was moved." in page.content.decode()


def test_teacher_replies_in_a_forum(client, teacher, django_capture_on_commit_callbacks):
    # The announcement that could not be queued costs the reply nothing.
    question = topic(Forum.objects.create(title="Group forum"), teacher)
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        reply = english(
            client,
            "post",
            reverse("forums:reply", args=[question.pk]),
            data={"body": "Saved without Redis", "language": "kk"},
        )
    assert reply.status_code == 302
    assert Post.objects.filter(body="Saved without Redis").exists()


@pytest.mark.parametrize("role", ["teacher", "head", "methodist"])
def test_everyone_signs_in_and_opens_the_dashboard(client, db, role, request):
    user = request.getfixturevalue(role)
    user.set_password("a long enough password 42")
    user.save(update_fields=["password"])
    signed_in = english(
        client,
        "post",
        reverse("login"),
        data={"username": user.email, "password": "a long enough password 42"},
    )
    assert signed_in.status_code == 302
    assert english(client, "get", reverse("dashboard")).status_code == 200


def test_forum_rate_limit_holds_without_the_cache(client, settings, teacher):
    # The limit counts the posts in the database: a stopped Redis lets no flood through.
    settings.FORUMS_POSTS_PER_WINDOW = 3
    question = topic(Forum.objects.create(title="Group forum"), teacher)  # the first post
    client.force_login(teacher)
    url = reverse("forums:reply", args=[question.pk])
    for number in (2, 3):
        sent = english(client, "post", url, data={"body": f"post {number}", "language": "kk"})
        assert sent.status_code == 302
    refused = english(client, "post", url, data={"body": "post 4, kept", "language": "kk"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "You are posting very quickly" in page
    assert "post 4, kept" in page  # the text is not lost
    assert Post.objects.filter(author=teacher).count() == 3
