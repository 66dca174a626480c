"""gunicorn hooks for `run.py --cpu-by-page`: the thread CPU time of every request, added up per
page (method and path with ids as [id]) in each worker process and written at the worker's exit.
Cheap enough (two clock reads a request) to leave the figures of the run as they are, unlike
cProfile: it says which pages the server's CPU goes to, not which functions."""

import json
import os
import re
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_pages: dict[str, list[float]] = {}
_IDS = re.compile(r"/\d+(?=/)")


def page_of(req) -> str:
    path = _IDS.sub("/[id]", req.path)
    if path.startswith("/courses/") and path.count("/") == 3 and "lessons" not in path:
        path = "/courses/[slug]/"
    autosave = any(name.lower() == "hx-request" for name, _ in req.headers)
    return f"{req.method} {path}{' (autosave)' if autosave and req.method == 'POST' else ''}"


def pre_request(worker, req):
    req.load_cpu_started = time.thread_time()


def post_request(worker, req, environ, resp):
    started = getattr(req, "load_cpu_started", None)
    if started is None:
        return
    spent = time.thread_time() - started
    with _lock:
        count_and_total = _pages.setdefault(page_of(req), [0, 0.0])
        count_and_total[0] += 1
        count_and_total[1] += spent


def worker_exit(server, worker):
    folder = Path(os.environ["LOAD_CPU_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"worker-{os.getpid()}.json").write_text(json.dumps(_pages))
