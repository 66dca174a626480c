"""What a methodist chooses before exporting a round's responses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from diagnostics.response_export.plan import Which


class ResponseExportForm(forms.Form):
    FORMATS = [("xlsx", _("Excel (XLSX), with a codebook sheet")), ("csv", _("CSV (UTF-8)"))]

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="xlsx")
    which = forms.ChoiceField(
        label=_("Responses"),
        choices=[
            (Which.FINISHED, _("Submitted (scored or waiting for scoring)")),
            (Which.SCORED, _("Scored only")),
            (Which.ALL, _("All, including unfinished drafts")),
        ],
        initial=Which.FINISHED,
    )
    include_names = forms.BooleanField(
        label=_("Include teachers' names and schools"),
        required=False,
        help_text=_(
            "Off: teachers and schools appear as codes only, the same in every round. Turn it on "
            "only if the file stays with people who may see each teacher's answers. Every export "
            "is recorded in the round's history."
        ),
    )
