"""What every request runs, written for speed (lms/sessions.py, lms/cache_backends.py,
lms/middleware.py CSPMiddleware): it must behave exactly as Django's and django-csp's own."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from lms.cache_backends import ForgivingRedisCache

pytestmark = pytest.mark.django_db


def test_a_signed_in_teacher_stays_signed_in(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("dashboard")).status_code == 200


def test_an_expired_session_signs_the_teacher_out_and_gets_a_new_key(client, teacher):
    client.force_login(teacher)
    old_key = client.session.session_key
    Session.objects.filter(session_key=old_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    page = client.get(reverse("dashboard"))
    assert page.status_code == 302 and reverse("login") in page["Location"]
    assert "_auth_user_id" not in client.session
    assert client.session.session_key != old_key


def test_a_session_that_does_not_exist_reads_as_signed_out(client, teacher):
    client.force_login(teacher)
    Session.objects.all().delete()
    page = client.get(reverse("dashboard"))
    assert page.status_code == 302 and reverse("login") in page["Location"]


def test_signing_out_ends_the_session_for_good(client, teacher):
    client.force_login(teacher)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # a copied cookie replayed
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_redis_cache_reuses_one_client_for_its_calls():
    cache = caches["default"]
    if not isinstance(cache, ForgivingRedisCache):
        pytest.skip("the cache is not Redis: set CELERY_BROKER_URL (or CACHE_URL) to a Redis")
    cache.set("request-path-probe", 41)
    first = cache._cache.get_client("request-path-probe")
    assert cache.get("request-path-probe") == 41
    assert cache._cache.get_client("request-path-probe", write=True) is first
    cache.delete("request-path-probe")


def test_every_page_gets_the_policy_the_library_would_build(client, teacher, settings):
    import csp.utils

    client.force_login(teacher)
    expected = csp.utils.build_policy()
    assert client.get(reverse("dashboard"))["Content-Security-Policy"] == expected
    # A changed policy is seen at once (built again, not the old one kept).
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}
    }
    changed = client.get(reverse("dashboard"))["Content-Security-Policy"]
    assert changed == csp.utils.build_policy() != expected
    assert "img-src 'self';" in changed + ";"
