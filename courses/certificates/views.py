"""A teacher's certificates, their PDFs, and the public verification page (no sign-in)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.certificates.codes import normalise
from courses.certificates.models import Certificate
from courses.certificates.pdf import certificate_pdf


def certificate_for_user(user, certificate_id: int) -> Certificate:
    """The holder's own valid certificate, or any for methodists and administrators; else 404."""
    if user.is_staff:
        return get_object_or_404(Certificate, pk=certificate_id)
    return get_object_or_404(Certificate.objects.valid().of(user), pk=certificate_id)


@login_required
def my_certificates(request):
    certificates = Certificate.objects.of(request.user).order_by("-issued_on", "-pk")
    return render(request, "courses/certificates/mine.html", {"certificates": certificates})


@login_required
def certificate_download(request, certificate_id: int):
    certificate = certificate_for_user(request.user, certificate_id)
    verify_url = request.build_absolute_uri(
        reverse("certificates:verify-code", args=[certificate.code])
    )
    response = HttpResponse(
        certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_GET
def verify(request):
    """The form: a typed code goes to its page; a code that cannot be one is said so."""
    typed = request.GET.get("code", "").strip()
    error = ""
    if typed:
        code = normalise(typed)
        if code:
            return redirect("certificates:verify-code", code=code)
        error = _("A verification code has 12 letters and digits, like 7K3M-Q9RT-2XWD.")
    return render(request, "courses/certificates/verify.html", {"typed": typed, "error": error})


@require_GET
def verify_code(request, code: str):
    """Confirms or denies a code. Shows what the certificate holds, and nothing else."""
    normalised = normalise(code)
    if normalised is None:
        raise Http404
    if normalised != code:
        return redirect("certificates:verify-code", code=normalised)
    certificate = Certificate.objects.filter(code=normalised).first()
    status = 200 if certificate else 404
    return render(
        request,
        "courses/certificates/verify.html",
        {"typed": code, "certificate": certificate, "checked": True},
        status=status,
    )
