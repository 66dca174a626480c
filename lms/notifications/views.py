from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lms.models import User
from lms.notifications.forms import PreferencesForm
from lms.notifications.models import Notification, NotificationPreference
from lms.notifications.registry import Delivery, get_kind
from lms.notifications.services import (
    notifications_mark_read,
    preference_set,
    unsubscribe_read,
)
from lms.notifications.visibility import visible_notifications

PER_PAGE = 30


def _notification_for(user, notification_id) -> Notification:
    return get_object_or_404(Notification.objects.for_recipient(user), pk=notification_id)


@login_required
def notification_list(request):
    notifications = Notification.objects.for_recipient(request.user).only(
        "pk", "kind", "params", "link", "target_id", "created_at", "read_at", "recipient_id"
    )
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    rows = visible_notifications(request.user, list(page.object_list))
    return render(request, "lms/notifications/list.html", {"page": page, "rows": rows})


@login_required
def notification_open(request, notification_id):
    notification = _notification_for(request.user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    allowed = url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(notification.link if notification.link and allowed else "notifications:list")


@login_required
@require_POST
def notification_mark_all_read(request):
    notifications_mark_read(user=request.user)
    messages.success(request, _("Every notification is marked as read."))
    return redirect("notifications:list")


@login_required
def notification_preferences(request):
    current = dict(
        NotificationPreference.objects.filter(user=request.user).values_list("kind", "delivery")
    )
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, delivery in form.cleaned_data.items():
            if delivery:
                preference_set(user=request.user, kind=kind, delivery=delivery)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notifications:preferences")
    return render(request, "lms/notifications/preferences.html", {"form": form})


# The signed token is the authority here, and mail clients' one-click POST carries no CSRF token.
@csrf_exempt
def notification_unsubscribe(request, token):
    """One click from a letter, signed in or not: the token names one person and one kind.

    A GET shows a button (mail scanners follow links; they must not unsubscribe anybody); a POST,
    from that button or from a mail client's one-click unsubscribe, does it."""
    found = unsubscribe_read(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if user is None:
        return render(request, "lms/notifications/unsubscribe.html", {"invalid": True}, status=404)
    kind = get_kind(found[1])
    done = request.method == "POST"
    if done:
        preference_set(user=user, kind=kind.key, delivery=Delivery.IN_APP)
    return render(request, "lms/notifications/unsubscribe.html", {"kind": kind, "done": done})
