"""A question's text as teachers see it, in the format it was written in.

Plain text (and Moodle's auto-format) is escaped, with its line breaks kept; HTML (GIFT's
`[html]`) and Markdown (`[markdown]`) are rendered and sanitised with nh3: no script, no event
handlers, no styles, links only to http(s) and mail.
"""

import html

import markdown as markdown_lib
import nh3
from django.template.defaultfilters import linebreaksbr
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}
PLAIN, HTML, MARKDOWN = "plain", "html", "markdown"


def sanitised(markup: str) -> str:
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def text_html(text: str, text_format: str, *, block: bool = False) -> SafeString:
    """`text` as safe HTML. Plain text keeps its line breaks (paragraphs when `block`)."""
    text = text or ""
    if text_format == HTML:
        return mark_safe(sanitised(text))  # noqa: S308 - sanitised by nh3
    if text_format == MARKDOWN:
        rendered = markdown_lib.markdown(text, extensions=["tables", "fenced_code", "sane_lists"])
        return mark_safe(sanitised(rendered))  # noqa: S308 - sanitised by nh3
    return linebreaks(text, autoescape=True) if block else linebreaksbr(text, autoescape=True)


def text_plain(text: str, text_format: str) -> str:
    """`text` without markup, for labels and titles (escaped again where it is shown)."""
    if text_format in (HTML, MARKDOWN):
        return " ".join(html.unescape(nh3.clean(text_html(text, text_format), tags=set())).split())
    return text or ""


def question_html(question) -> SafeString:
    return text_html(question.text, getattr(question, "text_format", PLAIN))


def question_plain(question) -> str:
    return text_plain(question.text, getattr(question, "text_format", PLAIN))
