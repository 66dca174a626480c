import io

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from diagnostics.models import AreaScore, Instrument, Response, Round
from lms.demo import DEMO_PASSWORD
from lms.models import School, User


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (School, User, Instrument, Round, Response, AreaScore)
    }


def test_seed_demo_creates_the_region_and_running_it_again_changes_nothing(db):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    first = counts()
    assert first["School"] == 2
    assert User.objects.filter(role="teacher").count() == 60
    assert User.objects.filter(role="school_head").count() == 2
    assert first["Round"] == 2
    assert Response.objects.filter(status="scored").count() == first["Response"] > 100
    assert DEMO_PASSWORD in output.getvalue()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first


def test_printed_demo_logins_sign_in(db):
    call_command("seed_demo", stdout=io.StringIO())
    request = RequestFactory().post("/accounts/login/")
    for email in (
        "admin@demo.ustaz.kz",
        "methodist@demo.ustaz.kz",
        "head1@demo.ustaz.kz",
        "teacher1.01@demo.ustaz.kz",
    ):
        assert authenticate(request, username=email, password=DEMO_PASSWORD) is not None, email
