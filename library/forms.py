from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from library.models import Resource
from library.search import SORTS, Filters
from library.uploads import ACCEPTED_EXTENSIONS, detect_cover, detect_document
from lms.params import ints


def _ints(values) -> list[int]:
    # Ids travel as integer[] on PostgreSQL: a larger value is no id.
    return sorted(ints(values, maximum=2**31 - 1))


def filters_from_query(params) -> Filters:
    """Filters from a search URL; values that cannot be right are dropped, never an error page."""
    kinds = set(Resource.Kind.values)
    languages = set(Resource.Language.values)
    return Filters(
        kind=[k for k in dict.fromkeys(params.getlist("kind")) if k in kinds],
        language=[code for code in dict.fromkeys(params.getlist("language")) if code in languages],
        area=_ints(params.getlist("area")),
        level=_ints(params.getlist("level")),
        year=[y for y in _ints(params.getlist("year")) if 1900 <= y <= 2100],
        subject=_ints(params.getlist("subject")),
    )


def sort_from_query(params) -> str:
    sort = params.get("sort", "")
    return sort if sort in SORTS else ""


class ResourceAdminForm(forms.ModelForm):
    """The methodist's form: a file is accepted by what it contains, and said why if not."""

    external_url = forms.URLField(
        label=_("external address"), required=False, max_length=500, assume_scheme="https"
    )
    # A plain file field: detect_cover checks the picture and says what is wrong in our words.
    cover = forms.FileField(
        label=_("cover"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )

    class Meta:
        model = Resource
        fields = [
            "kind", "title", "authors", "description", "language", "year", "licence",
            "published", "published_at", "file", "external_url", "cover", "areas", "levels",
            "subjects", "tags", "issuer", "act_number", "adopted_on", "in_force_on",
            "repealed_on", "replaced_by",
        ]  # fmt: skip
        widgets = {
            "file": forms.ClearableFileInput(
                attrs={"accept": ",".join(f".{ext}" for ext in ACCEPTED_EXTENSIONS)}
            ),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload is not self.initial.get("file") and hasattr(upload, "content_type"):
            kind = detect_document(upload)
            # The stored name keeps only the extension of what the file really is.
            upload.name = f"upload.{kind.extension}"
            self.detected_file_type = kind.extension
        return upload

    def clean_cover(self):
        upload = self.cleaned_data.get("cover")
        if upload and upload is not self.initial.get("cover") and hasattr(upload, "content_type"):
            extension = detect_cover(upload)
            upload.name = f"cover.{extension}"
            self.detected_cover_type = extension
        return upload

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        has_file = bool(cleaned.get("file"))
        if not has_file and not cleaned.get("external_url"):
            raise ValidationError(
                _("Attach a file or give an external address: a resource needs one of them.")
            )
        if cleaned.get("published") and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        replaced_by = cleaned.get("replaced_by")
        if replaced_by is not None and self.instance.pk and replaced_by.pk == self.instance.pk:
            self.add_error("replaced_by", _("An act cannot replace itself."))
        if kind != Resource.Kind.NORMATIVE_ACT:
            for name in ("repealed_on", "replaced_by"):
                if cleaned.get(name):
                    self.add_error(name, _("Only a normative act can be repealed or replaced."))
        adopted, in_force = cleaned.get("adopted_on"), cleaned.get("in_force_on")
        repealed = cleaned.get("repealed_on")
        if adopted and in_force and in_force < adopted:
            self.add_error("in_force_on", _("An act comes into force on or after its adoption."))
        if repealed and (in_force or adopted) and repealed < (in_force or adopted):
            self.add_error("repealed_on", _("An act is repealed after it is adopted."))
        return cleaned
