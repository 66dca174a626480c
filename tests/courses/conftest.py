import pytest

from tests.diagnostics.factories import AreaFactory, FrameworkFactory, LevelFactory
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
