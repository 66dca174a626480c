import io

from django.core.management import call_command

from courses.models import Certificate, PortfolioProfile, Reflection, ShareLink, Stage


def portfolio_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Certificate, Reflection, ShareLink, PortfolioProfile)
    }


def test_seed_demo_gives_demo_teachers_certificates_reflections_and_stages(db):
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    first = portfolio_counts()
    assert first["Certificate"] >= 9  # three teachers completed all three demo courses
    assert first["Reflection"] >= 6
    assert first["ShareLink"] == 1
    stages = set(PortfolioProfile.objects.values_list("stage", flat=True))
    assert Stage.CREATIVE in stages and Stage.ADAPTATION in stages
    assert "Portfolio:" in output.getvalue()
    call_command("seed_demo", stdout=io.StringIO())
    assert portfolio_counts() == first
