"""The daily digest at scale: one SMTP connection per batch of letters, and a fixed number of
queries per batch whatever the number of teachers in it (issue: "the daily digest for 10,000
teachers ... under 60 s with one SMTP connection per batch"; bench/digest.py measures it).

The letters go to a real SMTP server (aiosmtpd on 127.0.0.1, in a thread) through Django's SMTP
backend, so the connections counted are the ones the server saw."""

import re
import socket
import threading
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.assignments.services import WORK_ACCEPTED
from courses.certificates.models import Certificate
from courses.certificates.services import CERTIFICATE_ISSUED, certificate_revoke
from courses.services import enrolment_create, lesson_mark_done
from forums.models import Forum, Post, Topic
from lms.notifications import mail as notification_mail
from lms.notifications.models import Notification
from lms.notifications.registry import Delivery, get_kind
from lms.notifications.services import notify, preference_set, unsubscribe_read
from lms.notifications.tasks import send_notification_digests
from tests.courses.assignments.conftest import handed_in
from tests.courses.assignments.factories import AssignmentFactory
from tests.courses.factories import course_with_lessons
from tests.forums.factories import study_group
from tests.lms.factories import MethodistFactory, TeacherFactory

ROUND = "lms.round_opened"
NEW_POST = "forums.new_post"


class SmtpSink:
    def __init__(self):
        self.lock = threading.Lock()
        self.connections = 0
        self.letters = []

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.letters.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


class _CountingController(Controller):
    def factory(self):
        sink = self.handler

        class CountingSMTP(SMTP):
            def connection_made(self, transport):
                with sink.lock:
                    sink.connections += 1
                super().connection_made(transport)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)


@pytest.fixture
def smtp_sink(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = SmtpSink()
    controller = _CountingController(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.connections = 0  # the controller's own check that it listens
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    yield sink
    controller.stop()


def _digest_teachers(count: int, school):
    """Teachers who chose the digest, each with a round opened, two readable forum posts and
    one deleted post waiting (four rows, three visible)."""
    teachers = TeacherFactory.create_batch(count, school=school)
    for teacher in teachers:
        preference_set(user=teacher, kind=ROUND, delivery=Delivery.DIGEST)
    author = MethodistFactory()
    topic = Topic.objects.create(
        forum=Forum.objects.create(title="Common room", kind=Forum.Kind.GENERAL),
        title="Digital lessons",
        author=author,
    )
    posts = [Post.objects.create(topic=topic, author=author, body=f"Post {n}") for n in range(3)]
    Post.objects.filter(pk=posts[-1].pk).update(deleted_at=timezone.now())
    notify(recipients=teachers, kind=ROUND, params={"title": "Autumn round"})
    for post in posts:
        notify(
            recipients=teachers,
            kind=NEW_POST,
            params={"author": author.full_name, "topic": topic.title},
            target_id=post.pk,
        )
    return teachers, posts


# Queries of one batch (its savepoint and release included, as the test's transaction makes the
# batch's atomic block a savepoint): the batch's recipients; their waiting rows with their
# accounts; the forum posts still there; the posts each recipient plainly reads; marking the
# rows sent. The digest ends with one more look for recipients, which finds none.
QUERIES_PER_BATCH = 7
QUERIES_AT_THE_END = 3


@pytest.mark.parametrize("teachers", [10, 30])
def test_digest_opens_one_smtp_connection_per_batch_and_reads_a_fixed_number_per_batch(
    smtp_sink, school, monkeypatch, teachers
):
    monkeypatch.setattr(notification_mail, "BATCH", 10)
    people, posts = _digest_teachers(teachers, school)
    with CaptureQueriesContext(connection) as queries:
        sent = send_notification_digests()
    batches = teachers // 10
    assert sent == teachers
    assert smtp_sink.connections == batches  # exactly one SMTP connection per batch of 10
    assert len(queries) == QUERIES_PER_BATCH * batches + QUERIES_AT_THE_END, [
        query["sql"] for query in queries
    ]
    assert sorted(rcpt for rcpts, _letter in smtp_sink.letters for rcpt in rcpts) == sorted(
        person.email for person in people
    )
    body = smtp_sink.letters[0][1].get_payload(decode=True).decode()
    assert "Autumn round" in body
    assert body.count("Digital lessons") == 2  # the two live posts; the deleted one is left out
    # The links are each row's own and the reader's own unsubscribe link for the kind.
    round_row = Notification.objects.get(recipient__email=smtp_sink.letters[0][0][0], kind=ROUND)
    assert notification_mail.absolute(round_row.get_absolute_url()) in body
    tokens = re.findall(r"/notifications/unsubscribe/([^/\s]+)/", body)
    assert {unsubscribe_read(token) for token in tokens} == {
        (round_row.recipient_id, ROUND),
        (round_row.recipient_id, NEW_POST),
    }
    assert not Notification.objects.filter(mail=Notification.Mail.DIGEST).exists()


def test_digest_keeps_each_teachers_own_checks_beyond_the_plain_case(smtp_sink, school):
    # A study group's forum is read by its members only; a post waiting for approval only by
    # its author. The set-based check must not widen either.
    member, outsider = TeacherFactory.create_batch(2, school=school)
    group = study_group(members=[member], school=school)
    forum = Forum.objects.create(title="Group forum", kind=Forum.Kind.GROUP, study_group=group)
    topic = Topic.objects.create(forum=forum, title="Group topic", author=member)
    post = Post.objects.create(topic=topic, author=member, body="Hello group")
    common = Forum.objects.create(title="Common room", kind=Forum.Kind.GENERAL)
    question = Topic.objects.create(forum=common, title="Question", author=member)
    waiting = Post.objects.create(topic=question, author=outsider, body="Mine", approved=False)
    for target in (post, waiting):
        notify(
            recipients=[member, outsider],
            kind=NEW_POST,
            params={"author": "A", "topic": f"T{target.pk}"},
            target_id=target.pk,
        )
    assert send_notification_digests() == 2
    bodies = {
        rcpts[0]: letter.get_payload(decode=True).decode() for rcpts, letter in smtp_sink.letters
    }
    assert f"T{post.pk}" in bodies[member.email]
    assert f"T{waiting.pk}" not in bodies[member.email]  # not approved, not theirs
    assert f"T{post.pk}" not in bodies[outsider.email]  # not in the group
    assert f"T{waiting.pk}" in bodies[outsider.email]  # their own waiting post


def test_every_batch_check_agrees_with_the_per_person_check(school):
    """Each kind's `visible_many` keeps exactly the rows its `visible` keeps, person by person:
    own and others' works, valid and revoked certificates, group and open forum posts."""
    alice, bob = TeacherFactory.create_batch(2, school=school)
    assignment = AssignmentFactory()
    enrolment_create(user=alice, course=assignment.lesson.module.course)
    work = handed_in(assignment, alice)
    kept_course, revoked_course = (course_with_lessons(lessons=1)[0] for _ in range(2))
    for course in (kept_course, revoked_course):
        lesson_mark_done(user=alice, lesson=course.modules.get().lessons.get())
    certificate_revoke(
        certificate=Certificate.objects.get(user=alice, course=revoked_course), reason="Error"
    )
    group = study_group(members=[alice], school=school)
    group_topic = Topic.objects.create(
        forum=Forum.objects.create(title="G", kind=Forum.Kind.GROUP, study_group=group),
        title="G",
        author=alice,
    )
    open_topic = Topic.objects.create(
        forum=Forum.objects.create(title="O", kind=Forum.Kind.GENERAL), title="O", author=bob
    )
    posts = [
        Post.objects.create(topic=group_topic, author=alice, body="x"),
        Post.objects.create(topic=open_topic, author=bob, body="y"),
        Post.objects.create(topic=open_topic, author=bob, body="z", approved=False),
    ]
    targets = {
        WORK_ACCEPTED: [work.pk],
        CERTIFICATE_ISSUED: [kept_course.pk, revoked_course.pk],
        NEW_POST: [post.pk for post in posts],
    }
    Notification.objects.all().delete()
    for kind, ids in targets.items():
        for target in ids:
            notify(recipients=[alice, bob], kind=kind, params={}, target_id=target)
    for kind in targets:
        rows = list(Notification.objects.filter(kind=kind).select_related("recipient"))
        registered = get_kind(kind)
        by_person = {
            row.pk
            for person in (alice, bob)
            for row in registered.visible(person, [r for r in rows if r.recipient_id == person.pk])
        }
        assert {row.pk for row in registered.visible_many(rows)} == by_person, kind
        assert 0 < len(by_person) < len(rows), kind  # the rows test both answers
