import pytest

from diagnostics.demo import ready_instrument
from tests.courses.factories import READY
from tests.diagnostics.factories import AreaFactory, FrameworkFactory, LevelFactory
from tests.library.factories import ResourceFactory
from tests.lms.factories import TeacherFactory


@pytest.fixture
def framework(db):
    return FrameworkFactory()


@pytest.fixture
def levels(framework):
    """Basic, Intermediate, Advanced of one framework."""
    return [
        LevelFactory(framework=framework, position=i + 1, name_en=name, code=name.lower())
        for i, name in enumerate(["Basic", "Intermediate", "Advanced"])
    ]


@pytest.fixture
def areas(framework):
    return [
        AreaFactory(framework=framework, position=i + 1, name_en=name)
        for i, name in enumerate(["Documents", "Internet", "Web authoring"])
    ]


@pytest.fixture
def teacher(school):
    """The owner, reading in English so tests can match the words of the pages."""
    return TeacherFactory(school=school, preferred_language="en")


@pytest.fixture
def ready_world(db):
    """What the ready course file needs where it is imported: its framework and the library
    resources its lessons link to."""
    ready_instrument()
    titles = {t for m in READY["modules"] for lesson in m["lessons"] for t in lesson["library"]}
    for title in sorted(titles):
        ResourceFactory(title=title)
