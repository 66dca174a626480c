from django.utils.functional import SimpleLazyObject

from lms.notifications.models import Notification


def unread_notifications(request):
    """The bell's count: one COUNT on a partial index, run only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    loaded = getattr(user, "unread_notification_count", None)
    if loaded is not None:  # counted with the user's own row (lms.backends)
        return {"unread_notifications": loaded}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.for_recipient(user).unread().count()
        )
    }
