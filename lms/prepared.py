"""PostgreSQL prepared statements for the few statements that nearly every request runs.

psycopg2 sends each statement as text, so PostgreSQL parses and plans it every time. For the
session, the signed-in user and the autosave's response lock, planning costs more than running
them (EXPLAIN ANALYZE on the load benchmark's database: 0.06, 0.08 and 0.38 ms of planning
against 0.02, 0.04 and 0.14 ms of execution). Those are PREPAREd once on each connection and
EXECUTEd after; on SQLite the statement runs as written.

PREPARE goes through the driver's own cursor: it is setting up the connection, like Django's
own `SET TIME ZONE`, not a query of the request, so query counts stay what the request asks
for. Prepared statements live as long as the connection and survive a rollback; a connection
Django opens afresh gets them again. Ustaz connects to PostgreSQL directly: a pooler in
transaction mode (pgbouncer) would hand the statements of one connection to another.
"""

import re

from django.db import connections

_PLACEHOLDER = re.compile(r"%s|%%")


def executable(alias: str, name: str, sql: str, types: tuple[str, ...]) -> str:
    """What to execute for `sql` (`%s` placeholders, one per entry of `types`, PostgreSQL type
    names) on the connection `alias`: `EXECUTE name(%s, ...)` on PostgreSQL, the statement
    PREPAREd on this connection first; `sql` itself elsewhere."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return sql
    # The health check first (CONN_HEALTH_CHECKS), as the query's own cursor would: after
    # PostgreSQL restarted, the query must not run on a new connection that never prepared it.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw = connection.connection
    # Which statements this very connection holds: a reconnect starts an empty set.
    held_on, held = getattr(connection, "_ustaz_prepared", (None, set()))
    if held_on is not raw:
        held = set()
        connection._ustaz_prepared = (raw, held)
    if name not in held:
        numbered = iter(range(1, len(types) + 1))
        text = _PLACEHOLDER.sub(lambda m: "%" if m[0] == "%%" else f"${next(numbered)}", sql)
        # Through the driver's cursor, with Django's error translation (a lost connection is a
        # django.db error and marks the connection to be checked at the request's end).
        with connection.wrap_database_errors, raw.cursor() as cursor:
            cursor.execute(f"PREPARE {name}({', '.join(types)}) AS {text}")
        held.add(name)
    return f"EXECUTE {name}({', '.join(['%s'] * len(types))})"
