"""How a draft's answers are written: the response locked with what is stored for the questions a
request names (one query), then the answers in one statement and their chosen options in one
more, whatever the page's size.

A page save or an autosave of option questions (single, multiple, true/false, matching) costs the
lock, one upsert of the answer rows that are new, and one upsert of the option rows, which reuses
the rows of options no longer chosen (their ids are known from the lock) instead of deleting
them. A delete is needed only when fewer options are chosen than before (a multiple choice
unticked, an answer cleared) or for questions the request did not name.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from diagnostics.kinds.answers import GivenAnswer
from diagnostics.kinds.registry import kind_for
from diagnostics.models import Answer, AnswerChoice, Instrument, Response, Round
from lms.params import int_or_none
from lms.prepared import executable

# A request naming more questions than this (a forged one) locks without reading what is stored:
# the answers are then written the slower way, never wrongly.
STORED_LOOKUP_LIMIT = 1000


@dataclass
class StoredAnswer:
    """A stored answer as the lock read it: its id and its option rows by choice."""

    answer_id: int
    # choice id -> (option row id, matched choice id)
    options: dict[int, tuple[int, int | None]] = field(default_factory=dict)


def response_lock(response_id: int, *, teacher, question_ids=()) -> Response:
    """The teacher's response, locked, with its round and instrument: one query (the caller is
    inside a transaction). The lock keeps a second tab saving at the same moment from
    interleaving its rows with ours, and a submit from slipping in between the check and the
    write. With `question_ids`, `response.stored` maps each of them to its StoredAnswer, or to
    None when nothing is stored (read in the same query: the answers and their options joined
    to the response, a row per option).

    Every autosave runs this, so its SQL is written once per process (`_LockQuery`) rather than
    built by the ORM each time: compiling the same joins and annotations cost 1.4 ms of CPU a
    request, five times what running them costs (docs/benchmarks.md)."""
    ids = sorted(set(question_ids))
    if len(ids) > STORED_LOOKUP_LIMIT:
        ids = []
    if int_or_none(response_id, minimum=1) is None:
        raise Response.DoesNotExist  # beyond the column: no such response (not a database error)
    rows = _LockQuery.get().rows(response_id, getattr(teacher, "pk", teacher), ids)
    if not rows:
        raise Response.DoesNotExist
    response = rows[0][0]
    if not ids:
        return response
    stored: dict[int, StoredAnswer | None] = dict.fromkeys(ids)
    for _response, answer_id, question_id, option_id, choice_id, match_id in rows:
        if answer_id is None:
            continue
        answer = stored[question_id] or StoredAnswer(answer_id)
        stored[question_id] = answer
        if option_id is not None:
            answer.options[choice_id] = (option_id, match_id)
    response.stored = stored
    return response


class _LockQuery:
    """The SQL of `response_lock` for the database in use, with the converters the ORM would
    apply to its columns (dates and decimals arrive as text on SQLite), built once a process."""

    _built = None

    @classmethod
    def get(cls) -> "_LockQuery":
        if cls._built is None or cls._built.vendor != connection.vendor:
            cls._built = cls()
        return cls._built

    def __init__(self):
        self.vendor = connection.vendor
        quote = connection.ops.quote_name
        self.models = [(Response, "r"), (Round, "rd"), (Instrument, "i")]
        columns, expressions = [], []
        for model, alias in self.models:
            for model_field in model._meta.concrete_fields:
                columns.append(f"{alias}.{quote(model_field.column)}")
                expressions.append(model_field.get_col(alias))
        self.width = len(columns)
        compiler = Response.objects.all().query.get_compiler(connection=connection)
        self.compiler = compiler
        self.converters = compiler.get_converters(expressions)

        def table(model):
            return quote(model._meta.db_table)

        def column(model, name):
            return quote(model._meta.get_field(name).column)

        # Only quoted names, aliases and placeholders are formatted in; values are parameters.
        self.select = (
            f"SELECT {', '.join(columns)}{{stored}} FROM {table(Response)} r "  # noqa: S608
            f"JOIN {table(Round)} rd ON rd.{column(Round, 'id')} = r.{column(Response, 'round')} "
            f"JOIN {table(Instrument)} i "
            f"ON i.{column(Instrument, 'id')} = r.{column(Response, 'instrument')}{{joins}} "
            f"WHERE r.{column(Response, 'id')} = %s AND r.{column(Response, 'teacher')} = %s"
        )
        if connection.features.has_select_for_update_of:
            self.select += " FOR UPDATE OF r"
        elif connection.features.has_select_for_update:
            self.select += " FOR UPDATE"
        self.stored_columns = (
            f", a.{column(Answer, 'id')}, a.{column(Answer, 'question')}, "
            f"s.{column(AnswerChoice, 'id')}, s.{column(AnswerChoice, 'choice')}, "
            f"s.{column(AnswerChoice, 'matched_choice')}"
        )
        self.stored_joins = (
            f" LEFT JOIN {table(Answer)} a ON a.{column(Answer, 'response')} = "
            f"r.{column(Response, 'id')} AND a.{column(Answer, 'question')} {{ids}}"
            f" LEFT JOIN {table(AnswerChoice)} s "
            f"ON s.{column(AnswerChoice, 'answer')} = a.{column(Answer, 'id')}"
        )
        # The two statements whose text never changes, written out once: without what is stored,
        # and (PostgreSQL) with it for any number of question ids, given as one array.
        self.plain = self.select.format(stored="", joins="")
        self.stored_any = self.select.format(
            stored=self.stored_columns, joins=self.stored_joins.format(ids="= ANY(%s)")
        )

    def rows(self, response_id, teacher_id, ids: list[int]) -> list[tuple]:
        """(the Response with its round and instrument attached, then the stored answer's id,
        question, option row, choice and match, or Nones) for each row read."""
        if ids and self.vendor == "postgresql":
            types = ("bigint[]", "bigint", "bigint")
            sql = executable(connection.alias, "ustaz_lock_stored", self.stored_any, types)
            params = [ids, response_id, teacher_id]
        elif ids:
            in_list = f"IN ({', '.join(['%s'] * len(ids))})"
            joins = self.stored_joins.format(ids=in_list)
            sql = self.select.format(stored=self.stored_columns, joins=joins)
            params = [*ids, response_id, teacher_id]
        else:
            sql = executable(connection.alias, "ustaz_lock", self.plain, ("bigint", "bigint"))
            params = [response_id, teacher_id]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not fetched:
            return []
        first = list(self.compiler.apply_converters([fetched[0]], self.converters))[0]
        response = self._instances(first[: self.width])
        return [(response, *row[self.width :]) for row in fetched]

    def _instances(self, values) -> Response:
        made, offset = {}, 0
        for model, _alias in self.models:
            fields = model._meta.concrete_fields
            made[model] = model.from_db(
                connection.alias, [f.attname for f in fields], values[offset : offset + len(fields)]
            )
            offset += len(fields)
        response = made[Response]
        Response._meta.get_field("round").set_cached_value(response, made[Round])
        Response._meta.get_field("instrument").set_cached_value(response, made[Instrument])
        return response


def answer_row(response: Response, given: GivenAnswer) -> Answer:
    return Answer(
        response=response,
        question=given.question,
        number=given.number,
        text=given.text,
        text_key=given.text_key,
    )


def answers_replace(*, response: Response, answers: list[GivenAnswer]) -> None:
    """Replace the stored answers to these questions with the given ones (the caller holds the
    response's lock and checked it is a draft). `response.stored` (from `response_lock`) says
    what is stored for the questions it names; the others are written without that knowledge
    (their options deleted, then inserted)."""
    stored: dict = getattr(response, "stored", None) or {}
    unknown = [g for g in answers if g.question.pk not in stored]
    known = [g for g in answers if g.question.pk in stored]
    # Option rows to delete: of unknown questions (by a subquery), and of known answers the
    # rows no new option reuses (see `_option_rows`).
    unknown_with_options = [g.question.pk for g in unknown if _has_options(g)]
    plans = {g.question.pk: _option_plan(g, stored[g.question.pk]) for g in known}
    surplus = [row for plan in plans.values() for row in plan.surplus]
    if unknown_with_options or surplus:
        # Nothing points at option rows: Django deletes them in one statement.
        AnswerChoice.objects.filter(
            Q(pk__in=surplus)
            | Q(answer__response=response, answer__question_id__in=unknown_with_options)
        ).delete()
    cleared = [g.question.pk for g in unknown if g.is_empty] + [
        g.question.pk for g in known if g.is_empty and stored[g.question.pk] is not None
    ]
    if cleared:
        # Their options are gone above; no row points at these answers any more, so one plain
        # DELETE (the ORM's delete() would first read the rows to cascade).
        Answer.objects.filter(response=response, question_id__in=cleared)._raw_delete(
            Answer.objects.db
        )
    kept = [g for g in answers if not g.is_empty]
    if not kept:
        return
    # An option answer already stored keeps its row (it holds nothing but its options).
    rows = {
        g.question.pk: stored[g.question.pk].answer_id
        for g in kept
        if stored.get(g.question.pk) is not None and _options_only(g)
    }
    upsert = [g for g in kept if g.question.pk not in rows]
    if upsert:
        written = Answer.objects.bulk_create(
            [answer_row(response, given) for given in upsert],
            update_conflicts=True,
            unique_fields=["response", "question"],
            update_fields=["number", "text", "text_key", "points"],
        )
        rows.update({row.question_id: row.pk for row in written})
    options = []
    for given in kept:
        plan = plans.get(given.question.pk) or _option_plan(given, None)
        answer_id = rows[given.question.pk]
        options += [(row, answer_id, choice, match) for row, choice, match in plan.writes]
    _options_upsert(options)


@dataclass
class _OptionPlan:
    writes: list = field(default_factory=list)  # (row id to reuse or None, choice, matched)
    surplus: list = field(default_factory=list)  # row ids no longer needed


def _option_plan(given: GivenAnswer, stored: StoredAnswer | None) -> _OptionPlan:
    """What to write of an answer's options, given what is stored: an option still chosen keeps
    its row (rewritten only when its match changed); a newly chosen one takes over the row of an
    option no longer chosen, or a new row. A row takes a choice its answer does not hold, so the
    one-choice-per-answer constraint holds at every row of the statement."""
    wanted = dict.fromkeys(given.selected) | dict(given.matches)
    have = stored.options if stored is not None else {}
    plan = _OptionPlan()
    free = [row for choice, (row, _match) in have.items() if choice not in wanted]
    for choice, match in wanted.items():
        if choice in have:
            row, stored_match = have[choice]
            if stored_match != match:
                plan.writes.append((row, choice, match))
        else:
            plan.writes.append((free.pop() if free else None, choice, match))
    plan.surplus = free
    return plan


def _options_upsert(options: list[tuple[int | None, int, int, int | None]]) -> None:
    """Write option rows (row id or None for a new row, answer, choice, match) in one statement:
    an INSERT whose rows with an id update that row (ON CONFLICT on the key). The ORM's
    bulk_create would split rows with and without ids into two statements."""
    if not options:
        return
    quote = connection.ops.quote_name
    table = quote(AnswerChoice._meta.db_table)
    # A new row's id: the column's default (PostgreSQL's identity; SQLite numbers a NULL key).
    new_id = "DEFAULT" if connection.vendor == "postgresql" else "NULL"
    values, params = [], []
    for row, answer_id, choice, match in options:
        if row is None:
            values.append(f"({new_id}, %s, %s, %s)")
            params += [answer_id, choice, match]
        else:
            values.append("(%s, %s, %s, %s)")
            params += [row, answer_id, choice, match]
    columns = ", ".join(quote(c) for c in ("id", "answer_id", "choice_id", "matched_choice_id"))
    # Only quoted names and placeholders are formatted in; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join(values)} "  # noqa: S608
        f"ON CONFLICT ({quote('id')}) DO UPDATE SET "
        f"{quote('choice_id')} = EXCLUDED.{quote('choice_id')}, "
        f"{quote('matched_choice_id')} = EXCLUDED.{quote('matched_choice_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _options_only(given: GivenAnswer) -> bool:
    """An answer that is its options alone (its row's number and text stay empty)."""
    return given.number is None and not given.text and _has_options(given)


def _has_options(given: GivenAnswer) -> bool:
    """Whether the answer is (or was) stored as chosen options."""
    return bool(given.selected or given.matches) or kind_for(given.question).stores_options
