"""Post admin change forms as a browser would: the page's own values, inline management data
included, with a test's changes on top."""

from django.urls import reverse

from tests.lms.factories import MethodistFactory


def english_methodist(**fields):
    # Admin pages and messages in English, whatever the default interface language is.
    return MethodistFactory(preferred_language="en", **fields)


def change_url(obj) -> str:
    return reverse(f"admin:diagnostics_{obj._meta.model_name}_change", args=[obj.pk])


def _field_values(form, prefix_fields=True) -> dict:
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name) if prefix_fields else name
        value = form[name].value()
        if field.widget.__class__.__name__ == "CheckboxInput" or isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
            continue
        data[key] = "" if value is None else str(value)
    return data


def change_form_data(client, url: str) -> dict:
    """Every value of the change page at `url`, as its form would post them."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = _field_values(response.context["adminform"].form, prefix_fields=False)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for form in formset.forms:
            data.update(_field_values(form))
    return data


def add_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Append new rows to the inline formset `prefix` (e.g. "bands", "questions")."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{total + offset}-{name}"] = "" if value is None else str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def inline_errors(response) -> list[str]:
    """The messages shown above the inlines (their non-form errors) and in their rows."""
    errors = []
    for inline in response.context["inline_admin_formsets"]:
        errors += [str(error) for error in inline.formset.non_form_errors()]
        for form_errors in inline.formset.errors:
            for messages in form_errors.values():
                errors += [str(message) for message in messages]
    return errors
