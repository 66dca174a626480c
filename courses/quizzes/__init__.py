"""Quizzes: attempts drawn from a diagnostics instrument, answered, priced and rendered by the
diagnostics question engine (diagnostics.kinds), completing the lesson when passed.

- services: `attempt_start`, `attempt_submit` (the writes);
- reading: the questions of an attempt, the answers as given, the feedback per answer;
- access: `attempt_for_user` (another teacher's attempt is 404);
- views: the attempt page, start and submit.
"""
