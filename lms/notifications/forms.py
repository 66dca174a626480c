from django import forms

from lms.notifications.registry import Delivery, all_kinds


class PreferencesForm(forms.Form):
    """One choice of delivery per registered kind."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                initial=current.get(kind.key, kind.default_delivery),
                widget=forms.RadioSelect,
                # A kind left out of the form keeps what the person had.
                required=False,
            )
