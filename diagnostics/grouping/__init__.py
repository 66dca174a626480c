"""Study groups: who learns with whom after a round is scored (docs/grouping.md).

- planner.py: the pure planner (no database), from scored teachers and options to groups;
- store.py: a run, done in one transaction: load the scored teachers, keep what a methodist fixed,
  diff the plan against the round's groups;
- preview.py: the plan kept on a run for the methodist to read before anyone is moved, what it
  was made from (so a stale one is refused), and its page's reading;
- writers.py: the rows written, COPY on PostgreSQL and bulk inserts on SQLite;
- services.py: what a methodist does (start a run, confirm or cancel it, lock groups, move a
  teacher), for the admin and the pages alike;
- tasks.py: the Celery tasks, names pinned to diagnostics.tasks.*.
"""
