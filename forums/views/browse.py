from datetime import timedelta
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property

from courses.models import Course
from diagnostics.models import StudyGroup
from forums import access
from forums.course_forums import course_forums_ensure, course_forums_ensure_for
from forums.forms import PostForm, TopicForm
from forums.groups import group_forums_ensure, group_forums_ensure_for
from forums.markup import library_resource_ids
from forums.models import Forum, Post, Reaction, Subscription
from forums.search import search_posts
from forums.services import topic_mark_read
from forums.subscriptions import follows_forum
from library.models import Resource
from library.uploads import content_type_for

FORUMS_PER_PAGE = 50
TOPICS_PER_PAGE = 30
SEARCH_RESULTS_CAP = 1000
POSTS_PER_PAGE = 20
FILE_KINDS = (Forum.Kind.EXCHANGE, Forum.Kind.GROUP, Forum.Kind.SCHOOL, Forum.Kind.COURSE)


@login_required
def forum_index(request):
    group_forums_ensure_for(request.user)
    course_forums_ensure_for(request.user)
    forums = access.forums_visible_to(request.user).for_index().order_by("kind", "position", "pk")
    # Paged: a methodist reads every forum (1,000 in the benchmark), and rendering them all
    # costs seconds; a page of forums grouped by kind renders in milliseconds.
    page = Paginator(forums, FORUMS_PER_PAGE).get_page(request.GET.get("page"))
    sections = [(kind, list(rows)) for kind, rows in groupby(page, key=lambda f: f.kind)]
    labels = dict(Forum.Kind.choices)
    return render(
        request,
        "forums/index.html",
        {"sections": [(labels[kind], rows) for kind, rows in sections], "page": page},
    )


@login_required
def group_forum(request, group_id):
    group = get_object_or_404(StudyGroup.objects.visible_to(request.user), pk=group_id)
    group_forums_ensure(StudyGroup.objects.filter(pk=group.pk))
    return redirect("forums:forum", Forum.objects.get(study_group=group).pk)


@login_required
def course_forum(request, course_id):
    """A course's forum, made on first visit: 404 unless enrolled (or a methodist)."""
    course = get_object_or_404(access.courses_with_forum_for(request.user), pk=course_id)
    course_forums_ensure(Course.objects.filter(pk=course.pk))
    return redirect("forums:forum", Forum.objects.get(course=course).pk)


@login_required
def forum_detail(request, forum_id):
    forum = access.forum_for(request.user, forum_id)
    topics = (
        access.topics_visible_to(request.user)
        .filter(forum=forum)
        .with_read_until(request.user)
        .select_related("author")
        .only(
            "pk",
            "title",
            "created_at",
            "last_post_at",
            "post_count",
            "pinned",
            "locked",
            "hidden",
            "accepted_post_id",
            "author__full_name",
        )  # fmt: skip
    )
    page = Paginator(topics, TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "page": page,
            "form": TopicForm(allow_files=forum.kind in FILE_KINDS),
            "follows": follows_forum(request.user, forum),
            "moderates": access.may_moderate(request.user, forum),
        },
    )


def _posts_for_page(user, topic, moderates: bool, answer_first: bool):
    """The topic's posts this person sees in the thread: deleted and hidden ones stay as
    placeholders; waiting ones only for their author and moderators; with Q&A "post first",
    only the question and their own posts until they answer."""
    shown = Q()
    if not moderates:
        shown &= Q(approved=True) | Q(author=user)
    if answer_first:
        shown &= Q(is_opening=True) | Q(author=user)
    posts = Post.objects.filter(topic=topic).filter(shown)
    return (
        posts.select_related("author").prefetch_related("attachments").order_by("created_at", "pk")
    )


def _library_cards(user, posts) -> dict[int, list]:
    ids = {post.pk: library_resource_ids(post.body) for post in posts if not post.is_deleted}
    wanted = {rid for rids in ids.values() for rid in rids}
    if not wanted:
        return {}
    found = Resource.objects.visible_to(user).filter(pk__in=wanted).only("pk", "title", "kind")
    by_id = {resource.pk: resource for resource in found}
    return {pk: [by_id[rid] for rid in rids if rid in by_id] for pk, rids in ids.items()}


@login_required
def topic_detail(request, topic_id):
    user = request.user
    topic = access.topic_for(user, topic_id)
    moderates = access.may_moderate(user, topic.forum)
    answer_first = access.must_answer_first(user, topic)
    posts = _posts_for_page(user, topic, moderates, answer_first)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    accepted = None
    if topic.accepted_post_id and not answer_first and page.number == 1:
        accepted = next((p for p in rows if p.pk == topic.accepted_post_id), None) or (
            Post.objects.filter(pk=topic.accepted_post_id, deleted_at__isnull=True, hidden=False)
            .select_related("author")
            .first()
        )
    cards = _library_cards(user, rows)
    for post in rows:
        post.cards = cards.get(post.pk, [])
    marked = set(
        Reaction.objects.filter(user=user, post__in=rows).values_list("post_id", flat=True)
    )
    if rows:
        topic_mark_read(user=user, topic=topic, until=max(p.created_at for p in rows))
    return render(
        request,
        "forums/topic.html",
        {
            "topic": topic,
            "forum": topic.forum,
            "page": page,
            "rows": rows,
            "accepted": accepted,
            "marked": marked,
            "moderates": moderates,
            "answer_first": answer_first,
            "may_post": access.may_post(user, topic),
            "may_accept": access.may_accept(user, topic),
            "follows": Subscription.objects.filter(user=user, topic=topic, muted=False).exists(),
            "form": PostForm(
                initial={"language": request.LANGUAGE_CODE},
                allow_files=topic.forum.kind in FILE_KINDS,
            ),
            "edit_until": timezone.now() - access.EDIT_WINDOW,
        },
    )


@login_required
def post_detail(request, post_id):
    """A post's permanent link: its topic's page that holds it."""
    post = access.post_for(request.user, post_id)
    before = Post.objects.filter(topic=post.topic, created_at__lt=post.created_at).count()
    page = before // POSTS_PER_PAGE + 1
    return redirect(f"{post.topic.get_absolute_url()}?page={page}#post-{post.pk}")


@login_required
def attachment_download(request, attachment_id):
    attachment = access.attachment_for(request.user, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=content_type_for(attachment.extension),
    )
    response["Content-Security-Policy"] = "sandbox"
    return response


class CappedPaginator(Paginator):
    """Counts at most SEARCH_RESULTS_CAP matches: a common word matches 100,000s of posts, and
    counting them all took seconds (bench/forums.py); nobody pages past the newest thousand."""

    @cached_property
    def count(self):
        # Newest first, ids only: for a common word PostgreSQL walks the newest-first index and
        # stops at the cap, instead of building a bitmap of every match.
        return self.object_list.values("pk")[:SEARCH_RESULTS_CAP].count()


@login_required
def search(request):
    text = request.GET.get("q", "")
    page = CappedPaginator(search_posts(request.user, text), 20).get_page(request.GET.get("page"))
    return render(request, "forums/search.html", {"query": text, "page": page})


@login_required
def forum_digest(request, forum_id):
    """The last day's readable posts of one forum, topic by topic (as the daily letter has)."""
    forum = access.forum_for(request.user, forum_id)
    since = timezone.now() - timedelta(days=1)
    posts = (
        access.posts_readable_by(request.user)
        .filter(topic__forum=forum, created_at__gte=since)
        .select_related("topic", "author")
        .order_by("topic_id", "created_at")[:200]
    )
    topics = [(topic, list(rows)) for topic, rows in groupby(posts, key=lambda p: p.topic)]
    return render(request, "forums/digest.html", {"forum": forum, "topics": topics})
