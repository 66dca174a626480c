"""gunicorn hooks for `run.py --profile`: cProfile (thread CPU time) around every request, added
up per worker process and written at the worker's exit (py-spy cannot attach on this machine:
"Failed to find python version from target process"). cProfile roughly doubles the CPU time of
a request, so figures of a profiled run are not the benchmark's figures: it shows where the time
goes, not how much there is."""

import cProfile
import os
import pstats
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_totals: dict = {}


def pre_request(worker, req):
    # The thread's own CPU time: on a shared machine wall time is mostly waiting for a core or
    # for PostgreSQL, which would hide where Python spends its time.
    req.load_profile = cProfile.Profile(time.thread_time)
    req.load_profile.enable()


def post_request(worker, req, environ, resp):
    profile = getattr(req, "load_profile", None)
    if profile is None:
        return
    profile.disable()
    with _lock:
        if "stats" not in _totals:
            _totals["stats"] = pstats.Stats(profile)
        else:
            _totals["stats"].add(profile)


def worker_exit(server, worker):
    stats = _totals.get("stats")
    if stats is not None:
        folder = Path(os.environ["LOAD_PROFILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        stats.dump_stats(str(folder / f"worker-{os.getpid()}.prof"))
