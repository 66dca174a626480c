"""Forms of the assignment pages: they validate and normalise, the services persist."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.assignments.models import Review
from courses.assignments.queries import WAITING_DAYS_CHOICES
from courses.assignments.uploads import work_file_check
from lms.params import MAX_BIGINT


class WorkForm(forms.Form):
    """The teacher's draft: text, link and one more file, as the assignment allows."""

    text = forms.CharField(
        label=_("Your work"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    link = forms.URLField(
        label=_("Link to your work"), required=False, max_length=500, assume_scheme="https"
    )
    file = forms.FileField(label=_("Add a file"), required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.file_kind = None
        if not assignment.accepts_text:
            del self.fields["text"]
        if not assignment.accepts_link:
            del self.fields["link"]
        if not assignment.accepts_files:
            del self.fields["file"]
        else:
            self.fields["file"].widget.attrs["accept"] = ",".join(
                f".{extension}" for extension in assignment.allowed_extensions
            )
            self.fields["file"].help_text = _(
                "Allowed: %(types)s, up to %(size)s MB each. Files are checked by their content."
            ) % {
                "types": ", ".join(e.upper() for e in assignment.allowed_extensions),
                "size": assignment.max_file_mb,
            }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            self.file_kind = work_file_check(upload, self.assignment)
        return upload


class RubricScoresForm(forms.Form):
    """Points for each rubric row and a comment: a methodist's review or a peer's feedback."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, rows, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        initial_scores = initial_scores or {}
        for row in rows:
            self.fields[f"row_{row.pk}"] = forms.IntegerField(
                label=row.text,
                min_value=0,
                max_value=row.max_points,
                initial=initial_scores.get(str(row.pk)),
                help_text=_("0 to %(max)s points") % {"max": row.max_points},
            )
        self.order_fields([*(f"row_{row.pk}" for row in rows), "comment"])

    def scores(self) -> dict[str, int]:
        return {str(row.pk): self.cleaned_data[f"row_{row.pk}"] for row in self.rows}


class ReviewForm(RubricScoresForm):
    decision = forms.ChoiceField(
        choices=Review.Decision.choices, widget=forms.HiddenInput, required=False
    )


class QueueFilterForm(forms.Form):
    # Ids: beyond bigint no row has them (SQLite cannot even compare them).
    course = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT)
    group = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT)
    school = forms.IntegerField(required=False, min_value=1, max_value=MAX_BIGINT)
    waiting = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "")] + [(str(days), str(days)) for days in WAITING_DAYS_CHOICES],
    )

    def values(self) -> dict:
        """The filters, with anything malformed dropped rather than failing the page."""
        if not self.is_valid():
            return {
                key: self.cleaned_data.get(key) for key in ("course", "group", "school", "waiting")
            }
        return dict(self.cleaned_data)
