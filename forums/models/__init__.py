from forums.models.forums import (
    Attachment,
    Forum,
    ModerationAction,
    Post,
    PostRevision,
    Reaction,
    ReadMarker,
    Report,
    Subscription,
    Topic,
)
from forums.models.round_tables import Registration, RoundTable

__all__ = [
    "Attachment",
    "Forum",
    "ModerationAction",
    "Post",
    "PostRevision",
    "Reaction",
    "ReadMarker",
    "Registration",
    "Report",
    "RoundTable",
    "Subscription",
    "Topic",
]
