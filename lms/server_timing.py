"""A `Server-Timing` header on every response: the time the request took in Django (`app`) and
the part of it spent waiting on the database (`db`, with the number of statements), so a
browser's developer tools, a load test or a proxy log show where a slow request's time went.

First in the middleware list, so that `app` includes every middleware (session, user,
language). Timing the statements is one `perf_counter()` pair each; the figures say nothing a
client could not time itself.
"""

from contextlib import ExitStack
from time import perf_counter

from django.db import connections


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = {"seconds": 0.0, "statements": 0}

        def timed(execute, sql, params, many, context):
            began = perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent["seconds"] += perf_counter() - began
                spent["statements"] += 1

        began = perf_counter()
        with ExitStack() as timing:
            for alias in connections:
                timing.enter_context(connections[alias].execute_wrapper(timed))
            response = self.get_response(request)
        app = (perf_counter() - began) * 1000
        response["Server-Timing"] = (
            f"app;dur={app:.1f}, "
            f'db;dur={spent["seconds"] * 1000:.1f};desc="{spent["statements"]} statements"'
        )
        return response
