"""Posting rate limit per person, counted from the posts themselves.

The database is authoritative and always there: a count in the cache would let every post
through while Redis is down (the forgiving cache reads a stopped Redis as a fresh window), and a
spammer does not wait for Redis to come back. The count is one index range scan
(post_author_recent) of at most the limit's rows. Two posts sent by one person at the very same
instant may both pass; the next one is refused.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext

from forums.models import Post


def check_posting_rate(user) -> None:
    """Refuse this post when the person has already posted the limit within the window."""
    limit = settings.FORUMS_POSTS_PER_WINDOW
    window = settings.FORUMS_POST_WINDOW_SECONDS
    since = timezone.now() - timedelta(seconds=window)
    # Topics count too (their opening post), and hidden or deleted ones: spam that a moderator
    # removed was still written.
    recent = Post.objects.filter(author=user, created_at__gte=since).order_by()[:limit]
    if recent.count() >= limit:
        raise ValidationError(
            ngettext(
                "You are posting very quickly: at most %(limit)d post in %(minutes)d minutes. "
                "Your text is kept below; please send it again in a little while.",
                "You are posting very quickly: at most %(limit)d posts in %(minutes)d minutes. "
                "Your text is kept below; please send it again in a little while.",
                limit,
            )
            % {"limit": limit, "minutes": max(1, window // 60)},
            code="rate_limited",
        )
