from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import access
from forums.forms import MoveForm
from forums.models import Report
from forums.moderation import (
    moderation_queue,
    post_moderate,
    report_dismiss,
    topic_moderate,
    topic_move,
)
from lms.params import without_nul

TOPIC_ACTIONS = {"pin", "unpin", "lock", "unlock", "hide", "show"}
POST_ACTIONS = {"hide", "show", "approve"}


def _moderated_topic(user, topic_id):
    topic = access.topic_for(user, topic_id)
    if not access.may_moderate(user, topic.forum):
        raise Http404
    return topic


def _moderate(request, service, **target) -> None:
    """Run a moderation service with the form's reason; say whether it was done."""
    try:
        service(user=request.user, reason=without_nul(request.POST.get("reason", "")), **target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))


@login_required
@require_POST
def topic_action(request, topic_id, action):
    topic = _moderated_topic(request.user, topic_id)
    if action not in TOPIC_ACTIONS:
        raise Http404
    _moderate(request, topic_moderate, topic=topic, action=action)
    return redirect(topic)


@login_required
def topic_move_view(request, topic_id):
    topic = _moderated_topic(request.user, topic_id)
    form = MoveForm(request.POST or None, forums=access.forums_moderated_by(request.user))
    if request.method == "POST" and form.is_valid():
        topic_move(
            topic=topic,
            to_forum=form.cleaned_data["forum"],
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The topic is moved."))
        return redirect(topic)
    return render(request, "forums/topic_move.html", {"topic": topic, "form": form})


@login_required
@require_POST
def post_action(request, post_id, action):
    post = access.post_for(request.user, post_id)
    if action not in POST_ACTIONS or not access.may_moderate(request.user, post.topic.forum):
        raise Http404
    _moderate(request, post_moderate, post=post, action=action)
    return redirect(
        request.POST.get("back") == "queue" and "forums:queue" or post.get_absolute_url()
    )


@login_required
def queue(request):
    reports, waiting = moderation_queue(request.user)
    return render(request, "forums/queue.html", {"reports": reports, "waiting": waiting})


@login_required
@require_POST
def report_dismiss_view(request, report_id):
    report = get_object_or_404(
        Report.objects.select_related("post__topic__forum"),
        pk=report_id,
        post__topic__forum__in=access.forums_moderated_by(request.user),
    )
    report_dismiss(report=report, user=request.user)
    messages.success(request, _("The report is dismissed."))
    return redirect("forums:queue")
