import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _


class AnyLanguageMixin:
    """modeltranslation asks for the default language's text; a course written in Kazakh only
    is fine, so no translated field is required by itself."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and hasattr(db_field, "translated_field"):
            field.required = False
        return field


def ordered_ids(request) -> list[int] | None:
    """The ids the drag-and-drop script posts, in their new order (None if malformed)."""
    try:
        ids = json.loads(request.body or b"{}").get("ids")
        return [int(pk) for pk in ids]
    except (ValueError, TypeError, AttributeError):
        return None


def reorder_response(request, *, model, parent_field, parent_id):
    from courses.services import items_reorder

    ids = ordered_ids(request)
    if ids is None:
        return HttpResponseBadRequest(_("The new order could not be read."))
    changed = items_reorder(
        model=model, parent_field=parent_field, parent_id=parent_id, ordered_ids=ids
    )
    return JsonResponse({"changed": changed})


def reorder_context(admin_name: str, object_id) -> dict:
    if not object_id:
        return {}
    return {"reorder_url": reverse(f"admin:{admin_name}_reorder", args=[object_id])}
