"""Course forums: one per course, made when first opened, open to its enrolled teachers and to
methodists; the course page and the study-group page link to their forums through app hooks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.models import Enrolment, GroupCourseAssignment
from forums.access import forum_audience
from forums.models import Attachment, Forum, Post
from tests.courses.factories import CourseFactory
from tests.forums.factories import reply, study_group, topic
from tests.lms.factories import TeacherFactory


@pytest.fixture
def course(db):
    return CourseFactory(title_en="Digital lessons")


@pytest.fixture
def learner(course, school):
    person = TeacherFactory(school=school)
    Enrolment.objects.create(user=person, course=course)
    return person


@pytest.fixture
def course_thread(client, course, learner):
    client.force_login(learner)
    client.get(reverse("forums:course", args=[course.pk]))
    client.logout()
    forum = Forum.objects.get(course=course)
    question = topic(forum, learner, body="Course question")
    answer = reply(question, learner, body="coursesecret answer")
    Attachment.objects.create(
        post=answer, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), name="a.pdf", extension="pdf"
    )
    return forum, question, answer


def _urls(forum, question, answer):
    return [
        reverse("forums:forum", args=[forum.pk]),
        reverse("forums:topic", args=[question.pk]),
        reverse("forums:reply", args=[question.pk]),
        reverse("forums:post", args=[answer.pk]),
        reverse("forums:post-edit", args=[answer.pk]),
        reverse("forums:post-report", args=[answer.pk]),
        reverse("forums:attachment", args=[answer.attachments.get().pk]),
        reverse("forums:feed", args=[forum.pk]),
        reverse("forums:digest", args=[forum.pk]),
        reverse("forums:topic-new", args=[forum.pk]),
        reverse("forums:course", args=[forum.course_id]),
    ]


def test_course_forum_is_made_once_when_an_enrolled_teacher_opens_it(client, course, learner):
    client.force_login(learner)
    first = client.get(reverse("forums:course", args=[course.pk]))
    forum = Forum.objects.get(course=course)
    assert forum.kind == Forum.Kind.COURSE and "Digital lessons" in forum.title
    assert first.url == forum.get_absolute_url()
    client.get(reverse("forums:index"))
    client.get(reverse("forums:course", args=[course.pk]))
    assert Forum.objects.filter(course=course).count() == 1


def test_forum_index_makes_the_forums_of_ones_courses(client, course, learner):
    client.force_login(learner)
    page = client.get(reverse("forums:index")).content.decode()
    assert Forum.objects.filter(course=course).exists()
    assert "Digital lessons" in page


def test_enrolled_teacher_and_methodist_read_the_course_forum(
    client, course_thread, learner, methodist
):
    forum, question, answer = course_thread
    for person in (learner, methodist):
        client.force_login(person)
        for url in _urls(forum, question, answer):
            assert client.get(url).status_code in (200, 302), url
        assert "coursesecret" in client.get(question.get_absolute_url()).content.decode()


@pytest.mark.parametrize("outsider", ["not_enrolled", "other_school", "head", "other_course"])
def test_course_forum_is_404_to_outsiders_on_every_url(
    client, course_thread, outsider, school, other_school, head
):
    forum, question, answer = course_thread
    person = {
        "not_enrolled": lambda: TeacherFactory(school=school),
        "other_school": lambda: TeacherFactory(school=other_school),
        "head": lambda: head,
        "other_course": lambda: (
            Enrolment.objects.create(
                user=TeacherFactory(school=school), course=CourseFactory()
            ).user
        ),
    }[outsider]()
    client.force_login(person)
    for url in _urls(forum, question, answer):
        assert client.get(url).status_code == 404, url
    for name in ("forums:post-helpful", "forums:post-delete", "forums:post-accept"):
        assert client.post(reverse(name, args=[answer.pk])).status_code == 404
    reply_url = reverse("forums:reply", args=[question.pk])
    assert client.post(reply_url, {"body": "x", "language": "kk"}).status_code == 404
    found = client.get(reverse("forums:search"), {"q": "coursesecret"}).content.decode()
    assert "coursesecret answer" not in found
    assert "Digital lessons" not in client.get(reverse("forums:index")).content.decode()
    assert Post.objects.filter(topic__forum=forum).count() == 2


def test_stranger_is_sent_to_sign_in_on_every_course_forum_url(client, course_thread):
    for url in _urls(*course_thread):
        assert client.get(url).status_code == 302, url
        assert "/login" in client.get(url).url or "accounts" in client.get(url).url


def test_course_forum_audience_is_its_learners_and_staff(course_thread, learner, methodist, head):
    forum = course_thread[0]
    audience = set(forum_audience(forum))
    assert learner in audience and methodist in audience
    assert head not in audience and TeacherFactory() not in audience


def test_teacher_cannot_moderate_a_course_forum(client, course_thread, learner, methodist):
    forum, question, answer = course_thread
    hide = reverse("forums:post-moderate", args=[answer.pk, "hide"])
    client.force_login(learner)
    assert client.post(hide, {"reason": "spam"}).status_code == 404
    client.force_login(methodist)
    assert client.post(hide, {"reason": "spam"}).status_code == 302


def test_course_page_links_to_its_forum_for_learners_only(client, course, learner, school):
    link = reverse("forums:course", args=[course.pk])
    client.force_login(learner)
    assert link in client.get(course.get_absolute_url()).content.decode()
    client.force_login(TeacherFactory(school=school))
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200 and link not in page.content.decode()


def test_group_page_links_to_the_groups_forum_and_courses(client, school, methodist):
    member = TeacherFactory(school=school)
    group = study_group(members=[member], school=school)
    course = CourseFactory(title_en="Group course")
    client.force_login(member)
    page = client.get(reverse("diagnostics:group", args=[group.pk])).content.decode()
    assert reverse("forums:group", args=[group.pk]) in page
    assert "No course or forum is attached" not in page
    assert "Group course" not in page
    GroupCourseAssignment.objects.create(group=group, course=course, assigned_by=methodist)
    page = client.get(reverse("diagnostics:group", args=[group.pk])).content.decode()
    assert "Group course" in page and course.get_absolute_url() in page
    forum_url = client.get(reverse("forums:group", args=[group.pk])).url
    assert client.get(forum_url).status_code == 200
