"""The cookies under production settings: the language cookie goes only over HTTPS and only to
Ustaz's own pages, as the session and CSRF cookies do. Run in a fresh process with the production
environment, since settings are read once, at start."""

from tests.lms.test_settings import PRODUCTION, manage

SWITCH_LANGUAGE = """
from django.test import Client
client = Client(HTTP_HOST="ustaz.example.kz")
response = client.post("/language/", {"language": "ru", "next": "/"}, secure=True)
print(response.status_code)
print(response.cookies["django_language"].output())
from django.conf import settings as s
print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE)
print(s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE)
"""


def test_in_production_the_language_cookie_is_secure_and_same_site():
    result = manage("shell", "-v", "0", "-c", SWITCH_LANGUAGE, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    status, cookie, session, csrf = result.stdout.strip().splitlines()
    assert status == "302"
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "set-cookie: django_language=ru" in attributes
    assert "secure" in attributes
    assert "samesite=lax" in attributes
    assert "httponly" in attributes
    # The session and CSRF cookies agree with it.
    assert session.split() == csrf.split() == ["True", "Lax"]


def test_while_developing_over_plain_http_the_language_cookie_still_works(client):
    response = client.post("/language/", {"language": "ru", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie.value == "ru"
    assert not cookie["secure"]  # runserver speaks plain HTTP
    assert cookie["samesite"] == "Lax"
