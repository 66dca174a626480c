"""Work a dead worker held comes back: beat's sweepers find grouping runs and text extractions
left queued or running past the deadline and run them again once, then fail them with a reason;
a submission whose scoring task was lost is scored within the stated bound."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from diagnostics.grouping import tasks as grouping_tasks
from diagnostics.grouping.tasks import sweep_stale_grouping_runs
from diagnostics.interchange.instrument_json import instrument_import
from diagnostics.models import GroupingRun, Response
from diagnostics.scoring import tasks as scoring_tasks
from diagnostics.scoring.tasks import WORST_CASE_DELAY, requeue_stale_submissions
from library import tasks as library_tasks
from library.models import Resource
from library.services import resource_saved
from library.tasks import sweep_stale_extractions
from tests.diagnostics.conftest import SMALL_INSTRUMENT
from tests.diagnostics.factories import (
    AreaFactory,
    FrameworkFactory,
    InstrumentFactory,
    LevelFactory,
    RoundFactory,
)
from tests.diagnostics.grouping_helpers import Setup, scored
from tests.diagnostics.helpers import ALL_RIGHT, answered_response
from tests.library.factories import ResourceFactory
from tests.library.files import docx_bytes

Status = GroupingRun.Status
PAST_DEADLINE = settings.WORK_DEADLINE + timedelta(seconds=1)


@pytest.fixture
def grouping_setup(school):
    framework = FrameworkFactory()
    level = LevelFactory(framework=framework, position=1)
    area = AreaFactory(framework=framework)
    round_ = RoundFactory(instrument=InstrumentFactory(framework=framework), schools=[school])
    return Setup(round_, level, level, level, area, area, area)


@pytest.fixture
def diagnosis_round(school):
    instrument = instrument_import(SMALL_INSTRUMENT)
    instrument.status = "published"
    instrument.save(update_fields=["status"])
    return RoundFactory(instrument=instrument, schools=[school])


def at(moment) -> str:
    return moment.isoformat()


@pytest.fixture
def sent(monkeypatch):
    """Count what the sweepers queue, and run it at once as a worker would."""
    sent = []

    def sender(task):
        def delay(*args):
            sent.append((task.name, *args))
            return task(*args)

        return delay

    for task in (
        grouping_tasks.group_teachers,
        grouping_tasks.plan_grouping,
        library_tasks.extract_resource_text,
        scoring_tasks.score_waiting_responses,
    ):
        monkeypatch.setattr(task, "delay", sender(task))
    return sent


def stuck_run(setup, **fields) -> GroupingRun:
    school = setup.round.schools.get()
    for index in range(6):
        scored(setup, level=setup.low, school=school, percent=20 + index)
    return GroupingRun.objects.create(round=setup.round, status=Status.RUNNING, **fields)


# --- grouping ----------------------------------------------------------------------------------


def test_a_run_left_running_past_the_deadline_is_run_again_and_finishes(grouping_setup, sent):
    run = stuck_run(grouping_setup)
    later = run.queued_at + PAST_DEADLINE
    assert sweep_stale_grouping_runs(at(later))["run_again"] == [run.pk]
    run.refresh_from_db()
    assert run.status == Status.DONE
    assert run.summary["teachers_placed"] == 6
    assert run.attempts == 2
    assert sent == [("diagnostics.tasks.group_teachers", run.pk)]
    with translation.override("en"):
        assert run.stopped_note.startswith("The worker stopped; started again at")
    # Done now: later sweeps leave it alone.
    assert sweep_stale_grouping_runs(at(later + PAST_DEADLINE))["run_again"] == []


def test_a_run_within_the_deadline_is_left_alone(grouping_setup, sent):
    run = stuck_run(grouping_setup)
    almost = run.queued_at + settings.WORK_DEADLINE - timedelta(seconds=1)
    assert sweep_stale_grouping_runs(at(almost)) == {
        "planned_again": [],
        "run_again": [],
        "failed": [],
    }
    run.refresh_from_db()
    assert (run.status, run.attempts, run.restarted_at) == (Status.RUNNING, 1, None)
    assert sent == []


def test_a_run_still_planning_is_planned_again(grouping_setup, sent):
    run = stuck_run(grouping_setup)
    GroupingRun.objects.filter(pk=run.pk).update(status=Status.PLANNING)
    assert sweep_stale_grouping_runs(at(run.queued_at + PAST_DEADLINE))["planned_again"] == [run.pk]
    run.refresh_from_db()
    assert run.status == Status.PLANNED  # the preview is ready for the methodist


def test_after_the_last_attempt_the_run_fails_with_the_reason_on_its_admin_page(
    grouping_setup, sent, client, methodist
):
    run = stuck_run(grouping_setup, attempts=settings.WORK_MAX_ATTEMPTS)
    assert sweep_stale_grouping_runs(at(run.queued_at + PAST_DEADLINE))["failed"] == [run.pk]
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.finished_at is not None
    assert sent == []
    client.force_login(methodist)
    reason = "Failed after 2 attempts: the worker stopped each time before the run finished."
    with translation.override("en"):
        page = client.get(
            reverse("admin:diagnostics_groupingrun_change", args=[run.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        listing = client.get(
            reverse("admin:diagnostics_groupingrun_changelist"), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert page.status_code == 200
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        expected = run.stopped_note
    assert expected in page.content.decode()
    assert expected in listing.content.decode()
    with translation.override("en"):
        assert run.stopped_note.startswith(reason)
    with translation.override("ru"):
        assert "2" in run.stopped_note
        assert not run.stopped_note.startswith("Failed")


def test_a_confirmed_run_counts_its_deadline_from_the_confirmation(grouping_setup, sent):
    from diagnostics.grouping.services import grouping_run_confirm, grouping_run_start

    for _ in range(6):
        scored(grouping_setup, level=grouping_setup.low, school=grouping_setup.round.schools.get())
    run = grouping_run_start(round=grouping_setup.round)
    GroupingRun.objects.filter(pk=run.pk).update(
        queued_at=timezone.now() - 3 * settings.WORK_DEADLINE
    )
    grouping_tasks.plan_grouping(run.pk)
    # The methodist read the preview for half an hour, then confirmed.
    run = grouping_run_confirm(run=GroupingRun.objects.get(pk=run.pk))
    assert timezone.now() - run.queued_at < timedelta(seconds=5)
    assert sweep_stale_grouping_runs()["run_again"] == []


# --- library -----------------------------------------------------------------------------------


@pytest.fixture
def pending(db):
    """An uploaded file whose reading was queued, and whose task a dead worker held."""
    resource = ResourceFactory(external_url="", file_type="docx")
    resource.file.save("upload.docx", ContentFile(docx_bytes("Цифрлық сауаттылық")))
    with mock.patch.object(library_tasks.extract_resource_text, "delay"):
        resource_saved(resource=resource, file_changed=True)
    resource.refresh_from_db()
    assert resource.extraction == Resource.Extraction.PENDING
    return resource


def test_an_extraction_left_waiting_past_the_deadline_is_read_again(pending, sent):
    later = pending.extraction_queued_at + PAST_DEADLINE
    assert sweep_stale_extractions(at(later)) == {"read_again": [pending.pk], "stopped": []}
    pending.refresh_from_db()
    assert pending.extraction == Resource.Extraction.DONE
    assert "сауаттылық" in pending.extracted_text
    assert sent == [("library.tasks.extract_resource_text", pending.pk)]


def test_an_extraction_within_the_deadline_is_left_alone(pending, sent):
    almost = pending.extraction_queued_at + settings.WORK_DEADLINE - timedelta(seconds=1)
    assert sweep_stale_extractions(at(almost)) == {"read_again": [], "stopped": []}
    pending.refresh_from_db()
    assert pending.extraction == Resource.Extraction.PENDING
    assert sent == []


def test_an_extraction_stopped_every_time_says_so_on_its_admin_page(
    pending, sent, client, methodist
):
    Resource.objects.filter(pk=pending.pk).update(extraction_attempts=settings.WORK_MAX_ATTEMPTS)
    later = pending.extraction_queued_at + PAST_DEADLINE
    assert sweep_stale_extractions(at(later)) == {"read_again": [], "stopped": [pending.pk]}
    assert sent == []
    pending.refresh_from_db()
    assert pending.extraction == Resource.Extraction.STOPPED
    client.force_login(methodist)
    page = client.get(reverse("admin:library_resource_change", args=[pending.pk]))
    assert page.status_code == 200
    with translation.override(page.wsgi_request.LANGUAGE_CODE):
        label = str(Resource.Extraction.STOPPED.label)
    assert label in page.content.decode()


# --- scoring -----------------------------------------------------------------------------------


def test_scorings_worst_case_delay_after_a_lost_task_is_under_three_minutes(
    diagnosis_round,
    teacher,
    sent,
):
    # The submit's scoring request never reaches a broker: the task is lost.
    with mock.patch.object(scoring_tasks.score_waiting_responses, "delay"):
        response = answered_response(diagnosis_round, teacher, ALL_RIGHT)
    assert Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED
    submitted = Response.objects.get(pk=response.pk).submitted_at
    interval = timedelta(seconds=settings.SWEEP_INTERVAL_SECONDS)
    beat = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat["diagnostics.tasks.requeue_stale_submissions"] == interval.total_seconds()
    assert timedelta(minutes=3) > WORST_CASE_DELAY
    # Beat ticks every interval from a moment the submit does not know: the latest first tick
    # comes just under one interval after the submit.
    tick = submitted + interval - timedelta(milliseconds=1)
    while not requeue_stale_submissions(at(tick)):
        assert Response.objects.get(pk=response.pk).status == Response.Status.SUBMITTED
        tick += interval
    assert tick - submitted <= WORST_CASE_DELAY
    assert Response.objects.get(pk=response.pk).status == Response.Status.SCORED
    assert sent == [("diagnostics.tasks.score_waiting_responses",)]


def test_the_sweepers_keep_pinned_names_in_the_beat_schedule():
    from lms.celery import app

    pinned = {
        "diagnostics.tasks.sweep_stale_grouping_runs",
        "library.tasks.sweep_stale_extractions",
    }
    assert pinned <= set(app.tasks)
    beat = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert all(beat[name] == settings.SWEEP_INTERVAL_SECONDS for name in pinned)
    # A task still running is never taken for dead.
    assert settings.WORK_DEADLINE.total_seconds() > max(
        grouping_tasks.group_teachers.time_limit, library_tasks.extract_resource_text.time_limit
    )


# --- two sweepers at once (PostgreSQL) ---------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent claims need PostgreSQL connections: set DATABASE_URL",
)


def sweep_together(sweep, moment, count=2) -> list:
    """Run `count` sweeps at once, each in its own thread and database connection."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def one():
        try:
            barrier.wait()
            results.append(sweep(at(moment)))
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    return results


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_claim_a_stuck_run_once(school, sent):
    runs = [
        GroupingRun.objects.create(round=RoundFactory(schools=[school]), status=Status.RUNNING)
        for _ in range(20)
    ]
    later = max(run.queued_at for run in runs) + PAST_DEADLINE
    results = sweep_together(sweep_stale_grouping_runs, later, count=4)
    claimed = sorted(pk for result in results for pk in result["run_again"])
    assert claimed == sorted(run.pk for run in runs)
    assert sorted(args[1] for args in sent) == claimed
    assert set(GroupingRun.objects.values_list("attempts", flat=True)) == {2}


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_claim_a_stuck_extraction_once(sent):
    resources = [
        ResourceFactory(
            external_url="",
            extraction=Resource.Extraction.PENDING,
            extraction_queued_at=timezone.now(),
            extraction_attempts=1,
        )
        for _ in range(20)
    ]
    later = timezone.now() + PAST_DEADLINE
    results = sweep_together(sweep_stale_extractions, later, count=4)
    claimed = sorted(pk for result in results for pk in result["read_again"])
    assert claimed == sorted(r.pk for r in resources)
    assert set(Resource.objects.values_list("extraction_attempts", flat=True)) == {2}
