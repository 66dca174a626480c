"""The kinds of notification, registered by each app in its AppConfig.ready.

A kind carries its label (for the preferences page), the sentence a notification of it reads
(`text`, with %(name)s parameters filled from the row, translated in the reader's language when
rendered, never when stored), the delivery a person gets until they choose, and optionally a
`visible` callback: given a recipient and their notifications of this kind, it returns those the
recipient may still see. Every list, letter and digest asks it, so a notification about something
the recipient may no longer (or not yet) read never shows its text.

A kind whose notifications go into the daily digest should also give `visible_many`: the same
check for the rows of many recipients at once (each row's `recipient` loaded), in a fixed number
of queries. The digest asks it once per batch of recipients; without it the digest asks `visible`
once per recipient, and a digest for 10,000 teachers then spends its time building 10,000
permission queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("Daily digest by e-mail")
    IN_APP = "in_app", _("Only here, in Ustaz")


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    text: str
    default_delivery: str = Delivery.IN_APP
    visible: Callable | None = None
    order: int = 100
    visible_many: Callable | None = None


_KINDS: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> None:
    # ready() may run twice in some test set-ups; the same key simply replaces itself.
    _KINDS[kind.key] = kind


def get_kind(key: str) -> NotificationKind | None:
    return _KINDS.get(key)


def all_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def render_text(kind_key: str, params: dict) -> str:
    """The sentence of a notification in the active language; a kind no longer registered (its
    app removed) reads as a plain "notification" rather than failing the page."""
    kind = get_kind(kind_key)
    if kind is None:
        return str(_("Notification"))
    try:
        return str(kind.text) % params
    except (KeyError, TypeError, ValueError):
        return str(kind.label)
