"""Moderators hear of what waits for them, and moderate only where they may; the Q&A "post
first" rule holds through quoting, notifications and attachments too."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forums.models import Attachment, Forum, Report, Topic
from lms.notifications.models import Notification
from tests.forums.factories import group_forum, reply, study_group, topic
from tests.lms.factories import TeacherFactory


def test_moderators_are_told_of_a_post_waiting_for_approval(teacher, methodist, school, announced):
    mentor = TeacherFactory(school=school)
    group = study_group(members=[teacher], mentor=mentor, school=school)
    other_mentor = TeacherFactory(school=school)
    study_group(mentor=other_mentor, school=school)
    question = topic(group_forum(group), mentor)
    with announced(execute=True):
        held = reply(question, teacher, body="see https://example.com")
    assert not held.approved
    told = set(
        Notification.objects.filter(kind="forums.awaiting_approval").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {methodist.pk, mentor.pk}  # not the author, not another group's mentor
    row = Notification.objects.get(recipient=mentor, kind="forums.awaiting_approval")
    assert row.link == reverse("forums:queue") and row.target_id == held.pk


def test_an_approved_post_tells_no_moderator(teacher, methodist, announced):
    question = topic(Forum.objects.create(title="G"), methodist)
    with announced(execute=True):
        reply(question, teacher, body="plain words, no links")
    assert not Notification.objects.filter(kind="forums.awaiting_approval").exists()


def test_moderators_are_told_of_a_new_report(client, teacher, methodist, announced):
    question = topic(Forum.objects.create(title="G"), methodist)
    post = reply(question, TeacherFactory(), body="rude words")
    client.force_login(teacher)
    with announced(execute=True):
        client.post(reverse("forums:post-report", args=[post.pk]), {"reason": "Rude"})
    assert Report.objects.filter(post=post, reporter=teacher).exists()
    row = Notification.objects.get(kind="forums.new_report")
    assert row.recipient == methodist and row.link == reverse("forums:queue")
    client.force_login(methodist)
    assert "Rude" in client.get(reverse("forums:queue")).content.decode()


def test_moderator_notifications_show_only_to_current_moderators(
    client, teacher, school, announced
):
    mentor = TeacherFactory(school=school, preferred_language="en")
    group = study_group(members=[teacher], mentor=mentor, school=school)
    question = topic(group_forum(group), mentor)
    with announced(execute=True):
        reply(question, teacher, body="see https://example.com")
    client.force_login(mentor)
    assert "waits for approval" in client.get(reverse("notifications:list")).content.decode()
    group.memberships.filter(teacher=mentor).update(is_mentor=False)
    assert "waits for approval" not in client.get(reverse("notifications:list")).content.decode()


def test_mentor_queue_shows_only_their_groups(client, school, methodist):
    mine = study_group(mentor=TeacherFactory(school=school), school=school)
    theirs = study_group(members=[TeacherFactory(school=school)], school=school)
    mentor = mine.memberships.get().teacher
    their_forum = group_forum(theirs)
    stranger_post = reply(topic(their_forum, methodist), methodist, body="otherqueue post")
    Report.objects.create(post=stranger_post, reporter=methodist, reason="otherqueue reason")
    client.force_login(mentor)
    page = client.get(reverse("forums:queue")).content.decode()
    assert "otherqueue" not in page
    report = Report.objects.get()
    assert client.post(reverse("forums:report-dismiss", args=[report.pk])).status_code == 404
    assert Report.objects.get().resolved_at is None


def test_mentor_cannot_move_a_topic_out_of_their_forum_into_one_they_do_not_moderate(
    client, school, methodist
):
    mine = study_group(mentor=TeacherFactory(school=school), school=school)
    mentor = mine.memberships.get().teacher
    forum = group_forum(mine)
    question = topic(forum, mentor)
    general = Forum.objects.create(title="General")
    client.force_login(mentor)
    client.post(
        reverse("forums:topic-move", args=[question.pk]), {"forum": general.pk, "reason": "x"}
    )
    assert Topic.objects.get(pk=question.pk).forum == forum


@pytest.fixture
def qa(teacher):
    forum = Forum.objects.create(title="Q&A", kind=Forum.Kind.QA, qa_post_first=True)
    asker = TeacherFactory(school=teacher.school)
    question = topic(forum, asker, body="How to share a screen?")
    answer = reply(question, TeacherFactory(), body="zoomword use the share button")
    Attachment.objects.create(
        post=answer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), name="a.pdf", extension="pdf"
    )
    return forum, question, answer, asker


def test_qa_post_first_holds_through_quoting_attachments_and_notifications(
    client, qa, teacher, announced
):
    forum, question, answer, asker = qa
    client.force_login(teacher)
    page = client.get(reverse("forums:reply", args=[question.pk]), {"quote": answer.pk})
    assert "zoomword" not in page.content.decode()
    attachment = answer.attachments.get()
    assert client.get(reverse("forums:attachment", args=[attachment.pk])).status_code == 404
    Notification.objects.create(
        recipient=teacher,
        kind="forums.mention",
        params={"author": "A", "topic": "zoomword topic"},
        link=answer.get_absolute_url(),
        target_id=answer.pk,
    )
    assert "zoomword topic" not in client.get(reverse("notifications:list")).content.decode()
    reply(question, teacher, body="my own answer")
    assert client.get(reverse("forums:attachment", args=[attachment.pk])).status_code == 200
    assert "zoomword topic" in client.get(reverse("notifications:list")).content.decode()
