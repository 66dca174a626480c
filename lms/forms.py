from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from lms.models import User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SetPasswordLinkForm(PasswordResetForm):
    """ "Forgot password" that also reaches an invited teacher who never set one.

    Django's form skips accounts without a usable password, so a teacher whose invitation was lost
    or expired got nothing, silently. Active accounts of the address get the link either way, and
    the page says the same whether or not the address exists.
    """

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "subject", "years_of_teaching", "preferred_language"]
        widgets = {"years_of_teaching": forms.NumberInput(attrs={"min": 0, "max": 70})}

    def clean_full_name(self):
        full_name = " ".join(self.cleaned_data["full_name"].split())
        if not full_name:
            raise forms.ValidationError(_("Please enter your full name."))
        return full_name

    def clean_years_of_teaching(self):
        years = self.cleaned_data["years_of_teaching"]
        if years is not None and years > 70:
            raise forms.ValidationError(_("Years of teaching must be between 0 and 70."))
        return years


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_(
            "UTF-8 text, separated by commas or semicolons, with the columns of the template "
            "(their names in any of Ustaz's languages)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.ROSTER_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": settings.ROSTER_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
