"""Django's database sessions, with the one query every signed-in request makes written once
(and prepared on PostgreSQL, lms/prepared.py).

Every request reads its session row, so the ORM compiled the same `get(session_key=...,
expire_date__gt=now)` on each of them: more CPU than running it. The same query, the same
table, the same expiry rule and the same behaviour otherwise (SESSION_ENGINE = "lms.sessions")."""

import functools

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from lms.prepared import executable


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        now = connections[alias].ops.adapt_datetimefield_value(timezone.now())
        types = ("text", "timestamptz")
        sql = executable(alias, "ustaz_session", _session_sql(model, alias), types)
        rows = model.objects.using(alias).raw(sql, [self.session_key, now])
        session = next(iter(rows), None)
        if session is None:
            # As Django's own: an unknown or expired key is forgotten, so a new one is issued.
            self._session_key = None
        return session


@functools.cache
def _session_sql(model, alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    columns = ", ".join(f"{table}.{quote(field.column)}" for field in meta.concrete_fields)
    key, expires = (quote(meta.get_field(name).column) for name in ("session_key", "expire_date"))
    # Only the model's own table and column names go into the text, quoted; values are parameters.
    return (
        f"SELECT {columns} FROM {table} "  # noqa: S608
        f"WHERE {table}.{key} = %s AND {table}.{expires} > %s"
    )
