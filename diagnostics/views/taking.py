from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics.access import (
    instrument_for_preview,
    open_round_for_teacher,
    response_for_teacher,
)
from diagnostics.kinds.answers import InvalidAnswers, missing_required, read_page
from diagnostics.kinds.base import question_label
from diagnostics.models import Response
from diagnostics.taking.notice import who_sees_what
from diagnostics.taking.pages import instrument_pages, instrument_questions
from diagnostics.taking.services import (
    TakingRefused,
    response_save_answers,
    response_start,
    response_submit,
)
from lms.params import int_or_none
from lms.permissions import role_required
from lms.roles import Role


def _saved_answers(response: Response) -> dict:
    """question id -> {"selected": set, "number", "text", "matches"} for filling the forms."""
    saved = {}
    for answer in response.answers.prefetch_related("selections"):
        selections = list(answer.selections.all())
        saved[answer.question_id] = {
            "selected": {s.choice_id for s in selections if s.matched_choice_id is None},
            "matches": {
                s.choice_id: s.matched_choice_id for s in selections if s.matched_choice_id
            },
            "number": answer.number,
            "text": answer.text,
        }
    return saved


def _page_context(pages, number, *, saved, **extra) -> dict:
    page = pages[number - 1]
    for question in page.questions:
        question.given = saved.get(question.pk, {})
        # Matches listed alphabetically, so their order does not give the pairs away.
        question.match_options = sorted(
            (c for c in question.choices.all() if c.match_text), key=lambda c: c.match_text
        )
    notice = []
    if number == 1:  # read before the first answer, generated from the instrument's settings
        has_scales = any(q.scale_id for p in pages for q in p.questions)
        notice = who_sees_what(extra["instrument"], has_scales=has_scales)
    return {
        "notice": notice,
        "pages": pages,
        "page": page,
        "progress": round(100 * (number - 1) / len(pages)),
        "previous_number": number - 1 if number > 1 else None,
        "next_number": number + 1 if number < len(pages) else None,
        **extra,
    }


@role_required(Role.TEACHER)
def start(request, round_id):
    round = open_round_for_teacher(request.user, round_id)
    try:
        response = response_start(round=round, teacher=request.user)
    except TakingRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("dashboard")
    if response.status != Response.Status.DRAFT:
        return redirect(response)
    return redirect("diagnostics:page", response_id=response.pk, page=1)


@dataclass(frozen=True)
class Problem:
    """A message on the page; `anchor` links it to its question."""

    message: str
    anchor: str = ""


def _question_problem(question, message: str) -> Problem:
    return Problem(message, f"question-{question.pk}")


def _render_page(request, response, pages, number, *, problems=(), given=(), status=200):
    saved = _saved_answers(response)
    # What the teacher just chose and typed wins over what is stored, valid or not, so that a
    # page shown again with a problem has lost nothing.
    for answer in given:
        saved[answer.question.pk] = {
            "selected": set(answer.selected),
            "matches": answer.matches,
            "number": answer.number,
            "text": answer.text,
            "raw": answer.raw,
            "problem": answer.problem,
        }
    context = _page_context(
        pages,
        number,
        response=response,
        instrument=response.instrument,
        saved=saved,
        problems=[p if isinstance(p, Problem) else Problem(str(p)) for p in problems],
    )
    return render(request, "diagnostics/take_page.html", context, status=status)


def _invalid_page(request, response, pages, number, error: InvalidAnswers):
    """Save what could be read (unless an id was forged), and say what could not, and where."""
    problems = [_question_problem(g.question, g.problem) for g in error.given if g.problem]
    if error.forged or not problems:
        problems = [Problem(message) for message in error.problems]
    else:
        try:
            response_save_answers(response=response, answers=error.valid)
        except TakingRefused as refusal:
            problems.insert(0, Problem(str(refusal)))
    if request.headers.get("HX-Request"):
        return JsonResponse(
            {"problems": [{"message": p.message, "anchor": p.anchor} for p in problems]},
            status=400,
        )
    return _render_page(
        request, response, pages, number, problems=problems, given=error.given, status=400
    )


@role_required(Role.TEACHER)
@require_http_methods(["GET", "POST"])
def page(request, response_id, page):
    response = response_for_teacher(request.user, response_id)
    if response.status != Response.Status.DRAFT:
        return redirect(response)
    questions = instrument_questions(response.instrument)
    pages = instrument_pages(questions)
    if not 1 <= page <= len(pages):
        return redirect("diagnostics:page", response_id=response.pk, page=1)
    if request.method == "GET":
        return _render_page(request, response, pages, page)

    current = pages[page - 1]
    try:
        given = read_page(request.POST, current.questions, all_questions=questions)
    except InvalidAnswers as error:
        return _invalid_page(request, response, pages, page, error)
    try:
        response_save_answers(response=response, answers=given)
    except TakingRefused as refusal:
        if request.headers.get("HX-Request"):
            return JsonResponse({"problems": [{"message": str(refusal), "anchor": ""}]}, status=400)
        return _render_page(
            request, response, pages, page, problems=[str(refusal)], given=given, status=400
        )
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)  # autosave of a draft: nothing to show

    direction = request.POST.get("go", "next")
    if direction == "previous" and page > 1:
        return redirect("diagnostics:page", response_id=response.pk, page=page - 1)
    answered = {g.question.pk for g in given if not g.is_empty}
    missing = missing_required(current.questions, answered)
    if missing:
        problems = [Problem(_("Please answer every question marked as required on this page:"))]
        problems += [_question_problem(q, question_label(q)) for q in missing]
        return _render_page(request, response, pages, page, problems=problems)
    if page < len(pages):
        return redirect("diagnostics:page", response_id=response.pk, page=page + 1)
    return redirect("diagnostics:submit", response_id=response.pk)


@role_required(Role.TEACHER)
@require_http_methods(["GET", "POST"])
def submit(request, response_id):
    response = response_for_teacher(request.user, response_id)
    questions = instrument_questions(response.instrument)
    pages = instrument_pages(questions)
    if request.method == "POST":
        try:
            missing = response_submit(response=response, questions=questions)
        except TakingRefused as refusal:
            return render(
                request, "diagnostics/refused.html", {"message": str(refusal)}, status=400
            )
        if not missing:
            # True whether or not the scoring task could be queued (a stopped broker): the
            # answers are committed and the sweeper scores them once it is back.
            messages.success(
                request,
                _("Your answers are saved and submitted. Your result will follow on this page."),
            )
            return redirect(response)
        messages.error(request, _("Some required questions are not answered yet."))
    elif response.status != Response.Status.DRAFT:
        return redirect(response)
    answered = set(response.answers.values_list("question_id", flat=True))
    # Each page: how many answered, and the required questions still open, each a link.
    summary = [
        (
            p,
            sum(q.pk in answered for q in p.questions),
            [(q, question_label(q)) for q in missing_required(p.questions, answered)],
        )
        for p in pages
    ]
    return render(
        request,
        "diagnostics/take_review.html",
        {"response": response, "summary": summary, "progress": 100},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.METHODIST)
def preview(request, instrument_id):
    """The instrument exactly as a teacher sees it, page by page, without saving anything."""
    instrument = instrument_for_preview(request.user, instrument_id)
    pages = instrument_pages(instrument_questions(instrument))
    if not pages:
        messages.info(request, _("This instrument has no questions yet."))
        return redirect("dashboard")
    number = min(max(int_or_none(request.GET.get("page")) or 1, 1), len(pages))
    context = _page_context(pages, number, instrument=instrument, saved={}, preview=True)
    return render(request, "diagnostics/take_page.html", context)
