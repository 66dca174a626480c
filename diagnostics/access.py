"""Every "may this user see this" of the diagnostics app, in one place.

Each helper fetches what a view shows through one door that applies the permission and raises
404, so ids of things a user may not see are not confirmed to exist. Who reads what
(docs/roles.md): methodists and administrators every school (`user.reads_every_school`); a school
head their own school's aggregates, never a teacher's individual result page; a teacher their own
responses and their own study group.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from diagnostics.models import Instrument, Response, Round, StudyGroup
from lms.models import School

# --- taking and results ------------------------------------------------------------------------


def response_for_teacher(user, response_id) -> Response:
    """A teacher's own response (to answer it); anyone else's is 404."""
    return get_object_or_404(
        Response.objects.select_related("round", "instrument"), pk=response_id, teacher=user
    )


def response_for_reader(user, response_id) -> Response:
    """A result: the teacher's own, or any for methodists and administrators.

    School heads read aggregates in reports, never a teacher's individual result page.
    """
    responses = Response.objects.select_related("round", "instrument", "level", "teacher")
    if not user.reads_every_school:
        responses = responses.filter(teacher=user)
    return get_object_or_404(responses, pk=response_id)


def open_round_for_teacher(user, round_id) -> Round:
    """A round open now that the teacher's school takes part in."""
    rounds = Round.objects.open_now().for_teacher(user).select_related("instrument")
    return get_object_or_404(rounds, pk=round_id)


def instrument_for_preview(user, instrument_id) -> Instrument:
    """Any instrument: only methodists and administrators preview, and they see every one (the
    view's role check is the permission)."""
    return get_object_or_404(Instrument, pk=instrument_id)


# --- study groups ------------------------------------------------------------------------------


def group_for_user(user, group_id) -> StudyGroup:
    """The group if the user may see it (StudyGroup.objects.visible_to); 404 otherwise."""
    groups = StudyGroup.objects.visible_to(user).select_related(
        "round__instrument", "level", "weakest_area", "school", "run"
    )
    return get_object_or_404(groups, pk=group_id)


def round_for_groups(user, round_id) -> Round:
    """A round whose groups the user may list: any for those who read every school; a head or a
    teacher only learns about rounds their school takes part in."""
    rounds = Round.objects.select_related("instrument")
    if not user.reads_every_school:
        rounds = rounds.for_school(user.school)
    return get_object_or_404(rounds, pk=round_id)


def sees_individual_scores(user) -> bool:
    """Individual scores on a group page are for methodists and administrators: a head reads
    aggregates, colleagues see each other's names."""
    return user.reads_every_school


# --- item statistics ---------------------------------------------------------------------------


def round_for_statistics(user, round_id) -> Round:
    """Any round, with its stored report: only methodists and administrators read item
    statistics, and they read every round (the view's role check is the permission)."""
    # The report rides along (reverse one-to-one) to save a query.
    return get_object_or_404(
        Round.objects.select_related("instrument", "item_statistics"), pk=round_id
    )


# --- exported responses ------------------------------------------------------------------------

EXPORT_RESPONSES = "diagnostics.export_responses"


def exports_responses(user) -> bool:
    """A round's responses, each teacher's answers, leave Ustaz in a file: for methodists and
    administrators who hold the permission (a deployment may take it from the methodists'
    role)."""
    return user.reads_every_school and user.has_perm(EXPORT_RESPONSES)


def round_for_export(user, round_id) -> Round:
    """Any round, for those who may export responses; anyone else is refused (403) whatever
    the id, so the refusal says nothing about which rounds exist."""
    if not exports_responses(user):
        raise PermissionDenied
    return get_object_or_404(Round.objects.select_related("instrument"), pk=round_id)


# --- reports -----------------------------------------------------------------------------------


def school_for_report(user, school_id) -> School:
    """The school whose report `user` asked for; another school's id is 404 for a head, so
    that its existence is not confirmed."""
    schools = School.objects.all() if user.reads_every_school else School.objects.visible_to(user)
    return get_object_or_404(schools, pk=school_id)


def sees_each_teacher(user, instrument: Instrument) -> bool:
    """Each teacher's level and area percents: methodists and administrators always; a head
    when the instrument's setting says so (the teacher read it before starting)."""
    return user.reads_every_school or instrument.head_sees == Instrument.HeadSees.EACH_TEACHER


def sees_who_is_flagged(user) -> bool:
    """Attitude flags (computer anxiety, low motivation) by name: for methodists and
    administrators, who offer support; a head reads how many teachers are flagged, never who."""
    return user.reads_every_school
