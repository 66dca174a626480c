import pytest

from tests.lms.factories import (
    AdministratorFactory,
    HeadFactory,
    MethodistFactory,
    SchoolFactory,
    TeacherFactory,
)


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.fixture
def other_school(db):
    return SchoolFactory()


@pytest.fixture
def teacher(school):
    return TeacherFactory(school=school)


@pytest.fixture
def head(school):
    return HeadFactory(school=school)


@pytest.fixture
def other_head(other_school):
    return HeadFactory(school=other_school)


@pytest.fixture
def methodist(db):
    return MethodistFactory()


@pytest.fixture
def administrator(db):
    return AdministratorFactory()
