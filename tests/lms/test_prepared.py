"""The statements nearly every request runs are prepared once per PostgreSQL connection
(lms/prepared.py); on SQLite they run as written. Either way a request reads the same rows."""

import pytest
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.backends import RoleModelBackend
from lms.prepared import executable

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's (DATABASE_URL)"
)


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_prepared_on_postgresql_as_written_elsewhere_and_the_same_row_either_way():
    sql = executable("default", "ustaz_probe", "SELECT %s", ("int",))
    expected = "EXECUTE ustaz_probe(%s)" if connection.vendor == "postgresql" else "SELECT %s"
    assert sql == expected
    with connection.cursor() as cursor:
        cursor.execute(sql, [7])
        assert cursor.fetchone() == (7,)


@postgresql_only
def test_a_signed_in_page_executes_the_session_and_user_statements(client, teacher):
    client.force_login(teacher)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard"))
    assert page.status_code == 200 and page.wsgi_request.user.pk == teacher.pk
    sql = [q["sql"] for q in queries.captured_queries]
    assert sql[0].startswith("EXECUTE ustaz_session(") and sql[1].startswith("EXECUTE ustaz_user(")
    assert not any(s.startswith("PREPARE") for s in sql)  # connection set-up, not a query
    assert {"ustaz_session", "ustaz_user"} <= _prepared_names()


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the connection is closed: no test transaction around
def test_a_new_connection_prepares_them_again(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("dashboard")).wsgi_request.user.pk == teacher.pk
    connection.close()  # as after CONN_MAX_AGE, or PostgreSQL restarted
    assert client.get(reverse("dashboard")).wsgi_request.user.pk == teacher.pk
    assert {"ustaz_session", "ustaz_user"} <= _prepared_names()


@postgresql_only
def test_placeholders_are_numbered_and_a_literal_percent_kept():
    sql = executable("default", "ustaz_probe_text", "SELECT %s || '%%' || %s", ("text", "text"))
    with connection.cursor() as cursor:
        cursor.execute(sql, ["40", "2"])
        assert cursor.fetchone() == ("40%2",)


def test_a_user_id_beyond_the_column_is_no_user(teacher):
    backend = RoleModelBackend()
    assert backend.get_user(teacher.pk).pk == teacher.pk
    assert backend.get_user(2**63) is None
    assert backend.get_user(-1) is None


def test_an_autosave_to_a_response_id_beyond_the_column_is_not_found(client, teacher):
    client.force_login(teacher)
    address = reverse("diagnostics:form", args=[2**64])
    saved = client.post(address, {"q1": "1", "sent": "1"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 404


@postgresql_only
@pytest.mark.django_db(transaction=True)  # the connection dies: no test transaction around
def test_after_postgresql_cut_the_connection_the_next_request_is_served(client, teacher):
    """As after a restart of PostgreSQL: the persistent connection is dead. The health check
    must replace it before the statements are executed, and the new one must prepare them
    (executing them on a connection that never prepared them was a 500)."""
    import psycopg2

    client.force_login(teacher)
    assert client.get(reverse("dashboard")).wsgi_request.user.pk == teacher.pk
    with psycopg2.connect(**connection.get_connection_params()) as other:
        other.cursor().execute(
            "SELECT pg_terminate_backend(%s)", [connection.connection.get_backend_pid()]
        )
    other.close()
    close_old_connections()  # what the start of every request runs (the test client does not)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200 and page.wsgi_request.user.pk == teacher.pk
    assert {"ustaz_session", "ustaz_user"} <= _prepared_names()
