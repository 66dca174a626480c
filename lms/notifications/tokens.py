"""One-click unsubscribe tokens: signed, naming one person and one kind of notification.

Apart from the services so that the mail module (which the services' task sends) can sign links
without importing the services back.
"""

from django.core import signing

from lms.notifications.registry import get_kind

UNSUBSCRIBE_SALT = "lms.notifications.unsubscribe"


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    """A token naming one person and one kind: it unsubscribes from that kind only."""
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or get_kind(data.get("k", "")) is None:
        return None
    return data.get("u"), data["k"]
