"""Redis stopped (issue 15, Faults): what a page asks of the background waits in the database
instead of answering 500 after the commit, the page says so, and beat's sweepers do it once the
broker is back — invitation letters, course progress recomputes, a certificate's stage refresh
and its notification.

Real commits (transactional_db): the sends happen as the request's transaction commits, before
the reply, as in production."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses.certificates.models import Certificate
from courses.models import CompletionRecompute, Evidence
from courses.portfolio.models import Stage, StageRule
from courses.services import enrolment_create, lesson_mark_done
from courses.tasks import requeue_waiting_recomputes
from lms.celery import app as celery_app
from lms.models import User, WaitingInvitation
from lms.notifications.models import Notification
from lms.tasks import send_waiting_invitations
from tests.courses.factories import course_with_lessons
from tests.courses.test_admin import lesson_rule_change
from tests.faults.test_redis_stopped import english, messages_of
from tests.lms.factories import TeacherFactory

pytestmark = pytest.mark.usefixtures("redis_stopped")

ROSTER = (
    "full_name,email,subject,years_of_teaching\n"
    "Ахметова Айгүл,aigul@school.kz,Математика,12\n"
    "Садықов Нұрлан,nurlan@school.kz,Информатика,\n"
)
LETTERS_WAIT = "the e-mails will be sent as soon as it is back"
RECOMPUTE_WAITS = "progress will be recomputed as soon as it is back"
STAGES_WAIT = "stages will follow the changed rules at the nightly refresh"


def broker_back():
    """Redis is back: what beat's sweepers send now runs (here in-process, as a worker would)."""
    celery_app.conf.task_always_eager = True


def later(minutes: int = 3) -> str:
    return (timezone.now() + timedelta(minutes=minutes)).isoformat()


def test_roster_import_keeps_the_letters_until_the_queue_is_back(
    client, transactional_db, head, school
):
    client.force_login(head)
    upload = SimpleUploadedFile("roster.csv", ROSTER.encode(), content_type="text/csv")
    reply = english(
        client, "post", reverse("roster-import", args=[school.pk]), data={"file": upload}
    )
    assert reply.status_code == 302
    said = " ".join(messages_of(english(client, "get", reply["Location"])))
    assert "2 teachers were read" in said
    assert LETTERS_WAIT in said
    assert User.objects.filter(school=school, role="teacher").count() == 2
    assert mail.outbox == []
    assert WaitingInvitation.objects.count() == 2

    broker_back()
    assert send_waiting_invitations() == 2
    assert sorted(letter.to[0] for letter in mail.outbox) == [
        "aigul@school.kz",
        "nurlan@school.kz",
    ]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client.logout()
    assert client.get(link, follow=True).context["validlink"]
    assert not WaitingInvitation.objects.exists()
    assert send_waiting_invitations() == 0  # sent once


def test_invitation_sent_again_waits_until_the_queue_is_back(
    client, transactional_db, head, school
):
    invited = TeacherFactory(school=school, password=make_password(None), last_login=None)
    client.force_login(head)
    reply = english(
        client, "post", reverse("teacher-invite", args=[school.pk, invited.pk]), follow=True
    )
    assert reply.status_code == 200
    said = " ".join(messages_of(reply))
    assert f"the invitation to {invited.email} will be sent as soon as it is back" in said
    assert "was sent to" not in said
    assert WaitingInvitation.objects.filter(user=invited).exists()

    broker_back()
    assert send_waiting_invitations() == 1
    assert [letter.to for letter in mail.outbox] == [[invited.email]]


def test_course_recompute_waits_queued_and_runs_once_the_queue_is_back(
    client, transactional_db, methodist, teacher
):
    course, (lesson,) = course_with_lessons(lessons=1)
    enrolment = enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=lesson)
    client.force_login(methodist)
    reply = english(
        client,
        "post",
        reverse("admin:courses_course_changelist"),
        data={"action": "recompute_progress", "_selected_action": [course.pk]},
        follow=True,
    )
    assert reply.status_code == 200
    said = " ".join(messages_of(reply))
    assert RECOMPUTE_WAITS in said
    assert "is being recomputed" not in said
    recompute = course.recomputes.get()
    assert recompute.status == CompletionRecompute.Status.QUEUED

    broker_back()
    assert requeue_waiting_recomputes() == []  # asked for a moment ago: not yet taken for lost
    assert requeue_waiting_recomputes(now=later()) == [recompute.pk]
    recompute.refresh_from_db()
    assert recompute.status == CompletionRecompute.Status.DONE
    enrolment.refresh_from_db()
    assert enrolment.is_completed
    # A second send (two sweeps, or the broker's late redelivery) finds it done.
    assert requeue_waiting_recomputes(now=later()) == []


def test_changing_a_completion_rule_says_the_recompute_waits(
    client, transactional_db, methodist, teacher
):
    course, (lesson,) = course_with_lessons(lessons=1)
    client.force_login(methodist)
    url = reverse("admin:courses_lesson_change", args=[lesson.pk])
    data = lesson_rule_change(english(client, "get", url).context["adminform"].form, lesson)
    reply = english(client, "post", url, data=data)
    assert reply.status_code == 302, reply.context["adminform"].form.errors
    lesson.refresh_from_db()
    assert lesson.completion_rule == Evidence.VIDEO_WATCHED  # the change is saved
    said = " ".join(messages_of(english(client, "get", reply["Location"])))
    assert RECOMPUTE_WAITS in said
    assert course.recomputes.get().status == CompletionRecompute.Status.QUEUED


def test_changing_a_stage_rule_keeps_it_and_says_stages_follow_at_night(
    client, transactional_db, methodist
):
    # The rule's save queues a refresh of every teacher's stage; that send used to raise after
    # the commit and answer 500. Beat's nightly refresh reads every teacher against the rules.
    client.force_login(methodist)
    fields = {"position": 9, "stage": Stage.CREATIVE, "min_courses": 2, "note": "Two courses"}
    fields |= dict.fromkeys(["min_accepted_works", "min_creative_works", "min_speaker_events"], 0)
    reply = english(client, "post", reverse("admin:courses_stagerule_add"), data=fields)
    assert reply.status_code == 302, reply.context["adminform"].form.errors
    assert StageRule.objects.filter(position=9, stage=Stage.CREATIVE, min_courses=2).exists()
    said = " ".join(messages_of(english(client, "get", reply["Location"])))
    assert STAGES_WAIT in said


def test_completing_a_course_issues_the_certificate_without_the_queue(
    client, transactional_db, teacher
):
    course, (first, last) = course_with_lessons(lessons=2)
    enrolment_create(user=teacher, course=course)
    lesson_mark_done(user=teacher, lesson=first)
    client.force_login(teacher)
    reply = english(client, "post", reverse("courses:mark-done", args=[last.pk]))
    assert reply.status_code == 302
    # Issued and announced in the request; its stage refresh and letter wait for the broker.
    assert Certificate.objects.filter(user=teacher, course=course).exists()
    assert Notification.objects.filter(
        recipient=teacher, kind="courses.certificate_issued"
    ).exists()
