"""Posting rate limit per person, counted in the shared cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def check_posting_rate(user) -> None:
    """Count this post; refuse it when the person has posted too often in the window."""
    limit = settings.FORUMS_POSTS_PER_WINDOW
    window = settings.FORUMS_POST_WINDOW_SECONDS
    key = f"forums:posts:{user.pk}"
    # add() starts the window only if none is running; incr() is atomic in Redis and locmem.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
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
