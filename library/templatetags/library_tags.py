from django import template

register = template.Library()

KIND_ICONS = {
    "normative_act": "bi-bank",
    "methodological": "bi-journal-text",
    "textbook": "bi-book",
    "lesson_plan": "bi-clipboard-check",
    "presentation": "bi-easel",
    "video": "bi-play-btn",
    "link": "bi-link-45deg",
    "software_guide": "bi-laptop",
}


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "bi-file-earmark")


@register.filter
def contains(collection, value) -> bool:
    return value in collection
