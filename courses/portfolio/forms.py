from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from diagnostics.models import Area, Round


class ReflectionForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("After the course"), queryset=Course.objects.none(), required=False
    )
    round = forms.ModelChoiceField(
        label=_("After the round of diagnosis"), queryset=Round.objects.none(), required=False
    )
    text = forms.CharField(
        label=_("What changed in my teaching"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={"required": _("Write what changed: the reflection is empty.")},
        help_text=_("Only you, methodists and your school head read it, and a link you share."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the teacher took: their courses and the rounds they answered.
        self.fields["course"].queryset = Course.objects.filter(enrolments__user=user).distinct()
        self.fields["round"].queryset = Round.objects.filter(responses__teacher=user).distinct()


class ShareForm(forms.Form):
    sections = forms.MultipleChoiceField(
        label=_("What the link shows"),
        widget=forms.CheckboxSelectMultiple,
        required=True,
        error_messages={"required": _("Tick at least one section for the link to show.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = choices


class DirectoryChoiceForm(forms.Form):
    in_directory = forms.BooleanField(
        label=_("Show me in the directory of innovative teachers"), required=False
    )


class DirectoryFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.order_by("framework", "position"), required=False
    )
    district = forms.CharField(label=_("District"), required=False, max_length=150)
