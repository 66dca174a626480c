"""The operators' commands: import_instrument, export_instrument and import_gift."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from diagnostics.models import Instrument
from tests.diagnostics.factories import AreaFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "diagnostics" / "fixtures" / "ict_readiness.json"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_file(path) -> Instrument:
    out, _err = run("import_instrument", str(path))
    return Instrument.objects.get(pk=int(out.split()[2].rstrip(",")))


def test_round_trip_export_import_export_gives_the_same_file(tmp_path):
    first = import_file(FIXTURE)
    exported, _err = run("export_instrument", str(first.pk))
    path = tmp_path / "exported.json"
    path.write_text(exported, encoding="utf-8")

    second = import_file(path)
    again, _err = run("export_instrument", str(second.pk))

    assert (first.code, first.version, second.code, second.version) == (
        "ict-readiness",
        1,
        "ict-readiness",
        2,
    )
    assert json.loads(again) == json.loads(exported)
    assert "Білім" in exported  # UTF-8 as is, not \\u escapes
    assert exported.startswith('{\n  "format": "ustaz.instrument/1"')


def test_import_prints_the_id_and_version(tmp_path):
    out, err = run("import_instrument", str(FIXTURE))

    instrument = Instrument.objects.get()
    assert out.strip() == f"Imported instrument {instrument.pk}, version 1."
    assert err == ""  # the ready-made thresholds have no problem


def test_import_reports_bad_json_with_its_position(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "ustaz.instrument/1",\n "framework": }', encoding="utf-8")

    with pytest.raises(
        CommandError, match=r"is not valid JSON: line 2, column 15: Expecting value"
    ):
        run("import_instrument", str(path))


def test_import_lists_every_problem_of_the_file(tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    questions = data["instrument"]["questions"]
    questions[0]["kind"] = "essay"
    questions[1]["area"] = "astronomy"
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CommandError) as raised:
        run("import_instrument", str(path))

    message = str(raised.value)
    assert message.startswith("The file does not describe an instrument:")
    assert "unknown kind “essay”" in message
    assert "unknown area “astronomy”" in message
    assert not Instrument.objects.exists()


def test_import_refuses_a_file_of_another_format(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"format": "moodle"}', encoding="utf-8")

    with pytest.raises(CommandError, match="This is not an Ustaz instrument file"):
        run("import_instrument", str(path))


def test_export_of_an_unknown_instrument_fails_clearly():
    with pytest.raises(CommandError, match="There is no instrument 999."):
        run("export_instrument", "999")


# --- import_gift --------------------------------------------------------------------------------


@pytest.fixture
def instrument():
    instrument = InstrumentFactory(status=Instrument.Status.DRAFT)
    AreaFactory(framework=instrument.framework, code="digital_skills")
    return instrument


def gift_file(tmp_path, source: str) -> str:
    path = tmp_path / "questions.gift"
    path.write_text(source, encoding="utf-8")
    return str(path)


def test_import_gift_adds_questions_in_the_given_language_area_and_part(tmp_path, instrument):
    path = gift_file(tmp_path, "::q1:: Компьютер қосылды ма? {T}\n\n::q2:: 2+2? {#4}\n")

    out, _err = run(
        "import_gift",
        path,
        "--instrument",
        str(instrument.pk),
        "--area",
        "digital_skills",
        "--part",
        "self_assessment",
        "--language",
        "kk",
    )

    assert out.strip() == f"Imported 2 questions into instrument {instrument.pk} (version 1)."
    q1, q2 = instrument.questions.order_by("position")
    assert (q1.text_kk, q1.text_en, q1.part, q1.area.code) == (
        "Компьютер қосылды ма?",
        None,
        "self_assessment",
        "digital_skills",
    )
    assert q2.choices.get().value == 4


def test_import_gift_lists_every_bad_line_and_imports_nothing(tmp_path, instrument):
    path = gift_file(tmp_path, "::ok:: Fine? {T}\n\n::a:: {=x}\n\n::b:: What? {=1 =2\n")

    with pytest.raises(CommandError) as raised:
        run("import_gift", path, "--instrument", str(instrument.pk), "--area", "digital_skills")

    lines = str(raised.value).splitlines()
    assert lines[0] == "Nothing was imported:"
    assert [line.split(":")[0] for line in lines[1:]] == ["Line 3", "Line 5"]
    assert not instrument.questions.exists()


def test_import_gift_names_the_areas_when_the_code_is_unknown(tmp_path, instrument):
    path = gift_file(tmp_path, "::ok:: Fine? {T}\n")

    with pytest.raises(CommandError, match="its areas are: digital_skills"):
        run("import_gift", path, "--instrument", str(instrument.pk), "--area", "maths")


def test_import_gift_needs_an_area_source(tmp_path, instrument):
    path = gift_file(tmp_path, "::ok:: Fine? {T}\n")

    with pytest.raises(CommandError, match="Give --area"):
        run("import_gift", path, "--instrument", str(instrument.pk))
