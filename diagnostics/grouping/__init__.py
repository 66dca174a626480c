"""Study groups: who learns with whom after a round is scored (docs/grouping.md).

- planner.py: the pure planner (no database), from scored teachers and options to groups;
- store.py: a run, done in one transaction: load the scored teachers, keep what a methodist fixed,
  diff the plan against the round's groups;
- writers.py: the rows written, COPY on PostgreSQL and bulk inserts on SQLite;
- services.py: what a methodist does (start a run, lock groups, move a teacher), for the admin and
  the pages alike;
- tasks.py: the Celery tasks, names pinned to diagnostics.tasks.*.
"""
