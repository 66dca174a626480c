"""What the H5P player needs beyond the site's Content-Security-Policy (lms/settings.py).

h5p-standalone (static/vendor/h5p-standalone) shows the content in a frame of its own: an
about:blank document, which inherits the page's policy, into which it writes one inline script
that hands the frame the player's settings. That script is always the same text, so its hash is
allowed, not inline script in general. H5P's content types build their markup with style
attributes, so the lesson page that plays one (and only that page) allows inline styles; script
stays limited to Ustaz's files and that one hash.
"""

import base64
import hashlib

from csp.constants import UNSAFE_INLINE

# Written into the frame by the vendored frame.bundle.js (H5P.getHeadTags), version 3.8.2.
FRAME_SCRIPT = (
    "H5PIntegration = window.parent.H5PIntegration; var H5P = H5P || {}; H5P.externalEmbed = false;"
)


def _script_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


PLAYER_POLICY = {"script-src": [_script_hash(FRAME_SCRIPT)], "style-src": [UNSAFE_INLINE]}


def allow_h5p_player(response):
    """The page's policy with the player's additions (django-csp reads _csp_update)."""
    response._csp_update = PLAYER_POLICY
    return response
