from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from forums.models import Forum, RoundTable

MAX_BODY = 20_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            'Markdown: **bold**, *italic*, > quote, - list. Mention a colleague as @"Full Name". '
            "Links to e-library resources show as cards."
        ),
    )
    language = forms.ChoiceField(label=_("Language of the post"), choices=settings.LANGUAGES)
    files = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Documents, presentations, PDF, pictures; checked by their content."),
    )

    def __init__(self, *args, allow_files=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_files:
            del self.fields["files"]

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something first."))
        return body

    def clean_files(self):
        from forums.services import attachment_check

        files = self.cleaned_data.get("files") or []
        if len(files) > 5:
            raise forms.ValidationError(_("At most five files per post."))
        for upload in files:
            attachment_check(upload)
        return files


class TopicForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "body", "language", "files"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=500)


class MoveForm(forms.Form):
    forum = forms.ModelChoiceField(label=_("Move to"), queryset=Forum.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class RoundTableForm(forms.ModelForm):
    class Meta:
        model = RoundTable
        fields = [
            "title",
            "forum",
            "starts_at",
            "duration_minutes",
            "agenda",
            "capacity",
            "meeting_url",
        ]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums


class OutcomesForm(forms.Form):
    text = forms.CharField(
        label=_("Minutes and outcomes"), max_length=MAX_BODY, widget=forms.Textarea
    )
