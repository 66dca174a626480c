import shutil
import subprocess
import sys
from pathlib import Path

import django
import polib
import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED_LANGUAGES = ("kk", "ru", "ky")
SOURCES = ("manage.py", "lms", "diagnostics", "courses", "library", "forums", "templates")
# The project's catalogue, and an app's own where the app keeps one (makemessages puts the
# strings of files under an app with a locale/ folder there).
CATALOGUES = ("locale", *(f"{app}/locale" for app in SOURCES if (ROOT / app / "locale").is_dir()))


def catalogue(language: str, where: str = "locale", root: Path = ROOT) -> polib.POFile:
    return polib.pofile(str(root / where / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("where", CATALOGUES)
@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_no_message_is_untranslated_or_fuzzy(language, where):
    po = catalogue(language, where)
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("where", CATALOGUES)
@pytest.mark.parametrize("language", (*TRANSLATED_LANGUAGES, "en"))
def test_compiled_catalogue_matches_its_source(language, where):
    po = catalogue(language, where)
    mo = polib.mofile(str(ROOT / where / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    source = {
        (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    }
    assert source <= compiled, "run `make messages` and commit the .mo files"


def test_catalogue_holds_every_string_marked_in_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            # Without the committed catalogues, so that only the extraction is compared.
            skipped = shutil.ignore_patterns("__pycache__", "*.po", "*.mo")
            shutil.copytree(source, tmp_path / name, ignore=skipped)
        else:
            shutil.copy(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-location"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for where in CATALOGUES:
        extracted = {e.msgid for e in catalogue("ru", where, root=tmp_path)}
        committed = {e.msgid for e in catalogue("ru", where)}
        missing = sorted(extracted - committed)
        assert missing == [], f"run `make messages` and translate the new strings of {where}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_dashboard_renders_in_the_chosen_language(client, teacher, language):
    client.force_login(teacher)
    response = client.get(reverse("dashboard"), headers={"accept-language": language})
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        for source in ("Sign out", "Your profile", "Edit profile"):
            translated = translation.gettext(source)
            assert translated != source
            assert translated in html
    assert "Sign out" not in html


def test_default_language_is_kazakh(client, teacher):
    client.force_login(teacher)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="kk">' in html


# --- Ustaz's supplement to Django's own Kazakh and Kyrgyz catalogues -------------------------

SUPPLEMENT = "lms/catalogues/django"
SUPPLEMENTED_LANGUAGES = ("kk", "ky")
DOMAINS = ("django", "djangojs")
# Django's catalogues whose strings a user meets: form and model errors, the admin, sign-in and
# passwords, content types (admin history). Russian is the reference: it is complete.
DJANGO_CATALOGUES = (
    "conf/locale",
    "contrib/admin/locale",
    "contrib/auth/locale",
    "contrib/contenttypes/locale",
)


def _translated(po: polib.POFile) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po.translated_entries()}


def test_supplement_comes_first_in_locale_paths(settings):
    # The first of LOCALE_PATHS wins over the later ones and over Django's own catalogues.
    assert Path(settings.LOCALE_PATHS[0]) == ROOT / SUPPLEMENT


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", SUPPLEMENTED_LANGUAGES)
def test_supplement_has_no_untranslated_or_fuzzy_entry(language, domain):
    po = polib.pofile(str(ROOT / SUPPLEMENT / language / "LC_MESSAGES" / f"{domain}.po"))
    assert len(po) > 0
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(ROOT / SUPPLEMENT / language / "LC_MESSAGES" / f"{domain}.mo"))
    compiled = {(e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    source = {
        (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    assert source <= compiled, "run `make messages` and commit the .mo files"


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", SUPPLEMENTED_LANGUAGES)
def test_every_django_string_a_user_meets_is_translated(language, domain):
    """Whatever Django's Russian catalogue translates, Kazakh and Kyrgyz translate too: in
    Django's own catalogue, in Ustaz's supplement or in Ustaz's catalogue (which wins)."""
    django_root = Path(django.__file__).parent
    covered = _translated(
        polib.pofile(str(ROOT / SUPPLEMENT / language / "LC_MESSAGES" / f"{domain}.po"))
    )
    if domain == "django":
        for where in CATALOGUES:
            covered |= _translated(catalogue(language, where))
    missing = []
    for where in DJANGO_CATALOGUES:
        reference = django_root / where / "ru" / "LC_MESSAGES" / f"{domain}.po"
        if not reference.exists():
            continue
        own = django_root / where / language / "LC_MESSAGES" / f"{domain}.po"
        translated = covered | (_translated(polib.pofile(str(own))) if own.exists() else set())
        missing += [
            key for key in _translated(polib.pofile(str(reference))) if key not in translated
        ]
    assert missing == [], "translate these in lms/catalogues/django and run `make messages`"


@pytest.mark.parametrize("language", SUPPLEMENTED_LANGUAGES)
def test_supplement_overrides_djangos_catalogue(language):
    with translation.override(language):
        # Untranslated in Django 5.2's kk, and ky's reads "СезГичТүү".
        message = translation.gettext(
            "Please enter a correct %(username)s and password. Note that both fields may be "
            "case-sensitive."
        )
        assert message.startswith({"kk": "Дұрыс", "ky": "Туура"}[language])
        assert "СезГичТүү" not in message
        assert translation.gettext("The two password fields didn’t match.") != (
            "The two password fields didn’t match."
        )
