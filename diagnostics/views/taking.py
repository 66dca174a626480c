from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
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
from diagnostics.models import Answer, Response
from diagnostics.taking.notice import who_sees_what
from diagnostics.taking.pages import instrument_pages, instrument_questions, taking_questions
from diagnostics.taking.services import (
    TakingRefused,
    response_lock,
    response_save_locked,
    response_start,
    response_submit_locked,
)
from lms.params import int_or_none
from lms.permissions import role_required
from lms.roles import Role

# Set by the script every page loads (static/js/page-actions.js): this browser runs scripts, so
# `start` opens the one form (diagnostics/views/one_form.py) in it.
SCRIPTS_COOKIE = "ustaz_scripts"


def _saved_answers(response: Response) -> dict:
    """question id -> {"selected": set, "number", "text", "matches"} for filling the forms.

    One query: each answer joined with its chosen options, a row per option."""
    saved = {}
    rows = Answer.objects.filter(response=response).values_list(
        "question_id", "number", "text", "selections__choice_id", "selections__matched_choice_id"
    )
    for question_id, number, text, choice_id, matched_id in rows:
        answer = saved.setdefault(
            question_id, {"selected": set(), "matches": {}, "number": number, "text": text}
        )
        if matched_id is not None:
            answer["matches"][choice_id] = matched_id
        elif choice_id is not None:
            answer["selected"].add(choice_id)
    return saved


def match_options(question) -> list:
    """A matching question's matches, listed alphabetically so that their order does not give
    the pairs away; nothing for other kinds (reading every choice's translated match text cost
    a millisecond on a 45-question form)."""
    if question.kind != "matching":
        return []
    return sorted((c for c in question.choices.all() if c.match_text), key=lambda c: c.match_text)


def _page_context(pages, number, *, saved, **extra) -> dict:
    page = pages[number - 1]
    for question in page.questions:
        question.given = saved.get(question.pk, {})
        question.match_options = match_options(question)
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
    if request.COOKIES.get(SCRIPTS_COOKIE) == "1":  # this browser runs the taking script
        return redirect("diagnostics:form", response_id=response.pk)
    return redirect("diagnostics:page", response_id=response.pk, page=1)


@dataclass(frozen=True)
class Problem:
    """A message on the page; `anchor` links it to its question."""

    message: str
    anchor: str = ""


def _question_problem(question, message: str) -> Problem:
    return Problem(message, f"question-{question.pk}")


def answers_shown(response: Response, given=()) -> dict:
    """What a form shows: the stored answers, overlaid by what the teacher just chose and typed,
    valid or not, so that a form shown again with a problem has lost nothing."""
    saved = _saved_answers(response)
    for answer in given:
        saved[answer.question.pk] = {
            "selected": set(answer.selected),
            "matches": answer.matches,
            "number": answer.number,
            "text": answer.text,
            "raw": answer.raw,
            "problem": answer.problem,
        }
    return saved


def _render_page(request, response, pages, number, *, problems=(), given=(), status=200):
    saved = answers_shown(response, given)
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
            response_save_locked(response=response, answers=error.valid)
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


def _named_ids(request) -> set:
    """The question ids a POST names: in its fields (`q<id>`, `q<id>-...`) and, for an autosave,
    in `sent`. The lock reads what is stored for them (a forged id finds nothing)."""
    named = request.POST.getlist("sent") if request.headers.get("HX-Request") else []
    named += [key[1:].split("-")[0] for key in request.POST if key.startswith("q")]
    ids = {int_or_none(value) for value in named if value.isascii() and value.isdigit()}
    return {i for i in ids if i is not None and 0 < i < 2**31}


def _sent_questions(request, questions: list) -> list:
    """The questions an autosave sent (`sent`: their ids; the script sends only what changed);
    every question of the page for a page save. An id not on the page is read as a forgery."""
    sent = request.POST.getlist("sent")
    if not sent or not request.headers.get("HX-Request"):
        return questions
    ids = {int_or_none(value) for value in sent}
    if not ids <= {q.pk for q in questions}:
        raise InvalidAnswers([_("An answer was sent for a question that is not on this page.")])
    return [q for q in questions if q.pk in ids]


@role_required(Role.TEACHER)
@require_http_methods(["GET", "POST"])
def page(request, response_id, page):
    if request.method == "GET":
        response = response_for_teacher(request.user, response_id)
        if response.status != Response.Status.DRAFT:
            return redirect(response)
        pages = instrument_pages(taking_questions(response.instrument))
        if not 1 <= page <= len(pages):
            return redirect("diagnostics:page", response_id=response.pk, page=1)
        return _render_page(request, response, pages, page)
    # One transaction, outermost (no savepoints): the response read and locked in one query,
    # the questions from the cache, the answers written in one upsert (and their options).
    with transaction.atomic():
        try:
            response = response_lock(
                response_id, teacher=request.user, question_ids=_named_ids(request)
            )
        except Response.DoesNotExist:
            raise Http404 from None
        if response.status != Response.Status.DRAFT:
            return redirect(response)
        questions = taking_questions(response.instrument)
        pages = instrument_pages(questions)
        if not 1 <= page <= len(pages):
            return redirect("diagnostics:page", response_id=response.pk, page=1)
        current = pages[page - 1]
        try:
            sent = _sent_questions(request, current.questions)
            given = read_page(
                request.POST, sent, all_questions=questions, on_page=current.questions
            )
        except InvalidAnswers as error:
            return _invalid_page(request, response, pages, page, error)
        try:
            response_save_locked(response=response, answers=given)
        except TakingRefused as refusal:
            refused = refusal
        else:
            refused = None
    if refused is not None:
        if request.headers.get("HX-Request"):
            return JsonResponse({"problems": [{"message": str(refused), "anchor": ""}]}, status=400)
        return _render_page(
            request, response, pages, page, problems=[str(refused)], given=given, status=400
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
    if request.method == "POST":
        # The response read and locked in one query, in the view's one transaction.
        with transaction.atomic():
            try:
                response = response_lock(response_id, teacher=request.user)
            except Response.DoesNotExist:
                raise Http404 from None
            questions = taking_questions(response.instrument)
            try:
                missing = response_submit_locked(response=response, questions=questions)
            except TakingRefused as refusal:
                refused = refusal
            else:
                refused = None
    else:
        response = response_for_teacher(request.user, response_id)
        questions = taking_questions(response.instrument)
    pages = instrument_pages(questions)
    if request.method == "POST":
        if refused is not None:
            return render(
                request, "diagnostics/refused.html", {"message": str(refused)}, status=400
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
