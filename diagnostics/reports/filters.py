"""What narrows a report: the round(s), the subject taught, the years of teaching."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (code, label, lowest year, highest year or None for "and more").
EXPERIENCE_RANGES = [
    ("0-5", _("0–5 years"), 0, 5),
    ("6-10", _("6–10 years"), 6, 10),
    ("11-20", _("11–20 years"), 11, 20),
    ("21+", _("21 years and more"), 21, None),
]
ANY = ""


def teacher_filter(*, subject: str = "", experience: str = "", prefix: str = "") -> Q:
    """The teachers a filter keeps, as a Q on User (or on a relation to it, through `prefix`)."""
    condition = Q()
    if subject:
        condition &= Q(**{f"{prefix}subject": subject})
    for code, _label, lowest, highest in EXPERIENCE_RANGES:
        if code == experience:
            condition &= Q(**{f"{prefix}years_of_teaching__gte": lowest})
            if highest is not None:
                condition &= Q(**{f"{prefix}years_of_teaching__lte": highest})
    return condition


def round_label(round_) -> str:
    return f"{round_.title} ({round_.opens_at:%Y-%m-%d})"


class RoundField(forms.TypedChoiceField):
    """A round out of a list fetched once for the page (no query per validation)."""

    def __init__(self, *, rounds=(), **kwargs):
        super().__init__(coerce=int, required=False, empty_value=None, **kwargs)
        self.set_rounds(rounds)

    def set_rounds(self, rounds):
        self.rounds = {round_.pk: round_ for round_ in rounds}
        self.choices = [(round_.pk, round_label(round_)) for round_ in rounds]

    def clean(self, value):
        pk = super().clean(value)
        return self.rounds.get(pk) if pk is not None else None


class TeacherFilterForm(forms.Form):
    """Subject and years of teaching; both optional. Bound to request.GET."""

    subject = forms.ChoiceField(label=_("Subject"), required=False)
    experience = forms.ChoiceField(
        label=_("Years of teaching"),
        required=False,
        choices=[(ANY, pgettext_lazy("any value of a filter", "Any"))]
        + [(code, label) for code, label, _lowest, _highest in EXPERIENCE_RANGES],
    )

    def __init__(self, data=None, *, subjects=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["subject"].choices = [(ANY, pgettext_lazy("any value of a filter", "Any"))] + [
            (subject, subject) for subject in subjects
        ]

    @property
    def is_filtered(self) -> bool:
        return bool(self.cleaned_subject or self.cleaned_experience)

    @property
    def cleaned_subject(self) -> str:
        return self.cleaned_data.get("subject", "") if self.is_valid() else ""

    @property
    def cleaned_experience(self) -> str:
        return self.cleaned_data.get("experience", "") if self.is_valid() else ""

    def teacher_filter(self, prefix: str = "") -> Q:
        return teacher_filter(
            subject=self.cleaned_subject, experience=self.cleaned_experience, prefix=prefix
        )

    def description(self) -> str:
        """The filter in words, printed on the page and in the exports."""
        parts = []
        if self.cleaned_subject:
            parts.append(f"{self.fields['subject'].label}: {self.cleaned_subject}")
        if self.cleaned_experience:
            label = dict(self.fields["experience"].choices)[self.cleaned_experience]
            parts.append(f"{self.fields['experience'].label}: {label}")
        return "; ".join(str(part) for part in parts)


class SchoolReportForm(TeacherFilterForm):
    round = RoundField(label=_("Round"))

    def __init__(self, data=None, *, rounds, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["round"].set_rounds(rounds)
        self.order_fields(["round", "subject", "experience"])


class GrowthForm(TeacherFilterForm):
    earlier = RoundField(label=_("Earlier round"))
    later = RoundField(label=_("Later round"))

    def __init__(self, data=None, *, rounds, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["earlier"].set_rounds(rounds)
        self.fields["later"].set_rounds(rounds)
        self.order_fields(["earlier", "later", "subject", "experience"])

    def clean(self):
        cleaned = super().clean()
        earlier, later = cleaned.get("earlier"), cleaned.get("later")
        if earlier and later:
            if earlier.pk == later.pk:
                raise forms.ValidationError(_("Choose two different rounds to compare."))
            if not earlier.instrument.is_version_of(later.instrument):
                raise forms.ValidationError(
                    _(
                        "These rounds use different instruments (“%(earlier)s” and "
                        "“%(later)s”), so their scores do not compare: a change would come from "
                        "the questions, not from the teachers. Choose two rounds of one "
                        "instrument or of its versions."
                    )
                    % {"earlier": earlier.instrument.title, "later": later.instrument.title}
                )
            if earlier.opens_at > later.opens_at:
                raise forms.ValidationError(
                    _("The earlier round must open before the later one. Swap the two rounds.")
                )
        return cleaned
