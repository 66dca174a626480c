"""The forums' admin: methodists set forums up, moderate (logged, with reasons), work the report
queue and schedule round tables; teachers cannot get in."""

from django.urls import reverse
from django.utils import timezone

from forums.models import Forum, ModerationAction, Post, Registration, Report, RoundTable, Topic
from tests.forums.factories import reply, topic
from tests.lms.factories import TeacherFactory


def _thread(methodist):
    forum = Forum.objects.create(title="General", kind=Forum.Kind.QA)
    question = topic(forum, methodist)
    answer = reply(question, TeacherFactory(), body="an answer")
    return forum, question, answer


def test_methodist_opens_every_forum_admin_page(client, methodist):
    forum, question, answer = _thread(methodist)
    Report.objects.create(post=answer, reporter=methodist, reason="spam")
    client.force_login(methodist)
    for name, args in [
        ("admin:forums_forum_changelist", []),
        ("admin:forums_forum_add", []),
        ("admin:forums_forum_change", [forum.pk]),
        ("admin:forums_topic_changelist", []),
        ("admin:forums_topic_change", [question.pk]),
        ("admin:forums_post_changelist", []),
        ("admin:forums_post_change", [answer.pk]),
        ("admin:forums_report_changelist", []),
        ("admin:forums_moderationaction_changelist", []),
        ("admin:forums_roundtable_changelist", []),
        ("admin:forums_roundtable_add", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_teacher_cannot_open_the_forum_admin(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("admin:forums_forum_changelist")).status_code == 302


def test_methodist_sets_a_forums_mode_and_trust_rule(client, methodist):
    client.force_login(methodist)
    response = client.post(
        reverse("admin:forums_forum_add"),
        {
            "title": "Exchange",
            "description": "",
            "kind": "exchange",
            "position": 5,
            "subscription_mode": "forced",
            "qa_post_first": "",
        },
    )
    assert response.status_code == 302
    forum = Forum.objects.get(title="Exchange")
    assert forum.subscription_mode == "forced" and not forum.hold_first_posts


def _in_english(user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def test_course_forum_without_a_course_is_refused_with_a_message(client, methodist):
    client.force_login(_in_english(methodist))
    page = client.post(
        reverse("admin:forums_forum_add"),
        {"title": "C", "kind": "course", "position": 5, "subscription_mode": "optional"},
    )
    assert page.status_code == 200 and "A course forum needs its course." in page.content.decode()


def test_hiding_a_post_in_the_admin_needs_a_reason_and_is_logged(client, methodist):
    forum, question, answer = _thread(methodist)
    client.force_login(_in_english(methodist))
    url = reverse("admin:forums_post_change", args=[answer.pk])
    inline = {"revisions-TOTAL_FORMS": 0, "revisions-INITIAL_FORMS": 0}
    page = client.post(url, {"hidden": "on", "hidden_reason": "", **inline})
    assert page.status_code == 200 and not Post.objects.get(pk=answer.pk).hidden
    assert "Say why it is hidden." in page.content.decode()
    saved = client.post(url, {"hidden": "on", "hidden_reason": "Off topic", **inline})
    assert saved.status_code == 302
    post = Post.objects.get(pk=answer.pk)
    assert post.hidden and post.hidden_reason == "Off topic"
    log = ModerationAction.objects.get(post=answer)
    assert (log.action, log.actor, log.reason) == ("hide", methodist, "Off topic")


def test_topic_actions_pin_and_lock_are_logged(client, methodist):
    forum, question, answer = _thread(methodist)
    client.force_login(methodist)
    changelist = reverse("admin:forums_topic_changelist")
    for action in ("topic_pin", "topic_lock"):
        client.post(changelist, {"action": action, "_selected_action": [question.pk]})
    question = Topic.objects.get(pk=question.pk)
    assert question.pinned and question.locked
    assert set(ModerationAction.objects.values_list("action", flat=True)) == {"pin", "lock"}


def test_report_queue_dismiss_and_hide(client, methodist):
    forum, question, answer = _thread(methodist)
    other = reply(question, TeacherFactory(), body="rude")
    dismissed = Report.objects.create(post=answer, reporter=methodist, reason="not really")
    upheld = Report.objects.create(post=other, reporter=methodist, reason="Rude")
    client.force_login(methodist)
    changelist = reverse("admin:forums_report_changelist")
    page = client.get(changelist, {"state": "open"}).content.decode()
    assert "not really" in page and "Rude" in page
    client.post(changelist, {"action": "dismiss", "_selected_action": [dismissed.pk]})
    client.post(changelist, {"action": "hide_posts", "_selected_action": [upheld.pk]})
    assert Report.objects.filter(resolved_at__isnull=True).count() == 0
    assert not Post.objects.get(pk=answer.pk).hidden
    assert Post.objects.get(pk=other.pk).hidden_reason == "Rude"


def test_round_table_with_speakers_moderators_and_registrations(client, methodist, teacher):
    forum = Forum.objects.create(title="Round tables")
    speaker = TeacherFactory()
    client.force_login(methodist)
    starts = timezone.localtime() + timezone.timedelta(days=3)
    response = client.post(
        reverse("admin:forums_roundtable_add"),
        {
            "title": "AI in lessons",
            "forum": forum.pk,
            "starts_at_0": starts.strftime("%Y-%m-%d"),
            "starts_at_1": starts.strftime("%H:%M:%S"),
            "duration_minutes": 60,
            "agenda": "Agenda",
            "speakers": [speaker.pk],
            "moderators": [methodist.pk],
            "capacity": 10,
            "meeting_url": "",
            "outcomes": "",
            "registrations-TOTAL_FORMS": 1,
            "registrations-INITIAL_FORMS": 0,
            "registrations-0-user": teacher.pk,
            "registrations-0-status": Registration.Status.REGISTERED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_table = RoundTable.objects.get()
    assert list(round_table.speakers.all()) == [speaker]
    assert list(round_table.moderators.all()) == [methodist]
    assert round_table.topic is not None and round_table.topic.forum == forum
    assert Registration.objects.get().user == teacher
    page = client.get(reverse("admin:forums_roundtable_change", args=[round_table.pk]))
    assert teacher.email in page.content.decode() or str(teacher.pk) in page.content.decode()
