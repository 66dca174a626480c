from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import access, services
from forums.forms import PostForm, ReportForm, TopicForm
from forums.markup import quote
from forums.moderation import report_create
from forums.subscriptions import subscription_follow, subscription_stop
from forums.views.browse import FILE_KINDS
from lms.params import int_or_none


def _errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def topic_new(request, forum_id):
    forum = access.forum_for(request.user, forum_id)
    form = TopicForm(
        request.POST or None,
        request.FILES or None,
        allow_files=forum.kind in FILE_KINDS,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.topic_create(
                forum=forum,
                author=request.user,
                title=data["title"],
                body=data["body"],
                language=data["language"],
                files=data.get("files", []),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            _say_if_held(request, topic.posts.first())
            return redirect(topic)
    return render(request, "forums/topic_new.html", {"forum": forum, "form": form})


def _say_if_held(request, post) -> None:
    if post is not None and not post.approved:
        messages.info(
            request,
            _(
                "Your post has links or files, and your account is new: a moderator will "
                "approve it shortly. Until then only you see it."
            ),
        )


@login_required
def post_reply(request, topic_id):
    topic = access.topic_for(request.user, topic_id)
    quoted = None
    quoted_id = int_or_none(request.GET.get("quote") or request.POST.get("quote"))
    if quoted_id is not None:
        quoted = access.posts_readable_by(request.user).filter(topic=topic, pk=quoted_id).first()
    initial = {"language": request.LANGUAGE_CODE}
    if quoted is not None and request.method == "GET":
        initial["body"] = quote(quoted.author.full_name, quoted.body)
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        allow_files=topic.forum.kind in FILE_KINDS,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                topic=topic,
                author=request.user,
                body=data["body"],
                language=data["language"],
                quoted=quoted,
                files=data.get("files", []),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            _say_if_held(request, post)
            return redirect(post.get_absolute_url())
    return render(request, "forums/reply.html", {"topic": topic, "form": form, "quoted": quoted})


@login_required
def post_edit(request, post_id):
    post = access.post_for(request.user, post_id)
    if not access.may_edit(request.user, post):
        messages.error(request, _("A post can be edited for 30 minutes after it is written."))
        return redirect(post.get_absolute_url())
    form = PostForm(request.POST or None, initial={"body": post.body, "language": post.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect(post.get_absolute_url())
    revisions = (
        post.revisions.select_related("edited_by")
        if access.may_moderate(request.user, post.topic.forum)
        else None
    )
    return render(
        request, "forums/post_edit.html", {"post": post, "form": form, "revisions": revisions}
    )


def _act(request, action, post_id, success: str):
    post = access.post_for(request.user, post_id)
    try:
        action(post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if success:
            messages.success(request, success)
    return redirect(post.get_absolute_url() if not post.is_deleted else post.topic)


@login_required
@require_POST
def post_delete(request, post_id):
    return _act(
        request,
        lambda post: services.post_delete(post=post, user=request.user),
        post_id,
        _("The post is deleted."),
    )


@login_required
@require_POST
def post_helpful(request, post_id):
    return _act(
        request,
        lambda post: services.post_toggle_helpful(post=post, user=request.user),
        post_id,
        "",
    )


@login_required
@require_POST
def post_accept(request, post_id):
    return _act(
        request,
        lambda post: services.topic_accept_answer(topic=post.topic, post=post, user=request.user),
        post_id,
        _("The answer is marked as accepted."),
    )


@login_required
def post_report(request, post_id):
    post = access.post_for(request.user, post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_create(post=post, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Thank you: the moderators will look at this post."))
        return redirect(post.get_absolute_url())
    return render(request, "forums/report.html", {"post": post, "form": form})


@login_required
@require_POST
def forum_follow(request, forum_id):
    forum = access.forum_for(request.user, forum_id)
    if request.POST.get("follow") == "1":
        subscription_follow(user=request.user, forum=forum)
        messages.success(request, _("You follow this forum."))
    elif subscription_stop(user=request.user, forum=forum):
        messages.success(request, _("You no longer follow this forum."))
    else:
        messages.error(request, _("Everyone follows this forum; it cannot be turned off."))
    return redirect(forum)


@login_required
@require_POST
def topic_follow(request, topic_id):
    topic = access.topic_for(request.user, topic_id)
    if request.POST.get("follow") == "1":
        subscription_follow(user=request.user, topic=topic)
        messages.success(request, _("You follow this topic."))
    else:
        subscription_stop(user=request.user, topic=topic)
        messages.success(request, _("You no longer follow this topic."))
    return redirect(topic)
