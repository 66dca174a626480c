"""Private forums are 404 to outsiders on every URL; moderators moderate only where they may."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Attachment, Forum, Post, RoundTable, Topic
from forums.round_tables.services import round_table_schedule
from tests.forums.factories import group_forum, reply, study_group, topic
from tests.lms.factories import TeacherFactory


@pytest.fixture
def member(school):
    return TeacherFactory(school=school)


@pytest.fixture
def group(member, school):
    return study_group(members=[member], mentor=TeacherFactory(school=school), school=school)


@pytest.fixture
def private_thread(group, member):
    forum = group_forum(group)
    question = topic(forum, member, body="Secret group question")
    answer = reply(question, member, body="secretword answer")
    Attachment.objects.create(
        post=answer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), name="a.pdf", extension="pdf"
    )
    return forum, question, answer


def _urls(forum, question, answer, round_table):
    attachment = answer.attachments.get()
    return [
        reverse("forums:forum", args=[forum.pk]),
        reverse("forums:topic", args=[question.pk]),
        reverse("forums:reply", args=[question.pk]),
        reverse("forums:post", args=[answer.pk]),
        reverse("forums:post-edit", args=[answer.pk]),
        reverse("forums:post-report", args=[answer.pk]),
        reverse("forums:attachment", args=[attachment.pk]),
        reverse("forums:feed", args=[forum.pk]),
        reverse("forums:digest", args=[forum.pk]),
        reverse("forums:topic-new", args=[forum.pk]),
        reverse("forums:round-table", args=[round_table.pk]),
        reverse("forums:round-table-ics", args=[round_table.pk]),
    ]


def _round_table(forum, author):
    from django.utils import timezone

    return round_table_schedule(
        round_table=RoundTable(forum=forum, title="RT", starts_at=timezone.now()), author=author
    )


@pytest.mark.parametrize(
    "outsider", ["other_school_teacher", "same_school_other_group", "head_elsewhere"]
)
def test_group_forum_is_404_to_outsiders_on_every_url(
    client, private_thread, member, outsider, other_school, school, other_head
):
    forum, question, answer = private_thread
    round_table = _round_table(forum, member)
    person = {
        "other_school_teacher": lambda: TeacherFactory(school=other_school),
        "same_school_other_group": lambda: TeacherFactory(school=school),
        "head_elsewhere": lambda: other_head,
    }[outsider]()
    client.force_login(person)
    for url in _urls(forum, question, answer, round_table):
        assert client.get(url).status_code == 404, url
    for name in ("forums:post-helpful", "forums:post-delete", "forums:post-accept"):
        assert client.post(reverse(name, args=[answer.pk])).status_code == 404
    assert (
        client.post(
            reverse("forums:reply", args=[question.pk]), {"body": "x", "language": "kk"}
        ).status_code
        == 404
    )
    found = client.get(reverse("forums:search"), {"q": "secretword"}).content.decode()
    assert "secretword answer" not in found
    assert Post.objects.count() == 3  # opening, answer, round table's opening: nothing added


def test_stranger_is_sent_to_sign_in_everywhere(client, private_thread, member):
    forum, question, answer = private_thread
    for url in _urls(forum, question, answer, _round_table(forum, member)):
        assert client.get(url).status_code == 302, url


def test_member_and_methodist_read_the_group_forum(client, private_thread, member, methodist):
    forum, question, answer = private_thread
    for person in (member, methodist):
        client.force_login(person)
        page = client.get(reverse("forums:topic", args=[question.pk]))
        assert "secretword" in page.content.decode()
        assert (
            client.get(reverse("forums:attachment", args=[answer.attachments.get().pk])).status_code
            == 200
        )


def test_school_forum_is_for_that_schools_staff(client, school, other_school, teacher):
    forum = Forum.objects.create(kind=Forum.Kind.SCHOOL, title="Staff room", school=school)
    client.force_login(teacher)
    assert client.get(forum.get_absolute_url()).status_code == 200
    client.force_login(TeacherFactory(school=other_school))
    assert client.get(forum.get_absolute_url()).status_code == 404


def test_mentor_moderates_only_their_own_groups_forum(client, private_thread, group, school):
    forum, question, answer = private_thread
    mentor = group.memberships.get(is_mentor=True).teacher
    other_mentor = (
        study_group(mentor=TeacherFactory(school=school), school=school).memberships.get().teacher
    )
    hide = reverse("forums:post-moderate", args=[answer.pk, "hide"])
    client.force_login(other_mentor)
    assert client.post(hide, {"reason": "spam"}).status_code == 404
    client.force_login(mentor)
    assert client.post(hide, {"reason": "off topic"}).status_code == 302
    answer.refresh_from_db()
    assert answer.hidden and answer.hidden_reason == "off topic"


def test_teacher_cannot_moderate_an_open_forum(client, teacher, methodist):
    forum = Forum.objects.create(title="General")
    question = topic(forum, methodist)
    client.force_login(teacher)
    assert (
        client.post(reverse("forums:topic-moderate", args=[question.pk, "pin"])).status_code == 404
    )
    client.force_login(methodist)
    assert (
        client.post(reverse("forums:topic-moderate", args=[question.pk, "pin"])).status_code == 302
    )
    assert Topic.objects.get(pk=question.pk).pinned


def test_group_forum_is_created_when_a_member_opens_the_forums(client, member, group):
    client.force_login(member)
    assert client.get(reverse("forums:index")).status_code == 200
    forum = Forum.objects.get(study_group=group)
    assert forum.kind == Forum.Kind.GROUP
    assert client.get(reverse("forums:group", args=[group.pk])).url == forum.get_absolute_url()


def test_attachment_is_judged_by_content(client, methodist):
    forum = Forum.objects.create(title="Exchange", kind=Forum.Kind.EXCHANGE)
    client.force_login(methodist)
    page = client.post(
        reverse("forums:topic-new", args=[forum.pk]),
        {
            "title": "Plan",
            "body": "See file",
            "language": "kk",
            "files": SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script>"),
        },
    )
    assert page.status_code == 200 and not Topic.objects.exists()
    assert "See file" in page.content.decode()  # nothing typed is lost
    ok = client.post(
        reverse("forums:topic-new", args=[forum.pk]),
        {
            "title": "Plan",
            "body": "See file",
            "language": "kk",
            "files": SimpleUploadedFile("plan.bin", io.BytesIO(b"%PDF-1.4 body").read()),
        },
    )
    assert ok.status_code == 302 and Attachment.objects.get().extension == "pdf"
