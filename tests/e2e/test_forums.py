"""Forums in a real browser: stored XSS never runs; a question asked, answered and accepted."""

import pytest

from forums.markup import render
from forums.models import Forum, Post
from tests.e2e.helpers import sign_in
from tests.forums.factories import group_forum, study_group, topic
from tests.forums.test_posts import XSS
from tests.lms.factories import PASSWORD, TeacherFactory

pytestmark = pytest.mark.e2e


def test_no_script_runs_when_hostile_posts_are_displayed(page, transactional_db):
    reader = TeacherFactory()
    question = topic(Forum.objects.create(title="General"), TeacherFactory())
    for payload in XSS:
        Post.objects.create(
            topic=question, author=question.author, body=payload, body_html=render(payload)
        )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, reader.email, PASSWORD)
    page.goto(question.get_absolute_url())
    page.wait_for_selector(".post-body")
    page.locator("main a").evaluate_all(
        "links => links.forEach(a => a.dispatchEvent(new MouseEvent('mouseover')))"
    )
    assert dialogs == []
    assert page.locator("main script, main svg, main iframe, main img").count() == 0


def test_teacher_asks_in_the_group_forum_a_peer_answers_the_asker_accepts(
    browser, live_server, transactional_db
):
    asker, peer = TeacherFactory(), TeacherFactory()
    group = study_group(members=[asker, peer])
    forum = group_forum(group)
    forum.kind = Forum.Kind.GROUP
    forum.save()

    def session(person):
        context = browser.new_context(base_url=live_server.url, locale="kk-KZ")
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        sign_in(tab, person.email, PASSWORD)
        return context, tab

    asker_context, tab = session(asker)
    tab.goto(forum.get_absolute_url())
    tab.fill("input[name=title]", "Презентацияны қалай бөлісемін?")
    tab.fill("textarea[name=body]", "Сабақта экранды қалай көрсетуге болады?")
    tab.locator("main form[action$='/new/'] button[type=submit]").click()
    tab.wait_for_selector("text=Сабақта экранды")
    question_url = tab.url

    peer_context, peer_tab = session(peer)
    peer_tab.goto(question_url)
    peer_tab.fill("textarea[name=body]", "Экранды бөлісу батырмасын басыңыз.")
    peer_tab.locator("main form[action$='/reply/'] button[type=submit]").click()
    peer_tab.wait_for_selector("text=Экранды бөлісу батырмасын")

    tab.goto(question_url)
    tab.locator("button.accept-answer").first.click()
    tab.wait_for_selector(".border-success")
    answer = Post.objects.get(author=peer)
    assert answer.topic.accepted_post_id == answer.pk
    tab.screenshot(path="test-results/forum-accepted-answer.png", full_page=True)
    asker_context.close()
    peer_context.close()
