"""Posting: sanitising, Q&A "post first", mentions, digests, rate limit, unread markers, edits."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums.markup import render
from forums.models import Forum, Post, Subscription
from forums.services import post_edit, topic_accept_answer
from lms.notifications.models import Notification
from lms.notifications.registry import Delivery
from lms.notifications.services import preference_set
from lms.notifications.tasks import send_notification_digests
from tests.forums.factories import reply, topic
from tests.lms.factories import TeacherFactory

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<svg onload="alert(1)"><circle/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<div style="background:url(javascript:alert(1))">x',
    '<iframe src="https://evil.example"></iframe>',
    '![img](x" onerror="alert(1))',
    "![img](javascript:alert(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    '<p title="</p><script>alert(1)</script>">',
    '[x](https://ok.example "title" onmouseover=alert(1))',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS)
def test_stored_xss_payloads_are_neutralised(payload):
    html = render(payload).lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "data:",
        "<svg",
        "<iframe",
        "<img",
        "style=",
        "<form",
        "<math",
    ):
        assert bad not in html, (payload, html)


@pytest.fixture
def qa(methodist, teacher):
    forum = Forum.objects.create(title="Q&A", kind=Forum.Kind.QA, qa_post_first=True)
    asker = TeacherFactory(school=teacher.school)
    question = topic(forum, asker, body="How to share a screen?")
    answer = reply(question, TeacherFactory(), body="zoomword use the share button")
    return forum, question, answer, asker


def test_qa_post_first_holds_answers_on_page_search_feed_and_digest(client, qa, teacher):
    forum, question, answer, asker = qa
    client.force_login(teacher)
    assert "zoomword" not in client.get(question.get_absolute_url()).content.decode()
    assert (
        "zoomword use"
        not in client.get(reverse("forums:search"), {"q": "zoomword"}).content.decode()
    )
    assert "zoomword" not in client.get(reverse("forums:feed", args=[forum.pk])).content.decode()
    assert "zoomword" not in client.get(reverse("forums:digest", args=[forum.pk])).content.decode()
    assert client.get(reverse("forums:post", args=[answer.pk])).status_code == 404
    client.force_login(asker)  # the asker reads every answer
    assert "zoomword" in client.get(question.get_absolute_url()).content.decode()
    reply(question, teacher, body="my own answer")
    client.force_login(teacher)
    assert "zoomword" in client.get(question.get_absolute_url()).content.decode()
    assert (
        "zoomword use" in client.get(reverse("forums:search"), {"q": "zoomword"}).content.decode()
    )


def test_qa_post_first_answers_never_reach_a_followers_digest(qa, teacher, announced):
    forum, question, answer, asker = qa
    Subscription.objects.create(user=teacher, forum=forum)
    preference_set(user=teacher, kind="forums.new_post", delivery=Delivery.DIGEST)
    with announced(execute=True):
        reply(question, TeacherFactory(), body="second answer")
    assert Notification.objects.filter(recipient=teacher, kind="forums.new_post").exists()
    send_notification_digests()
    assert [letter for letter in mail.outbox if teacher.email in letter.to] == []


def test_digest_collects_exactly_the_followed_readable_posts(methodist, teacher, announced):
    followed = Forum.objects.create(title="Followed")
    other = Forum.objects.create(title="Not followed")
    Subscription.objects.create(user=teacher, forum=followed)
    preference_set(user=teacher, kind="forums.new_post", delivery=Delivery.DIGEST)
    with announced(execute=True):
        first = topic(followed, methodist, title="Alpha topic")
    with announced(execute=True):
        reply(first, methodist, body="second post")
    with announced(execute=True):
        deleted = reply(first, methodist, body="gone")
    with announced(execute=True):
        topic(other, methodist, title="Beta topic")
    Post.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    send_notification_digests()
    (letter,) = [letter for letter in mail.outbox if teacher.email in letter.to]
    assert letter.body.count("Alpha topic") == 2  # the opening and the reply; not the deleted
    assert "Beta topic" not in letter.body


def test_mention_notifies_only_people_who_may_read(
    methodist, teacher, other_school, school, announced
):
    forum = Forum.objects.create(kind=Forum.Kind.SCHOOL, title="Staff", school=school)
    outsider = TeacherFactory(school=other_school, full_name="Outside Person")
    with announced(execute=True):
        topic(
            forum,
            methodist,
            body=f'Hi @"{teacher.full_name}" and @"Outside Person" and @{outsider.email}',
        )
    assert Notification.objects.filter(recipient=teacher, kind="forums.mention").exists()
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_reply_notifies_the_asker(methodist, teacher, announced):
    question = topic(Forum.objects.create(title="G"), teacher)
    with announced(execute=True):
        reply(question, methodist)
    assert Notification.objects.filter(recipient=teacher, kind="forums.reply").count() == 1


def test_rate_limit_refuses_with_a_clear_message_and_keeps_the_text(client, settings, teacher):
    settings.FORUMS_POSTS_PER_WINDOW = 2
    question = topic(Forum.objects.create(title="G"), teacher)  # 1
    client.force_login(teacher)
    url = reverse("forums:reply", args=[question.pk])
    assert client.post(url, {"body": "two", "language": "kk"}).status_code == 302
    page = client.post(url, {"body": "three, kept", "language": "ru"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert "three, kept" in page.content.decode()
    assert Post.objects.count() == 2


def test_unread_marker_clears_when_the_topic_is_read(client, methodist, teacher):
    forum = Forum.objects.create(title="G")
    question = topic(forum, methodist)
    client.force_login(teacher)
    assert "unread-marker" in client.get(forum.get_absolute_url()).content.decode()
    client.get(question.get_absolute_url())
    assert "unread-marker" not in client.get(forum.get_absolute_url()).content.decode()
    reply(question, methodist)
    assert "unread-marker" in client.get(forum.get_absolute_url()).content.decode()


def test_edit_window_and_history(teacher, methodist):
    question = topic(Forum.objects.create(title="G"), methodist)
    post = reply(question, teacher, body="first")
    post_edit(post=post, editor=teacher, body="second")
    assert post.edited_at and post.revisions.get().body == "first"
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    post.refresh_from_db()
    with pytest.raises(ValidationError):
        post_edit(post=post, editor=teacher, body="third")
    post_edit(post=post, editor=methodist, body="moderated")  # moderators any time
    assert post.revisions.count() == 2


def test_accepted_answer_is_shown_first(client, teacher, methodist):
    question = topic(Forum.objects.create(title="Q", kind=Forum.Kind.QA), teacher)
    reply(question, methodist, body="early answer")
    best = reply(question, methodist, body="best answer")
    topic_accept_answer(topic=question, post=best, user=teacher)
    page = client.get(question.get_absolute_url()) if client.force_login(teacher) is None else None
    html = page.content.decode()
    assert html.index("best answer") < html.index("early answer")


def test_soft_delete_keeps_a_placeholder(client, teacher, methodist):
    question = topic(Forum.objects.create(title="G"), methodist)
    post = reply(question, teacher, body="regret this")
    client.force_login(teacher)
    client.post(reverse("forums:post-delete", args=[post.pk]))
    html = client.get(question.get_absolute_url()).content.decode()
    assert "regret this" not in html and Post.objects.get(pk=post.pk).deleted_at


def test_new_accounts_first_post_with_a_link_waits_for_approval(client, teacher, methodist):
    forum = Forum.objects.create(title="G")
    question = topic(forum, methodist)
    held = reply(question, teacher, body="see https://example.com")
    assert not held.approved
    client.force_login(TeacherFactory())
    assert "example.com" not in client.get(question.get_absolute_url()).content.decode()
    client.force_login(methodist)
    assert "example.com" in client.get(reverse("forums:queue")).content.decode()
    client.post(reverse("forums:post-moderate", args=[held.pk, "approve"]))
    assert Post.objects.get(pk=held.pk).approved
    forum.hold_first_posts = False
    forum.save()
    assert reply(question, TeacherFactory(), body="https://example.org").approved


def test_helpful_mark_toggles(client, teacher, methodist):
    question = topic(Forum.objects.create(title="G"), methodist)
    post = reply(question, methodist)
    client.force_login(teacher)
    client.post(reverse("forums:post-helpful", args=[post.pk]))
    assert Post.objects.get(pk=post.pk).helpful_count == 1
    client.post(reverse("forums:post-helpful", args=[post.pk]))
    assert Post.objects.get(pk=post.pk).helpful_count == 0


def test_post_language_is_marked(client, teacher, methodist):
    question = topic(Forum.objects.create(title="G"), methodist)
    Post.objects.filter(topic=question).update(language="ru")
    client.force_login(teacher)
    assert 'lang="ru"' in client.get(question.get_absolute_url()).content.decode()


def test_list_pages_use_a_fixed_number_of_queries(
    client, teacher, methodist, django_assert_max_num_queries
):
    forums = [Forum.objects.create(title=f"F{n}") for n in range(5)]
    first = topic(forums[0], methodist)
    for n in range(25):
        topic(forums[0], methodist, title=f"T{n}")
        reply(first, methodist, body=f"post {n}")
    client.force_login(teacher)
    # session+user (with the bell's count), the person's groups without forums, their courses
    # without forums, the count of forums (the index is paged), the page of forums
    with django_assert_max_num_queries(6):
        assert client.get(reverse("forums:index")).status_code == 200
    # session+user, forum, topic count, topic page with read markers, follows
    with django_assert_max_num_queries(7):
        assert client.get(forums[0].get_absolute_url()).status_code == 200
    # session+user, topic, answer-first check, post count, posts, attachments, helpful marks,
    # read marker get+update, follows, savepoints of the marker's get_or_create
    with django_assert_max_num_queries(14):
        assert client.get(first.get_absolute_url()).status_code == 200


def test_forum_index_is_paged(client, methodist, django_assert_max_num_queries):
    Forum.objects.bulk_create([Forum(title=f"Paged forum {n:03}", position=n) for n in range(60)])
    client.force_login(methodist)
    first = client.get(reverse("forums:index")).content.decode()
    assert "Paged forum 000" in first and "Paged forum 055" not in first
    second = client.get(reverse("forums:index"), {"page": 2}).content.decode()
    assert "Paged forum 055" in second and "Paged forum 000" not in second
