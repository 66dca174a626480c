"""Fetching what a view shows through one door that applies the permission and raises 404."""

from django.shortcuts import get_object_or_404

from diagnostics.models import Response, Round
from lms.roles import Role


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
    if not (user.is_administrator or user.role == Role.METHODIST):
        responses = responses.filter(teacher=user)
    return get_object_or_404(responses, pk=response_id)


def open_round_for_teacher(user, round_id) -> Round:
    rounds = Round.objects.open_now().for_teacher(user).select_related("instrument")
    return get_object_or_404(rounds, pk=round_id)
