import pytest
from django.db import connection

from tests.cache import clear_test_cache
from tests.diagnostics.factories import AreaFactory, FrameworkFactory, LevelFactory
from tests.lms.factories import TeacherFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (stemming, trigrams): set DATABASE_URL to PostgreSQL",
)


@pytest.fixture(autouse=True)
def library_media(settings, tmp_path):
    """Uploads go to a temporary MEDIA_ROOT, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    # Cached browse counts must not leak from one test's library into the next.
    clear_test_cache()
    yield
    clear_test_cache()


@pytest.fixture
def framework(db):
    return FrameworkFactory()


@pytest.fixture
def areas(framework):
    return [
        AreaFactory(framework=framework, code=code, name_en=name, position=position)
        for position, (code, name) in enumerate(
            [("docs", "Documents"), ("net", "Internet"), ("pedagogy", "Pedagogy")], start=1
        )
    ]


@pytest.fixture
def levels(framework):
    return [
        LevelFactory(framework=framework, code=code, name_en=name, position=position)
        for position, (code, name) in enumerate([("low", "Starting"), ("high", "Leading")], 1)
    ]


@pytest.fixture
def other_teacher(other_school):
    return TeacherFactory(school=other_school)
