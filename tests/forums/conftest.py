import pytest


@pytest.fixture(autouse=True)
def generous_rate_limit(settings):
    """Tests post quickly; the rate-limit test sets its own limit."""
    settings.FORUMS_POSTS_PER_WINDOW = 1000
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "forums-tests",
        }
    }
    from django.core.cache import cache

    cache.clear()  # this test's own locmem store


@pytest.fixture
def announced(django_capture_on_commit_callbacks):
    """Run a post's on-commit announcement (notifications) as the commit would."""
    return django_capture_on_commit_callbacks
