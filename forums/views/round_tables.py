from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import access
from forums.forms import OutcomesForm, RoundTableForm
from forums.models import Registration, RoundTable
from forums.round_tables import bbb
from forums.round_tables.ics import round_table_ics
from forums.round_tables.services import (
    attendance_record,
    outcomes_publish,
    registration_cancel,
    registration_join,
    round_table_schedule,
)


def _hosts(user, round_table) -> bool:
    """Speakers, the round table's moderators and the forum's moderators run it."""
    if access.may_moderate(user, round_table.forum):
        return True
    return round_table.moderators.filter(pk=user.pk).exists()


@login_required
def round_table_list(request):
    visible = RoundTable.objects.filter(
        forum__in=access.forums_visible_to(request.user)
    ).select_related("forum")
    now = timezone.now()
    return render(
        request,
        "forums/round_tables.html",
        {
            "upcoming": visible.upcoming(now)[:50],
            "past": visible.past(now).order_by("-starts_at")[:20],
            "may_schedule": access.may_manage_round_tables(request.user),
        },
    )


@login_required
def round_table_new(request):
    if not access.may_manage_round_tables(request.user):
        raise PermissionDenied
    form = RoundTableForm(request.POST or None, forums=access.forums_moderated_by(request.user))
    if request.method == "POST" and form.is_valid():
        round_table = round_table_schedule(round_table=form.save(commit=False), author=request.user)
        messages.success(request, _("The round table is scheduled."))
        return redirect(round_table)
    return render(request, "forums/round_table_new.html", {"form": form})


@login_required
def round_table_detail(request, round_table_id):
    round_table = access.round_table_for(request.user, round_table_id)
    mine = Registration.objects.filter(round_table=round_table, user=request.user).first()
    counts = {
        status: Registration.objects.filter(round_table=round_table, status=status).count()
        for status in (Registration.Status.REGISTERED, Registration.Status.WAITING)
    }
    hosts = _hosts(request.user, round_table)
    return render(
        request,
        "forums/round_table.html",
        {
            "round_table": round_table,
            "mine": mine,
            "registered": counts[Registration.Status.REGISTERED],
            "waiting": counts[Registration.Status.WAITING],
            "hosts": hosts,
            "registrations": (
                round_table.registrations.exclude(
                    status=Registration.Status.CANCELLED
                ).select_related("user")
                if hosts
                else None
            ),
            "speakers": round_table.speakers.all(),
            "is_past": round_table.is_past(),
            "outcomes_form": OutcomesForm(initial={"text": round_table.outcomes}),
        },
    )


@login_required
@require_POST
def round_table_register(request, round_table_id):
    round_table = access.round_table_for(request.user, round_table_id)
    if request.POST.get("cancel"):
        registration_cancel(round_table=round_table, user=request.user)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(round_table)
    try:
        registration = registration_join(round_table=round_table, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if registration.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.info(request, _("All places are taken: you are on the waiting list."))
    return redirect(round_table)


@login_required
def round_table_calendar(request, round_table_id):
    round_table = access.round_table_for(request.user, round_table_id)
    data = round_table_ics(
        round_table, url=request.build_absolute_uri(round_table.get_absolute_url())
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-table-{round_table.pk}.ics"'
    return response


@login_required
def round_table_join(request, round_table_id):
    """To the meeting: BigBlueButton join links when configured, else the video link."""
    round_table = access.round_table_for(request.user, round_table_id)
    hosts = _hosts(request.user, round_table)
    registered = Registration.objects.filter(
        round_table=round_table, user=request.user, status=Registration.Status.REGISTERED
    ).exists()
    if not (hosts or registered):
        messages.error(request, _("Register first to get the meeting link."))
        return redirect(round_table)
    if bbb.configured():
        try:
            bbb.meeting_create(round_table)
        except bbb.BigBlueButtonError:
            messages.error(request, _("The video server does not answer. Try again in a minute."))
            return redirect(round_table)
        return redirect(bbb.join_url(round_table, user=request.user, moderator=hosts))
    if not round_table.meeting_url:
        raise Http404
    return redirect(round_table.meeting_url)


@login_required
@require_POST
def round_table_attendance(request, round_table_id):
    round_table = access.round_table_for(request.user, round_table_id)
    if not _hosts(request.user, round_table):
        raise Http404
    ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
    attendance_record(round_table=round_table, attended_user_ids=ids)
    messages.success(request, _("Attendance is saved."))
    return redirect(round_table)


@login_required
@require_POST
def round_table_outcomes(request, round_table_id):
    round_table = access.round_table_for(request.user, round_table_id)
    if not _hosts(request.user, round_table):
        raise Http404
    form = OutcomesForm(request.POST)
    if form.is_valid():
        try:
            outcomes_publish(
                round_table=round_table, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The minutes are posted in the round table's thread."))
    return redirect(round_table)
