"""Post text: Markdown in, sanitised HTML out (nh3), mentions and library cards read from it.

Raw HTML typed in a post is not markup here: Markdown passes it through and nh3 then removes
every tag and attribute outside a short list, every URL scheme but http(s) and mailto, and all
images (a picture goes in as an attachment, checked by its content).
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

MENTION_EMAIL = re.compile(r"(?<![\w@])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
MENTION_NAME = re.compile(r'(?<![\w@])@"([^"\n]{2,100})"')
LINK = re.compile(r"(?:https?://[^\s/]+)?/library/resources/(\d+)/")
MAX_MENTIONS = 20


def render(body: str) -> str:
    html = markdown.markdown(body, extensions=["fenced_code", "sane_lists"], output_format="html")
    # Headings shrink to h3 and below, so a post never outranks the page's own headings.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        strip_comments=True,
    )


def mentioned_emails(body: str) -> set[str]:
    return {match.lower() for match in MENTION_EMAIL.findall(body)[:MAX_MENTIONS]}


def mentioned_names(body: str) -> set[str]:
    return {match.strip() for match in MENTION_NAME.findall(body)[:MAX_MENTIONS]}


def has_links(body: str) -> bool:
    return bool(re.search(r"https?://|www\.|\]\(", body, re.IGNORECASE))


def library_resource_ids(body: str) -> list[int]:
    return sorted({int(found) for found in LINK.findall(body)})[:10]


def quote(author_name: str, body: str) -> str:
    """A reply's opening: the quoted post as a Markdown block quote."""
    lines = body.strip().splitlines()[:20]
    return f"> **{author_name}:**\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
