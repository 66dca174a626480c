"""Who may see and do what in the forums: the one permission module.

Every view, the search, the feeds, the notifications and their digests read forums, topics and
posts through these functions, so no path can skip a group or school check (the way forum products
leak). Fetch helpers 404, never 403, so a private forum's ids are not confirmed to outsiders.
"""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from courses.models import Course, Enrolment
from diagnostics.models import GroupMembership, StudyGroup
from forums.models import Attachment, Forum, Post, RoundTable, Topic
from lms.models import User
from lms.roles import Role

EDIT_WINDOW = timedelta(minutes=30)
OPEN_KINDS = (Forum.Kind.GENERAL, Forum.Kind.QA, Forum.Kind.EXCHANGE)


def reads_every_school(user) -> bool:
    """Methodists and administrators; the user's own predicate once the platform has it."""
    predicate = getattr(user, "reads_every_school", None)
    if predicate is not None:
        return bool(predicate() if callable(predicate) else predicate)
    return user.is_administrator or user.role == Role.METHODIST


# --- reading ---------------------------------------------------------------------------------


def forums_visible_to(user):
    if not user.is_authenticated or not user.is_active:
        return Forum.objects.none()
    if reads_every_school(user):
        return Forum.objects.all()
    groups = StudyGroup.objects.visible_to(user).values("pk")
    condition = (
        Q(kind__in=OPEN_KINDS)
        | Q(kind=Forum.Kind.GROUP, study_group__in=groups)
        | Q(kind=Forum.Kind.COURSE, course__in=Enrolment.objects.filter(user=user).values("course"))
    )
    if user.school_id:
        condition |= Q(kind=Forum.Kind.SCHOOL, school_id=user.school_id)
    return Forum.objects.filter(condition)


def _mentored_forum(user, forum_ref: str) -> Exists:
    return Exists(
        GroupMembership.objects.filter(
            group__forum=OuterRef(forum_ref), teacher=user, is_mentor=True
        )
    )


def forums_moderated_by(user):
    if not user.is_authenticated:
        return Forum.objects.none()
    if reads_every_school(user):
        return Forum.objects.all()
    return Forum.objects.filter(_mentored_forum(user, "pk"))


def may_moderate(user, forum: Forum) -> bool:
    """Methodists everywhere; a group's mentor in that group's forum only."""
    if not user.is_authenticated:
        return False
    if reads_every_school(user):
        return True
    return forum.kind == Forum.Kind.GROUP and (
        GroupMembership.objects.filter(
            group_id=forum.study_group_id, teacher=user, is_mentor=True
        ).exists()
    )


def topics_visible_to(user):
    """Topics of visible forums; hidden ones only where the user moderates."""
    topics = Topic.objects.filter(forum__in=forums_visible_to(user))
    if reads_every_school(user):
        return topics
    return topics.filter(Q(hidden=False) | _mentored_forum(user, "forum"))


def _answered_first(user) -> Q:
    """The Q&A "post first" rule for a queryset of posts: the opening question, the user's own
    posts, and, once the user has answered (or when they asked), every answer."""
    own_answer = Exists(
        Post.objects.filter(
            topic=OuterRef("topic"), author=user, deleted_at__isnull=True, is_opening=False
        )
    )
    return (
        ~Q(topic__forum__kind=Forum.Kind.QA)
        | Q(topic__forum__qa_post_first=False)
        | Q(is_opening=True)
        | Q(author=user)
        | Q(topic__author=user)
        | Q(own_answer)
    )


def posts_readable_by(user):
    """Posts whose text the user may read: what search, feeds and digests may show.

    Deleted, hidden and unapproved posts are left out (their authors see their own waiting
    posts); in a Q&A forum with "post first", others' answers wait until the user has answered.
    Moderators of the forum read everything that is not deleted."""
    posts = Post.objects.filter(topic__in=topics_visible_to(user), deleted_at__isnull=True)
    if reads_every_school(user):
        return posts
    moderated = _mentored_forum(user, "topic__forum")
    ordinary = Q(hidden=False) & (Q(approved=True) | Q(author=user)) & _answered_first(user)
    return posts.filter(ordinary | Q(moderated))


def plainly_readable_post(post_ref: str, user_ref: str) -> Exists:
    """For a query over many (post, reader) pairs: holds when the post is surely readable by the
    reader, without a query per reader. It covers the plain case only: a post that is not
    deleted, hidden or waiting, in a visible topic, outside Q&A "post first", of a forum every
    user reads or one the reader belongs to (their school's, their study group's as a teacher,
    a course they are enrolled in). A pair it does not hold for may still be readable (an
    author's waiting post, a moderator, a methodist): ask `posts_readable_by` for those.

    `post_ref` and `user_ref` name the outer query's post id and user (OuterRef paths)."""
    reader = OuterRef(OuterRef(user_ref))
    in_group = Exists(
        GroupMembership.objects.filter(
            group_id=OuterRef("topic__forum__study_group_id"),
            teacher_id=reader,
            teacher__role=Role.TEACHER,
        )
    )
    enrolled = Exists(
        Enrolment.objects.filter(course_id=OuterRef("topic__forum__course_id"), user_id=reader)
    )
    forum = (
        Q(topic__forum__kind__in=OPEN_KINDS)
        | Q(
            topic__forum__kind=Forum.Kind.SCHOOL,
            topic__forum__school_id=OuterRef(f"{user_ref}__school_id"),
        )
        | (Q(topic__forum__kind=Forum.Kind.GROUP) & Q(in_group))
        | (Q(topic__forum__kind=Forum.Kind.COURSE) & Q(enrolled))
    )
    not_held_back = (
        ~Q(topic__forum__kind=Forum.Kind.QA)
        | Q(topic__forum__qa_post_first=False)
        | Q(is_opening=True)
    )
    return Exists(
        Post.objects.filter(
            forum,
            not_held_back,
            pk=OuterRef(post_ref),
            deleted_at__isnull=True,
            hidden=False,
            approved=True,
            topic__hidden=False,
        )
    )


def must_answer_first(user, topic: Topic) -> bool:
    """Whether others' answers are held back from this user in this topic."""
    forum = topic.forum
    if not (forum.is_qa and forum.qa_post_first) or topic.author_id == user.pk:
        return False
    if may_moderate(user, forum):
        return False
    return not Post.objects.filter(
        topic=topic, author=user, deleted_at__isnull=True, is_opening=False
    ).exists()


def forum_audience(forum: Forum):
    """Everyone who may read the forum: whom automatic and forced subscriptions reach."""
    people = User.objects.filter(is_active=True)
    staff = Q(role__in=[Role.METHODIST, Role.ADMINISTRATOR]) | Q(is_superuser=True)
    if forum.kind == Forum.Kind.SCHOOL:
        return people.filter(Q(school_id=forum.school_id) | staff)
    if forum.kind == Forum.Kind.GROUP:
        group = forum.study_group
        members = Q(group_memberships__group_id=group.pk)
        heads = Q(role=Role.SCHOOL_HEAD, school_id=group.school_id) if group.school_id else Q()
        condition = members | staff | heads if group.school_id else members | staff
        return people.filter(condition).distinct()
    if forum.kind == Forum.Kind.COURSE:
        return people.filter(Q(course_enrolments__course_id=forum.course_id) | staff).distinct()
    return people


def courses_with_forum_for(user):
    """Courses whose forum this person may read: those they are enrolled in; every course for
    methodists and administrators."""
    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    if reads_every_school(user):
        return Course.objects.all()
    return Course.objects.filter(enrolments__user=user)


# --- acting ---------------------------------------------------------------------------------


def may_post(user, topic: Topic) -> bool:
    return not topic.locked or may_moderate(user, topic.forum)


def may_edit(user, post: Post, now=None) -> bool:
    if may_moderate(user, post.topic.forum):
        return True
    now = now or timezone.now()
    in_time = now - post.created_at <= EDIT_WINDOW
    return post.author_id == user.pk and not post.is_deleted and in_time


def may_accept(user, topic: Topic) -> bool:
    """The asker or a moderator marks the answer: in Q&A forums and in any other where a teacher
    asks (a study group's forum is where most questions are asked)."""
    return topic.author_id == user.pk or may_moderate(user, topic.forum)


def may_manage_round_tables(user) -> bool:
    return user.is_authenticated and reads_every_school(user)


# --- fetching by id: one door per object, 404 for anyone who may not ----------------------------


def forum_for(user, forum_id) -> Forum:
    return get_object_or_404(forums_visible_to(user).select_related("study_group"), pk=forum_id)


def topic_for(user, topic_id) -> Topic:
    return get_object_or_404(
        topics_visible_to(user).select_related("forum", "forum__study_group", "author"),
        pk=topic_id,
    )


def post_for(user, post_id) -> Post:
    return get_object_or_404(
        posts_readable_by(user).select_related("topic", "topic__forum", "author"), pk=post_id
    )


def attachment_for(user, attachment_id) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related("post"),
        pk=attachment_id,
        post__in=posts_readable_by(user).values("pk"),
    )
    return attachment


def round_table_for(user, round_table_id) -> RoundTable:
    return get_object_or_404(
        RoundTable.objects.filter(forum__in=forums_visible_to(user)).select_related(
            "forum", "topic"
        ),
        pk=round_table_id,
    )


def moderated_forum_for(user, forum_id) -> Forum:
    forum = forum_for(user, forum_id)
    if not may_moderate(user, forum):
        raise Http404
    return forum
