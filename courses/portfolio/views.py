"""Portfolio pages: one's own, a teacher's (for staff and their head), a shared link, the directory,
and the small forms that write reflections, share links and the directory choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.portfolio import services
from courses.portfolio.access import (
    may_use_directory,
    own_reflection,
    shared_link,
    teacher_for_portfolio,
)
from courses.portfolio.directory import innovative_teachers
from courses.portfolio.forms import (
    DirectoryChoiceForm,
    DirectoryFilterForm,
    ReflectionForm,
    ShareForm,
)
from courses.portfolio.models import PortfolioProfile, ShareLink
from courses.portfolio.page import portfolio_build


def _page(request, portfolio, **extra):
    return render(
        request,
        "courses/portfolio/page.html",
        {"portfolio": portfolio, "chart": portfolio.trajectory_chart(), **extra},
    )


@login_required
def my_portfolio(request):
    user = request.user
    portfolio = portfolio_build(teacher=user, viewer=user)
    link = ShareLink.objects.active().filter(user=user).first()
    profile = PortfolioProfile.objects.filter(user=user).first()
    share_form = ShareForm(
        initial={
            "sections": link.sections if link else [k for k, _t in portfolio.section_choices()]
        },
        choices=portfolio.section_choices(),
    )
    directory_form = DirectoryChoiceForm(
        initial={"in_directory": profile.in_directory if profile else True}
    )
    return _page(
        request,
        portfolio,
        own=True,
        link=link,
        share_form=share_form,
        directory_form=directory_form,
    )


@login_required
def teacher_portfolio(request, user_id: int):
    teacher = teacher_for_portfolio(request.user, user_id)
    if teacher.pk == request.user.pk:
        return redirect("portfolio:mine")
    return _page(request, portfolio_build(teacher=teacher, viewer=request.user))


def shared_portfolio(request, token: str):
    link = shared_link(token)
    portfolio = portfolio_build(teacher=link.user, viewer=None, shown=link.sections)
    return _page(request, portfolio, shared=True)


@login_required
def reflection_edit(request, reflection_id: int | None = None):
    reflection = own_reflection(request.user, reflection_id) if reflection_id else None
    initial = {}
    if reflection is not None:
        initial = {"course": reflection.course, "round": reflection.round, "text": reflection.text}
    else:
        initial = {"course": request.GET.get("course"), "round": request.GET.get("round")}
    form = ReflectionForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.reflection_save(user=request.user, reflection=reflection, **form.cleaned_data)
        messages.success(request, _("Your reflection is saved."))
        return redirect(reverse("portfolio:mine") + "#reflections")
    return render(
        request,
        "courses/portfolio/reflection_form.html",
        {"form": form, "reflection": reflection},
    )


@login_required
@require_POST
def reflection_delete(request, reflection_id: int):
    services.reflection_delete(reflection=own_reflection(request.user, reflection_id))
    messages.success(request, _("The reflection is deleted."))
    return redirect(reverse("portfolio:mine") + "#reflections")


@login_required
@require_POST
def share(request):
    user = request.user
    link = ShareLink.objects.active().filter(user=user).first()
    if request.POST.get("action") == "revoke":
        if link is not None:
            services.share_link_revoke(link=link)
            messages.success(request, _("The link is revoked: it no longer opens your portfolio."))
        return redirect(reverse("portfolio:mine") + "#share")
    portfolio = portfolio_build(teacher=user, viewer=user)
    form = ShareForm(request.POST, choices=portfolio.section_choices())
    if not form.is_valid():
        for error in form.errors.get("sections", []):
            messages.error(request, error)
        return redirect(reverse("portfolio:mine") + "#share")
    sections = form.cleaned_data["sections"]
    if link is not None and request.POST.get("action") == "update":
        services.share_link_update(link=link, sections=sections)
        messages.success(request, _("The link now shows the sections you ticked."))
    else:
        services.share_link_create(user=user, sections=sections)
        messages.success(request, _("Your new link is ready. Any earlier link no longer works."))
    return redirect(reverse("portfolio:mine") + "#share")


@login_required
@require_POST
def directory_choice(request):
    form = DirectoryChoiceForm(request.POST)
    form.is_valid()  # a checkbox: always valid, absent means "no"
    services.directory_choice_set(
        user=request.user, in_directory=form.cleaned_data.get("in_directory", False)
    )
    messages.success(request, _("Your choice about the directory is saved."))
    return redirect(reverse("portfolio:mine") + "#share")


@login_required
def directory(request):
    if not may_use_directory(request.user):
        raise Http404
    form = DirectoryFilterForm(request.GET or None)
    area = district = None
    if form.is_valid():
        area, district = form.cleaned_data["area"], form.cleaned_data["district"]
    teachers = innovative_teachers(viewer=request.user, area=area, district=district or "")
    return render(
        request,
        "courses/portfolio/directory.html",
        {"form": form, "teachers": teachers, "area": area},
    )
