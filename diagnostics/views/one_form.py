"""The one-form flow: the whole instrument in one form, its areas steps that the page's script
shows one at a time, answers autosaved as they change, and one submit.

A teacher walks through it in one GET and one POST (and the autosaves), against a GET and a POST
per page in the paged flow. Both flows keep the same draft, so a teacher who answered three pages
in one resumes in the other. Without JavaScript the paged flow stays: `start` sends a teacher
to this form only once the taking pages' script has run in their browser (it leaves
SCRIPTS_COOKIE, see diagnostics/views/taking.py), and the form itself, shown without a script,
is every area one after another with the submit at the end, which still works.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from diagnostics.access import response_for_teacher
from diagnostics.kinds.answers import InvalidAnswers, read_page
from diagnostics.kinds.base import question_label
from diagnostics.models import Response
from diagnostics.taking.notice import who_sees_what
from diagnostics.taking.pages import instrument_pages, taking_questions
from diagnostics.taking.services import (
    TakingRefused,
    response_lock,
    response_save_locked,
    response_submit_locked,
)
from diagnostics.views.taking import (
    Problem,
    _named_ids,
    _question_problem,
    _sent_questions,
    answers_shown,
    match_options,
)
from lms.permissions import role_required
from lms.roles import Role


def _render_form(request, response, pages, *, problems=(), given=(), status=200):
    saved = answers_shown(response, given)
    resume = None
    for page in pages:
        for question in page.questions:
            question.given = saved.get(question.pk, {})
            question.match_options = match_options(question)
        # The step to open on: the first with a question not answered yet.
        if resume is None and any(q.pk not in saved for q in page.questions):
            resume = page.number
    has_scales = any(q.scale_id for p in pages for q in p.questions)
    context = {
        "response": response,
        "instrument": response.instrument,
        "pages": pages,
        "resume_step": resume or len(pages),
        "notice": who_sees_what(response.instrument, has_scales=has_scales),
        "problems": [p if isinstance(p, Problem) else Problem(str(p)) for p in problems],
    }
    return render(request, "diagnostics/take_form.html", context, status=status)


def _problems_reply(problems) -> JsonResponse:
    return JsonResponse(
        {"problems": [{"message": p.message, "anchor": p.anchor} for p in problems]}, status=400
    )


@role_required(Role.TEACHER)
@require_http_methods(["GET", "POST"])
def one_form(request, response_id):
    if request.method == "GET":
        response = response_for_teacher(request.user, response_id)
        if response.status != Response.Status.DRAFT:
            return redirect(response)
        return _render_form(
            request, response, instrument_pages(taking_questions(response.instrument))
        )
    autosave = bool(request.headers.get("HX-Request"))
    # One transaction, outermost: the response locked with what is stored for the questions
    # sent (one query), the questions from the cache, the answers in one upsert and their
    # options in one more; a submit then prices the answers and marks the response submitted.
    refused = None
    missing = []
    with transaction.atomic():
        try:
            response = response_lock(
                response_id, teacher=request.user, question_ids=_named_ids(request)
            )
        except Response.DoesNotExist:
            raise Http404 from None
        if response.status != Response.Status.DRAFT and not autosave:
            return redirect(response)
        questions = taking_questions(response.instrument)
        try:
            sent = _sent_questions(request, questions)
            given = read_page(request.POST, sent, all_questions=questions, on_page=questions)
        except InvalidAnswers as error:
            # The pages number the questions, and the problems name them by number. A saved
            # autosave (three in four of all requests on a diagnosis morning) needs neither.
            pages = instrument_pages(questions)
            problems = [_question_problem(g.question, g.problem) for g in error.given if g.problem]
            if error.forged or not problems:
                problems = [Problem(message) for message in error.problems]
            else:
                try:  # what could be read is kept
                    response_save_locked(response=response, answers=error.valid)
                except TakingRefused as refusal:
                    problems.insert(0, Problem(str(refusal)))
            if autosave:
                return _problems_reply(problems)
            return _render_form(
                request, response, pages, problems=problems, given=error.given, status=400
            )
        try:
            response_save_locked(response=response, answers=given)
            if not autosave:
                missing = response_submit_locked(
                    response=response, questions=questions, saved=given
                )
        except TakingRefused as refusal:
            refused = refusal
    if refused is not None:
        if autosave:
            return _problems_reply([Problem(str(refused))])
        return render(request, "diagnostics/refused.html", {"message": str(refused)}, status=400)
    if autosave:
        return HttpResponse(status=204)
    if missing:
        pages = instrument_pages(questions)
        problems = [Problem(_("Please answer every question marked as required:"))]
        problems += [_question_problem(q, question_label(q)) for q in missing]
        return _render_form(request, response, pages, problems=problems, status=400)
    messages.success(
        request, _("Your answers are saved and submitted. Your result will follow on this page.")
    )
    return redirect(response)
