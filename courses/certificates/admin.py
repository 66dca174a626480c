"""Methodists look certificates up and revoke them, always with a reason."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from courses.certificates.models import Certificate
from courses.certificates.services import certificate_restore, certificate_revoke


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Kept with the certificate; the public page only says it was revoked."),
    )


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "holder_name", "course_title", "issued_on", "revoked_at")
    list_filter = ("revoked_at", "course", "language")
    search_fields = ("code", "holder_name", "user__email", "course_title")
    raw_id_fields = ("user", "course", "revoked_by")
    readonly_fields = [
        "user",
        "course",
        "code",
        "language",
        "holder_name",
        "course_title",
        "hours",
        "areas",
        "issued_on",
        "created_at",
        "revoked_at",
        "revoked_reason",
        "revoked_by",
    ]
    actions = ["revoke", "restore"]

    # Issued by completion only; what a certificate says is never edited by hand.
    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected certificates (with a reason)"))
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            revoked = 0
            for certificate in queryset.filter(revoked_at__isnull=True):
                certificate_revoke(
                    certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
                )
                revoked += 1
            self.message_user(
                request,
                ngettext("%d certificate revoked.", "%d certificates revoked.", revoked) % revoked,
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/courses/certificate/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke certificates"),
                "form": form,
                "certificates": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Make the selected revoked certificates valid again"))
    def restore(self, request, queryset):
        restored = 0
        for certificate in queryset.filter(revoked_at__isnull=False):
            certificate_restore(certificate=certificate)
            restored += 1
        self.message_user(
            request,
            ngettext("%d certificate is valid again.", "%d certificates are valid again.", restored)
            % restored,
            messages.SUCCESS,
        )
