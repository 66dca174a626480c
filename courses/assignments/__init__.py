"""Assignments: practical, laboratory, independent and creative work with a rubric.

A methodist puts an assignment on a lesson; a teacher drafts and submits versions of their work;
a methodist reviews each version (scores the rubric, comments, accepts or returns); peers of the
same study group may give feedback. Accepted work is recorded through `courses.services` as the
"work accepted" evidence that completes the lesson. Models keep the `courses` app label and are
re-exported from `courses.models`.

- `models`: Assignment, RubricRow, Submission, SubmissionVersion, SubmissionFile, Review,
  PeerReview;
- `services`: every write (drafts, submit, review, peer allocation);
- `access`: who may see which work (404 for everyone else);
- `queries`: the review queue and the portfolio's accepted works.
"""
