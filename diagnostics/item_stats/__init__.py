"""Item statistics of a round: how each question of an instrument behaved.

- definitions.py: what the computation takes and gives (item specs, flag thresholds, results);
- compute.py: the numpy computation (alpha, facility, discrimination), no database;
- report.py: the round's scored answers read into a matrix, the report stored as JSON;
- presentation.py: the stored report joined to question texts and explained, for the page;
- tasks.py: the recompute task (name pinned to diagnostics.tasks.compute_round_statistics).

Nothing is imported here, so that importing the task does not load numpy.
"""
