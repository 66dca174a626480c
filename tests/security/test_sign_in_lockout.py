"""Lockout per account and address: a stranger failing from elsewhere cannot lock a head out, the
stranger's address stays locked for that account, and a new password set through the e-mailed
link unlocks the account at every address."""

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from lms.backends import client_ip_address
from tests.lms.factories import PASSWORD

HEADS_OFFICE = "10.1.1.1"  # address A
STRANGER = "203.0.113.9"  # address B


def browser_at(address):
    """A browser at an address, as gunicorn sees it with no proxy in front."""
    return Client(REMOTE_ADDR=address, headers={"accept-language": "en"})


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def reset_password_through_the_letter(client, email, new_password):
    mail.outbox.clear()
    assert client.post(reverse("password_reset"), {"email": email}).status_code == 302
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302


def test_a_stranger_cannot_lock_the_head_out_and_a_new_password_unlocks_them(head):
    stranger = browser_at(STRANGER)
    for _ in range(4):
        assert sign_in(stranger, head.email, "guess").status_code == 200
    locked = sign_in(stranger, head.email, "guess")
    assert locked.status_code == 429

    # The head, at their own address, signs in as usual.
    assert sign_in(browser_at(HEADS_OFFICE), head.email, PASSWORD).status_code == 302

    # The stranger's address stays locked for that account, even with the right password, and
    # the page offers the way out: a password-reset link.
    again = sign_in(stranger, head.email, PASSWORD)
    assert again.status_code == 429
    page = again.content.decode()
    assert "locked for 15 minutes" in page
    assert f'href="{reverse("password_reset")}"' in page
    assert "_auth_user_id" not in stranger.session

    # The owner resets the password through the real letter; the account is then open from B.
    reset_password_through_the_letter(stranger, head.email, "a-brand-new-password-7")
    assert sign_in(stranger, head.email, "a-brand-new-password-7").status_code == 302


def test_the_locked_address_may_still_sign_in_to_other_accounts(head, teacher):
    stranger = browser_at(STRANGER)
    for _ in range(5):
        sign_in(stranger, head.email, "guess")
    assert sign_in(stranger, teacher.email, PASSWORD).status_code == 302


def test_the_lock_survives_changing_the_case_of_the_address(head):
    stranger = browser_at(STRANGER)
    for _ in range(5):
        sign_in(stranger, head.email, "guess")
    assert sign_in(stranger, head.email.upper(), PASSWORD).status_code == 429


# --- the client's address behind the reverse proxy -----------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return type("Request", (), {"META": meta})()


def test_behind_nginx_the_address_is_the_one_nginx_saw(settings):
    settings.USTAZ_TRUSTED_PROXIES = 1
    # The client wrote its own X-Forwarded-For; nginx appended the address it saw.
    assert client_ip_address(_request("127.0.0.1", "1.2.3.4, " + STRANGER)) == STRANGER
    assert client_ip_address(_request("127.0.0.1", STRANGER)) == STRANGER
    # Not through the proxy, or garbage where an address should be: the connection's address.
    assert client_ip_address(_request("10.9.9.9")) == "10.9.9.9"
    assert client_ip_address(_request("127.0.0.1", "1.2.3.4, not-an-ip")) == "127.0.0.1"


def test_without_a_proxy_x_forwarded_for_is_not_believed(settings):
    settings.USTAZ_TRUSTED_PROXIES = 0
    assert client_ip_address(_request(STRANGER, "10.1.1.1")) == STRANGER


def test_behind_the_proxy_a_forged_header_cannot_spread_the_lock(head, settings):
    """Through nginx the stranger cannot choose the address their failures are counted for by
    writing one into X-Forwarded-For: nginx appends the real one, and that is the one counted."""
    settings.USTAZ_TRUSTED_PROXIES = 1
    via_nginx = Client(REMOTE_ADDR="127.0.0.1", headers={"accept-language": "en"})
    for _ in range(5):
        via_nginx.post(
            reverse("login"),
            {"username": head.email, "password": "guess"},
            headers={"x-forwarded-for": f"{HEADS_OFFICE}, {STRANGER}"},
        )
    head_through_nginx = via_nginx.post(
        reverse("login"),
        {"username": head.email, "password": PASSWORD},
        headers={"x-forwarded-for": HEADS_OFFICE},
    )
    assert head_through_nginx.status_code == 302
