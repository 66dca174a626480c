"""BigBlueButton's API, when the installation configures a server (BBB_URL and BBB_SECRET).

Each call is `<BBB_URL>api/<name>?<query>&checksum=sha1(name + query + secret)`. The API is four
calls Ustaz needs (create, join); no maintained Python client covers current BigBlueButton
versions, so this is the few lines it takes.
"""

import hashlib
import secrets
import urllib.parse
import urllib.request
from xml.etree import ElementTree

from django.conf import settings


class BigBlueButtonError(Exception):
    pass


def configured() -> bool:
    return bool(settings.BBB_URL and settings.BBB_SECRET)


def _url(name: str, params: dict) -> str:
    query = urllib.parse.urlencode(params)
    checksum = hashlib.sha1((name + query + settings.BBB_SECRET).encode(), usedforsecurity=False)
    base = settings.BBB_URL.rstrip("/") + "/api/"
    return f"{base}{name}?{query}&checksum={checksum.hexdigest()}"


def _passwords(round_table) -> tuple[str, str]:
    # Derived from the secret and the meeting, so they need not be stored.
    seed = f"{settings.BBB_SECRET}:{round_table.bbb_meeting_id}"
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return digest[:16], digest[16:32]


def meeting_create(round_table) -> None:
    """Create (or re-create: BigBlueButton answers the same meeting) the round table's room."""
    if not round_table.bbb_meeting_id:
        round_table.bbb_meeting_id = f"ustaz-rt-{round_table.pk}-{secrets.token_hex(6)}"
        round_table.save(update_fields=["bbb_meeting_id"])
    moderator_pw, attendee_pw = _passwords(round_table)
    url = _url(
        "create",
        {
            "name": round_table.title,
            "meetingID": round_table.bbb_meeting_id,
            "moderatorPW": moderator_pw,
            "attendeePW": attendee_pw,
            "record": "false",
        },
    )
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (configured https URL)
            tree = ElementTree.fromstring(response.read())  # noqa: S314 (the installation's own server)
    except (OSError, ElementTree.ParseError) as error:
        raise BigBlueButtonError(str(error)) from error
    if tree.findtext("returncode") != "SUCCESS":
        raise BigBlueButtonError(tree.findtext("message") or "create failed")


def join_url(round_table, *, user, moderator: bool) -> str:
    moderator_pw, attendee_pw = _passwords(round_table)
    return _url(
        "join",
        {
            "fullName": user.full_name or user.email,
            "meetingID": round_table.bbb_meeting_id,
            "password": moderator_pw if moderator else attendee_pw,
            "userID": str(user.pk),
            "redirect": "true",
        },
    )
