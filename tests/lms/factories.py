import factory
from django.contrib.auth.hashers import make_password

from lms.models import School, User
from lms.roles import Role

PASSWORD = "correct-horse-battery"
# Hashing once keeps factories fast; every factory user signs in with PASSWORD.
_PASSWORD_HASH = make_password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School No. {n}")
    code = factory.Sequence(lambda n: f"SCH-{n:05d}")
    region = "Almaty region"
    district = "Karasai district"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@school.example")
    full_name = factory.Sequence(lambda n: f"Teacher {n}")
    password = _PASSWORD_HASH
    role = Role.TEACHER
    school = factory.SubFactory(SchoolFactory)
    subject = "Mathematics"
    years_of_teaching = 5


class TeacherFactory(UserFactory):
    role = Role.TEACHER


class HeadFactory(UserFactory):
    role = Role.SCHOOL_HEAD


class MethodistFactory(UserFactory):
    role = Role.METHODIST
    school = None


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    school = None
