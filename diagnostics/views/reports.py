"""Readiness reports: a school's round, growth between rounds, region -> district -> school.

Heads read their own school only (another school's id is 404); methodists and administrators
read every school and the region pages; teachers are refused; strangers are sent to sign in.
Every report has a screen page, a print page (no navigation) and CSV / XLSX downloads built
from the same report object, so the numbers cannot differ.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify

from diagnostics.access import school_for_report
from diagnostics.panels import school_report_panels
from diagnostics.reports import exports, queries
from diagnostics.reports.area import area_report
from diagnostics.reports.filters import GrowthForm, SchoolReportForm
from diagnostics.reports.growth import default_pair, growth_report
from diagnostics.reports.privacy import MIN_SUBGROUP, hidden_explanation, withheld_explanation
from diagnostics.reports.school import school_report
from lms.models import User
from lms.params import without_nul
from lms.permissions import role_required
from lms.roles import Role

SCREEN = "base.html"
PRINT = "diagnostics/reports/print_base.html"
EXPORTERS = {"csv": exports.csv_response, "xlsx": exports.xlsx_response}


def _exporter(fmt: str):
    if fmt not in EXPORTERS:
        raise Http404
    return EXPORTERS[fmt]


def _common(request, printable: bool, screen_url: str) -> dict:
    return {
        "layout": PRINT if printable else SCREEN,
        "printable": printable,
        "screen_url": screen_url,
        "query": request.GET.urlencode(),
        "min_subgroup": MIN_SUBGROUP,
        "hidden_explanation": f"{hidden_explanation()} {withheld_explanation()}",
        "reads_every_school": request.user.reads_every_school,
    }


# --- one school, one round -------------------------------------------------------------------


def _build_school_report(request, school):
    rounds = queries.rounds_of_school(school)
    subjects = queries.subjects_of(User.objects.teachers().filter(school=school))
    form = SchoolReportForm(request.GET or None, rounds=rounds, subjects=subjects)
    chosen = form.cleaned_data.get("round") if form.is_valid() else None
    round_ = chosen or queries.latest_scored(rounds)
    if round_ is not None and not form.is_bound:
        form.initial["round"] = round_.pk
    return school_report(school=school, round_=round_, form=form, reader=request.user), form, rounds


@role_required(Role.SCHOOL_HEAD, Role.METHODIST)
def school_report_page(request, school_id, printable=False):
    school = school_for_report(request.user, school_id)
    report, form, rounds = _build_school_report(request, school)
    context = _common(request, printable, reverse("diagnostics:school-report", args=[school.pk]))
    context.update({"report": report, "form": form, "rounds": rounds, "school": school})
    # Other apps' evidence beside the school's levels (courses completed per area).
    context["panels"] = school_report_panels(request, school, round_=report.round)
    return render(request, "diagnostics/reports/school.html", context)


@role_required(Role.SCHOOL_HEAD, Role.METHODIST)
def school_report_export(request, school_id, fmt):
    school = school_for_report(request.user, school_id)
    export = _exporter(fmt)
    report, _form, _rounds = _build_school_report(request, school)
    round_part = f"-{report.round.pk}" if report.round else ""
    return export(report.tables(), f"readiness-{_ascii(school.code)}{round_part}")


# --- one school, growth between two rounds ---------------------------------------------------


def _build_growth(request, school):
    rounds = queries.rounds_of_school(school)
    subjects = queries.subjects_of(User.objects.teachers().filter(school=school))
    form = GrowthForm(request.GET or None, rounds=rounds, subjects=subjects)
    earlier, later = default_pair(rounds)
    if form.is_valid() and form.cleaned_data.get("earlier") and form.cleaned_data.get("later"):
        earlier, later = form.cleaned_data["earlier"], form.cleaned_data["later"]
    if not form.is_bound and earlier and later:
        form.initial.update({"earlier": earlier.pk, "later": later.pk})
    report = growth_report(school=school, earlier=earlier, later=later, form=form)
    return report, form


@role_required(Role.SCHOOL_HEAD, Role.METHODIST)
def school_growth_page(request, school_id, printable=False):
    school = school_for_report(request.user, school_id)
    report, form = _build_growth(request, school)
    context = _common(request, printable, reverse("diagnostics:school-growth", args=[school.pk]))
    context.update({"report": report, "form": form, "school": school})
    return render(request, "diagnostics/reports/growth.html", context)


@role_required(Role.SCHOOL_HEAD, Role.METHODIST)
def school_growth_export(request, school_id, fmt):
    school = school_for_report(request.user, school_id)
    export = _exporter(fmt)
    report, _form = _build_growth(request, school)
    return export(report.tables(), f"growth-{_ascii(school.code)}")


# --- region -> district -> school (methodists and administrators) ----------------------------


def _build_area_report(request):
    rounds = queries.all_rounds()
    subjects = queries.subjects_of(User.objects.teachers())
    form = SchoolReportForm(request.GET or None, rounds=rounds, subjects=subjects)
    chosen = form.cleaned_data.get("round") if form.is_valid() else None
    round_ = chosen or queries.latest_scored(rounds)
    if round_ is not None and not form.is_bound:
        form.initial["round"] = round_.pk
    region = without_nul(request.GET.get("region", "")).strip()
    district = without_nul(request.GET.get("district", "")).strip()
    report = area_report(round_=round_, region=region, district=district, form=form)
    return report, form


@role_required(Role.METHODIST)
def region_report_page(request, printable=False):
    report, form = _build_area_report(request)
    context = _common(request, printable, reverse("diagnostics:region-report"))
    scope_fields = [("region", report.region)] if report.region else []
    if report.district:
        scope_fields.append(("district", report.district))
    context.update({"report": report, "form": form, "scope_fields": scope_fields})
    return render(request, "diagnostics/reports/area.html", context)


@role_required(Role.METHODIST)
def region_report_export(request, fmt):
    export = _exporter(fmt)
    report, _form = _build_area_report(request)
    return export(report.tables(), f"readiness-{_ascii(report.scope_name) or 'all'}")


def _ascii(text: str) -> str:
    return slugify(text)[:60]
