"""Assignment pages: the teacher's work, the methodists' queue and review, peers' feedback,
and the files, served only through `access` (never from a public URL)."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses.assignments import services
from courses.assignments.access import (
    assignment_for_teacher,
    file_for_user,
    is_reviewer,
    peer_review_for_user,
    submission_for_user,
)
from courses.assignments.forms import QueueFilterForm, ReviewForm, RubricScoresForm, WorkForm
from courses.assignments.models import PeerReview, Submission
from courses.assignments.queries import (
    WAITING_DAYS_CHOICES,
    queue_filter_choices,
    review_queue,
    review_queue_page,
    rubric_results,
    rubric_rows,
    versions_with_everything,
)
from courses.conditions import course_gate
from courses.markdown import render_markdown
from courses.models import Enrolment

QUEUE_PAGE_SIZE = 50


def _open_assignment(request, assignment_id):
    """The assignment, if its lesson is open to this teacher (a locked lesson is 403)."""
    assignment = assignment_for_teacher(request.user, assignment_id)
    lesson = assignment.lesson
    course = lesson.module.course
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    verdict = course_gate(request.user, course, enrolment).lesson(lesson)
    return assignment, verdict


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _assignment_page(request, assignment, form, *, status=200):
    submission = Submission.objects.filter(assignment=assignment, author=request.user).first()
    rows = rubric_rows(assignment)
    versions = versions_with_everything(submission) if submission else []
    for version in versions:
        version.review = next(iter(version.reviews.all()), None)
        version.results = rubric_results(rows, version.review.scores) if version.review else []
    peer_works = list(
        PeerReview.objects.filter(
            reviewer=request.user,
            submission__assignment=assignment,
            submission__assignment__peer_feedback=True,
        )
        .select_related("submission")
        .order_by("pk")
    )
    return render(
        request,
        "courses/assignments/assignment.html",
        {
            "assignment": assignment,
            "lesson": assignment.lesson,
            "course": assignment.lesson.module.course,
            "instructions": render_markdown(assignment.instructions),
            "rows": rows,
            "submission": submission,
            "draft_files": list(submission.files.filter(version__isnull=True))
            if submission
            else [],
            "versions": versions,
            "form": form,
            "peer_works": peer_works,
        },
        status=status,
    )


@login_required
def assignment_page(request, assignment_id):
    assignment, verdict = _open_assignment(request, assignment_id)
    if not verdict.open:
        return render(
            request,
            "courses/locked.html",
            {
                "lesson": assignment.lesson,
                "course": assignment.lesson.module.course,
                "verdict": verdict,
            },
            status=403,
        )
    if request.method != "POST":
        submission = Submission.objects.filter(assignment=assignment, author=request.user).first()
        initial = (
            {"text": submission.draft_text, "link": submission.draft_link} if submission else {}
        )
        return _assignment_page(
            request, assignment, WorkForm(assignment=assignment, initial=initial)
        )
    return _assignment_post(request, assignment)


def _assignment_post(request, assignment):
    form = WorkForm(request.POST, request.FILES, assignment=assignment)
    submission = services.submission_get_or_start(assignment=assignment, author=request.user)
    if not submission.is_editable:
        messages.error(
            request, _("This work is handed in and cannot be changed until it is returned.")
        )
        return redirect(assignment)
    form.is_valid()
    data = form.cleaned_data
    # What was typed is saved first, whatever is wrong with the rest: nothing typed is lost.
    services.draft_save(
        submission=submission,
        text=request.POST.get("text") if "text" in form.fields else None,
        link=data.get("link", "") if "link" in form.fields and "link" not in form.errors else None,
    )
    if form.errors:
        return _assignment_page(request, assignment, form, status=400)
    try:
        if data.get("file"):
            services.draft_file_add(submission=submission, upload=data["file"], kind=form.file_kind)
        remove = request.POST.get("remove_file")
        if remove and remove.isdigit():
            services.draft_file_remove(submission=submission, file_id=int(remove))
        if request.POST.get("action") == "submit":
            version = services.submission_submit(submission=submission)
            messages.success(
                request,
                _("Version %(number)s is handed in. A methodist will review it.")
                % {"number": version.number},
            )
        else:
            messages.success(request, _("Your draft is saved."))
    except ValidationError as error:
        for text in _messages_of(error):
            form.add_error(None, text)
        return _assignment_page(request, assignment, form, status=400)
    return redirect(assignment)


@login_required
@require_POST
def draft_autosave(request, assignment_id):
    """The page's script posts the text every few seconds while the teacher types."""
    assignment, verdict = _open_assignment(request, assignment_id)
    if not verdict.open:
        return JsonResponse({"error": _("This lesson is not open yet.")}, status=403)
    submission = services.submission_get_or_start(assignment=assignment, author=request.user)
    link = request.POST.get("link")
    form = WorkForm({"link": link or ""}, assignment=assignment)
    if link and assignment.accepts_link and not form.is_valid() and "link" in form.errors:
        link = None  # a half-typed address is kept in the page, not saved over a good one
    try:
        saved = services.draft_save(
            submission=submission,
            text=request.POST.get("text") if assignment.accepts_text else None,
            link=link if assignment.accepts_link else None,
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=409)
    when = formats.date_format(saved.draft_saved_at, "H:i:s")
    return JsonResponse({"saved": True, "message": _("Draft saved at %(time)s") % {"time": when}})


def _submission_context(request, submission):
    rows = rubric_rows(submission.assignment)
    versions = versions_with_everything(submission)
    for version in versions:
        version.review = next(iter(version.reviews.all()), None)
        version.results = rubric_results(rows, version.review.scores) if version.review else []
        version.peer_results = [
            (peer, rubric_results(rows, peer.scores)) for peer in version.peer_reviews.all()
        ]
    return rows, versions


@login_required
def submission_detail(request, submission_id):
    """The review page for methodists, the feedback page for peers, the history for the author."""
    submission = submission_for_user(request.user, submission_id)
    rows, versions = _submission_context(request, submission)
    reviewer = is_reviewer(request.user)
    peer = None if reviewer else peer_review_for_user(request.user, submission)
    review_form = None
    peer_form = None
    status = 200
    if reviewer and submission.status == Submission.Status.SUBMITTED:
        review_form = ReviewForm(request.POST or None, rows=rows)
        if request.method == "POST":
            decision = request.POST.get("decision", "")
            if review_form.is_valid() and decision in ("accepted", "returned"):
                try:
                    services.submission_review(
                        submission=submission,
                        reviewer=request.user,
                        decision=decision,
                        scores=review_form.scores(),
                        comment=review_form.cleaned_data["comment"],
                    )
                except ValidationError as error:
                    for text in error.messages:
                        review_form.add_error(None, text)
                else:
                    messages.success(
                        request,
                        _("The work is accepted.")
                        if decision == "accepted"
                        else _("The work is returned to the teacher."),
                    )
                    return redirect("assignments:queue")
            elif review_form.is_valid():
                review_form.add_error(None, _("Choose to accept or to return the work."))
            status = 400
    elif peer is not None:
        peer_form = RubricScoresForm(
            request.POST or None,
            rows=rows,
            initial_scores=peer.scores,
            initial={"comment": peer.comment},
        )
        if request.method == "POST":
            if peer_form.is_valid():
                try:
                    services.peer_review_write(
                        peer_review=peer,
                        scores=peer_form.scores(),
                        comment=peer_form.cleaned_data["comment"],
                    )
                except ValidationError as error:
                    for text in error.messages:
                        peer_form.add_error(None, text)
                else:
                    messages.success(request, _("Thank you: your feedback is saved."))
                    return redirect(submission)
            status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "courses/assignments/submission.html",
        {
            "submission": submission,
            "assignment": submission.assignment,
            "lesson": submission.assignment.lesson,
            "instructions": render_markdown(submission.assignment.instructions),
            "rows": rows,
            "versions": versions,
            "review_form": review_form,
            "peer_form": peer_form,
            "peer": peer,
            "is_reviewer": reviewer,
            "is_author": submission.author_id == request.user.pk,
        },
        status=status,
    )


@login_required
def work_file(request, file_id):
    item = file_for_user(request.user, file_id)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
def queue(request):
    """Works waiting for review, oldest first, filtered by course, group, school, waiting time."""
    filters = QueueFilterForm(request.GET).values()
    rows = review_queue(
        course_id=filters.get("course"),
        group_id=filters.get("group"),
        school_id=filters.get("school"),
        waiting_days=filters.get("waiting"),
    )
    page = review_queue_page(rows, request.GET.get("page"), QUEUE_PAGE_SIZE)
    courses, schools, groups = queue_filter_choices(filters.get("course"), filters.get("school"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/assignments/queue.html",
        {
            "page": page,
            "courses": courses,
            "schools": schools,
            "groups": groups,
            "waiting_choices": WAITING_DAYS_CHOICES,
            "chosen": filters,
            "query": query.urlencode(),
        },
    )
