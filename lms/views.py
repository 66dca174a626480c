from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.formats import get_format
from django.utils.translation import check_for_language, get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from lms.backends import sign_in_unlock
from lms.dashboard import dashboard_for
from lms.forms import ProfileForm, RosterUploadForm
from lms.health import service_states
from lms.models import School, User
from lms.params import without_nul
from lms.permissions import get_school_for_user, role_required
from lms.roles import Role
from lms.roster import RosterFileError, column_labels
from lms.services import roster_import
from lms.teachers import (
    Resend,
    get_teacher_for_user,
    is_awaiting_first_sign_in,
    teacher_invitation_resend,
    teacher_set_active,
)

TEACHERS_PER_PAGE = 50
SCHOOLS_PER_PAGE = 50


@login_required
def dashboard(request):
    template_name, context = dashboard_for(request)
    return render(request, template_name, context)


def _set_language_cookie(response, language: str) -> None:
    """The language cookie with the attributes Django's own language switch gives it (Secure,
    SameSite and HttpOnly as settings say), so no page sets a weaker one."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("profile")
        if user.preferred_language:
            # Show the newly chosen language at once, over any earlier choice in this browser.
            _set_language_cookie(response, user.preferred_language)
        return response
    return render(request, "lms/profile.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's "choose a new password" page behind the e-mailed link; the new password also
    lifts the account's sign-in lock at every address (the locked-out page links here)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        sign_in_unlock(form.user)
        return response


@require_POST
def switch_language(request):
    """Django's set_language, remembering the choice on a signed-in user's profile too."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return set_language(request)


@role_required()
def school_list(request):
    schools = School.objects.annotate(
        teachers=Count("staff", filter=Q(staff__role=Role.TEACHER))
    ).order_by("region", "district", "name")
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "lms/school_list.html", {"page": page})


@role_required(Role.SCHOOL_HEAD)
def school_teachers(request, school_id):
    school = get_school_for_user(request.user, school_id)
    teachers = User.objects.teachers().of_school(school).order_by("full_name", "pk")
    query = without_nul(request.GET.get("q", "")).strip()[:200]
    if query:
        teachers = teachers.filter(
            Q(full_name__icontains=query) | Q(email__icontains=query) | Q(subject__icontains=query)
        )
    page = Paginator(teachers, TEACHERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "lms/school_teachers.html", {"school": school, "page": page, "query": query}
    )


@require_POST
@role_required(Role.SCHOOL_HEAD)
def teacher_invite_again(request, school_id, teacher_id):
    teacher = get_teacher_for_user(request.user, school_id, teacher_id)
    if not is_awaiting_first_sign_in(teacher):
        messages.info(request, _("%(name)s has already signed in.") % {"name": teacher.full_name})
        return redirect("school-teachers", school_id=teacher.school_id)
    resent = teacher_invitation_resend(
        teacher=teacher,
        base_url=request.build_absolute_uri("/"),
        language=get_language() or settings.LANGUAGE_CODE,
    )
    if resent is Resend.SENT:
        messages.success(
            request, _("The invitation was sent to %(email)s again.") % {"email": teacher.email}
        )
    elif resent is Resend.WAITING:
        messages.warning(
            request,
            _(
                "The background service is unreachable: the invitation to %(email)s will be "
                "sent as soon as it is back, within minutes."
            )
            % {"email": teacher.email},
        )
    else:
        messages.warning(
            request,
            _("An invitation went to %(email)s minutes ago; try again in a quarter of an hour.")
            % {"email": teacher.email},
        )
    return redirect("school-teachers", school_id=teacher.school_id)


@role_required(Role.SCHOOL_HEAD)
def teacher_deactivate(request, school_id, teacher_id):
    """A confirmation page, then the POST that deactivates."""
    teacher = get_teacher_for_user(request.user, school_id, teacher_id)
    if request.method == "POST":
        teacher_set_active(teacher=teacher, active=False)
        messages.success(
            request,
            _("%(name)s can no longer sign in; their results stay in the reports.")
            % {"name": teacher.full_name},
        )
        return redirect("school-teachers", school_id=teacher.school_id)
    return render(request, "lms/teacher_deactivate.html", {"teacher": teacher})


@require_POST
@role_required(Role.SCHOOL_HEAD)
def teacher_reactivate(request, school_id, teacher_id):
    teacher = get_teacher_for_user(request.user, school_id, teacher_id)
    teacher_set_active(teacher=teacher, active=True)
    messages.success(request, _("%(name)s can sign in again.") % {"name": teacher.full_name})
    return redirect("school-teachers", school_id=teacher.school_id)


@role_required(Role.SCHOOL_HEAD)
def roster_upload(request, school_id):
    school = get_school_for_user(request.user, school_id)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = roster_import(
                school=school,
                data=form.cleaned_data["file"].read(),
                base_url=request.build_absolute_uri("/"),
            )
        except RosterFileError as error:
            form.add_error("file", str(error))
        else:
            if result.ok:
                # One message whether or not an address already had an account, here or at
                # another school: the import does not tell a head who is registered elsewhere.
                count = result.rows
                messages.success(
                    request,
                    ngettext(
                        "%(count)d teacher was read; each who has not set a password yet gets "
                        "an e-mail to set one.",
                        "%(count)d teachers were read; each who has not set a password yet gets "
                        "an e-mail to set one.",
                        count,
                    )
                    % {"count": count},
                )
                if result.already_here:
                    # Only this school's teachers, whom the head's list shows anyway.
                    messages.info(
                        request,
                        ngettext(
                            "%(count)d of them is already a teacher of this school.",
                            "%(count)d of them are already teachers of this school.",
                            result.already_here,
                        )
                        % {"count": result.already_here},
                    )
                if result.letters_waiting:
                    messages.warning(
                        request,
                        _(
                            "The background service is unreachable: the e-mails will be sent "
                            "as soon as it is back, within minutes."
                        ),
                    )
                return redirect("school-teachers", school_id=school.pk)
            errors = result.errors
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "lms/roster_import.html",
        {"school": school, "form": form, "errors": errors, "columns": column_labels()},
        status=status,
    )


@require_GET
@role_required(Role.SCHOOL_HEAD)
def roster_template(request):
    """The header row in the head's language, separated as their spreadsheet program expects:
    by semicolons where the decimal separator is a comma (Kazakh, Russian, Kyrgyz Excel)."""
    delimiter = ";" if get_format("DECIMAL_SEPARATOR") == "," else ","
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    response.write("\ufeff" + delimiter.join(column_labels()) + "\r\n")
    return response


@never_cache
@require_GET
def healthz(request):
    states = service_states()
    healthy = all(not state.startswith("error") for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **states}, status=200 if healthy else 503
    )
