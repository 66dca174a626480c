"""Names for admin inputs that Django renders without one, so a screen reader can say what each
input is (axe-core's "label" rule; tests/e2e/test_accessibility.py).

A tabular inline labels its columns once, in the table's head: the inputs of its rows have no
<label>, and a screen reader announced an instrument's 51 questions as 255 unnamed boxes. A date
and time (the admin's split widget) is two inputs under one legend, neither with a label.
"""

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils.text import capfirst
from django.utils.translation import gettext


def _name_split_inputs(widget: forms.MultiWidget, label: str) -> None:
    """A date and time: "<field>: date", "<field>: time"; any other pair by its position."""
    if len(widget.widgets) == 2 and isinstance(widget.widgets[0], forms.DateInput):
        names = [
            gettext("%(field)s: date") % {"field": label},
            gettext("%(field)s: time") % {"field": label},
        ]
    else:
        names = [
            gettext("%(field)s, part %(number)s") % {"field": label, "number": number}
            for number in range(1, len(widget.widgets) + 1)
        ]
    for part, name in zip(widget.widgets, names, strict=True):
        part.attrs.setdefault("aria-label", name)


class LabelledInputsMixin:
    """For a ModelAdmin or an inline: split date and time inputs are named by their field and
    part. `label_each_input` (true for tabular inlines) names every other input by its field's
    label too, as the column heading above it would be read by a sighted author."""

    label_each_input = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        widget = field.widget
        # Wrappers (the admin's add/change links around a select, modeltranslation's "clear"
        # box) keep the input itself as .widget; the links have titles of their own.
        while isinstance(getattr(widget, "widget", None), forms.Widget):
            widget = widget.widget
        label = capfirst(str(field.label or db_field.verbose_name))
        if isinstance(widget, forms.MultiWidget):
            _name_split_inputs(widget, label)
        elif self.label_each_input and not widget.is_hidden:
            if hasattr(db_field, "translated_field"):
                # modeltranslation copies the widget of the untranslated field, with its name
                # ("Text"); each language's box is named as its column is ("Text [kk]").
                widget.attrs["aria-label"] = label
            else:
                widget.attrs.setdefault("aria-label", label)
        return field


class LabelledTabularMixin(LabelledInputsMixin):
    """For a TabularInline: every input of every row is named, the delete box included."""

    label_each_input = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        delete_name = gettext("Delete")

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                if DELETION_FIELD_NAME in form.fields:
                    form.fields[DELETION_FIELD_NAME].widget.attrs["aria-label"] = delete_name

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
