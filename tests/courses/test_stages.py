from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from courses.portfolio.growth import growth_series, scored_responses
from courses.portfolio.models import PortfolioProfile, Stage, StageRule
from courses.portfolio.page import portfolio_build, stage_of
from courses.portfolio.sections import CREATIVE_WORK, PortfolioItem, PortfolioSection
from courses.portfolio.services import directory_choice_set, stages_refresh
from courses.portfolio.stages import COURSE, LEVEL, Event, read_stage, rule_in_words
from tests.courses.portfolio_history import diagnosis, history
from tests.diagnostics.factories import InstrumentFactory
from tests.lms.factories import TeacherFactory

DAY = timedelta(days=1)


def test_default_ladder_moves_with_level_and_courses(teacher, levels, areas):
    # The fixture has three levels: rank 3 is the top here; the default ladder asks rank 4 for
    # the creative stage, so this teacher climbs to free mastery.
    assert stage_of(teacher).stage == Stage.ADAPTATION
    history(teacher, levels=levels, areas=areas, rounds=2, courses=1)
    assert stage_of(teacher).stage == Stage.SELF_ACTUALISATION  # rank 2, a course
    history(teacher, levels=levels, areas=areas, rounds=3, courses=1)
    assert stage_of(teacher).stage == Stage.FREE_MASTERY  # rank 3, two courses


def test_rules_are_tried_in_order_and_the_first_that_holds_wins(db):
    StageRule.objects.all().delete()
    StageRule.objects.create(position=1, stage=Stage.FREE_MASTERY, min_courses=1)
    StageRule.objects.create(position=2, stage=Stage.CREATIVE, min_courses=1)
    now = timezone.now()
    reading = read_stage([Event(now, COURSE, "A course")], list(StageRule.objects.all()))
    assert reading.stage == Stage.FREE_MASTERY
    StageRule.objects.filter(position=2).update(position=0)
    reading = read_stage([Event(now, COURSE, "A course")], list(StageRule.objects.all()))
    assert reading.stage == Stage.CREATIVE


def test_trajectory_marks_the_events_that_moved_the_stage(db):
    rules = list(StageRule.objects.all())
    start = timezone.now() - 300 * DAY
    events = [
        Event(start, LEVEL, "Spring round", level_rank=1),
        Event(start + 30 * DAY, COURSE, "Documents"),
        Event(start + 60 * DAY, LEVEL, "Autumn round", level_rank=2),
        Event(start + 90 * DAY, COURSE, "Internet"),
        Event(start + 120 * DAY, LEVEL, "Next spring", level_rank=3),
    ]
    points = read_stage(events, rules).trajectory
    assert [(p.label, p.stage, p.changed) for p in points] == [
        ("Spring round", Stage.ADAPTATION, False),
        ("Documents", Stage.ADAPTATION, False),
        ("Autumn round", Stage.SELF_ACTUALISATION, True),
        ("Internet", Stage.SELF_ACTUALISATION, False),
        ("Next spring", Stage.FREE_MASTERY, True),
    ]


def test_rules_read_in_words(db):
    rule = StageRule(
        position=1, stage=Stage.CREATIVE, min_level_rank=4, min_courses=2, min_creative_works=1
    )
    with translation.override("en"):  # not whatever language an earlier test left active
        words = rule_in_words(rule)
    assert words == (
        "Creative level: overall level of rank 4 or higher, 2 courses completed, "
        "1 creative work accepted"
    )


def test_another_apps_section_shows_and_counts_towards_the_stage(
    monkeypatch, teacher, levels, areas
):
    top = levels[-1]
    top.position = 4
    top.save()
    history(teacher, levels=levels, areas=areas, rounds=3, courses=2)
    when = timezone.now()

    def portfolio_sections(user, viewer):
        return [
            PortfolioSection(
                key="accepted_works",
                title="Accepted works",
                items=[PortfolioItem("My lesson plan", when, counts_as=(CREATIVE_WORK,))],
            )
        ]

    monkeypatch.setattr(
        apps.get_app_config("library"), "portfolio_sections", portfolio_sections, raising=False
    )
    portfolio = portfolio_build(teacher=teacher, viewer=teacher)
    assert portfolio.stage.stage == Stage.CREATIVE
    assert portfolio.stage.standing.creative_works == 1
    assert [s.key for s in portfolio.visible_sections] == ["works", "accepted_works"]
    assert ("accepted_works", "Accepted works") in portfolio.section_choices()


def test_a_one_argument_hook_of_dicts_still_shows(monkeypatch, teacher):
    monkeypatch.setattr(
        apps.get_app_config("library"),
        "portfolio_sections",
        lambda user: [{"title": "Round table on wikis", "date": timezone.now(), "url": "/x/"}],
        raising=False,
    )
    sections = {s.key: s for s in portfolio_build(teacher=teacher, viewer=None).sections}
    assert sections["library"].items[0].title == "Round table on wikis"


def test_growth_compares_only_rounds_of_one_instrument_line(teacher, levels, areas, framework):
    survey_v1 = InstrumentFactory(framework=framework, code="survey", version=1)
    survey_v2 = InstrumentFactory(framework=framework, code="survey", version=2)
    test = InstrumentFactory(framework=framework, code="test")
    kwargs = {"level": levels[0], "areas": areas}
    diagnosis(teacher, instrument=survey_v1, percents=[20, 30, 40], days_ago=300, **kwargs)
    diagnosis(teacher, instrument=test, percents=[90, 90, 90], days_ago=200, **kwargs)
    diagnosis(teacher, instrument=survey_v2, percents=[35, 30, 50], days_ago=100, **kwargs)
    series = growth_series(scored_responses(teacher))
    by_title = {s.title: s for s in series}
    survey = by_title[survey_v2.title]
    assert len(survey.rows) == 2  # the versions join, the test stays apart
    assert [str(c) for c in survey.change] == ["15.0", "0.0", "10.0"]
    assert len(by_title[test.title].rows) == 1
    assert by_title[test.title].change == [None, None, None]


def _creative(teacher, levels, areas):
    PortfolioProfile.objects.update_or_create(user=teacher, defaults={"stage": Stage.CREATIVE})
    history(teacher, levels=levels, areas=areas, rounds=3, courses=0)


def test_directory_finds_creative_teachers_in_an_area_within_the_readers_reach(
    client, school, other_school, head, other_head, methodist, levels, areas
):
    StageRule.objects.filter(stage=Stage.CREATIVE).update(min_level_rank=3)
    ours = TeacherFactory(school=school, full_name="Әсел Ғабитова")
    theirs = TeacherFactory(school=other_school, full_name="Айгүл Өмүрбекова")
    hidden = TeacherFactory(school=school, full_name="Opted Out")
    for teacher in (ours, theirs, hidden):
        _creative(teacher, levels, areas)
    directory_choice_set(user=hidden, in_directory=False)
    not_creative = TeacherFactory(school=school, full_name="Still Adapting")
    history(not_creative, levels=levels, areas=areas, rounds=3, courses=0)

    url = reverse("portfolio:directory")
    client.force_login(methodist)
    page = client.get(url, {"area": areas[0].pk}).content.decode()
    assert "Әсел Ғабитова" in page and "Айгүл Өмүрбекова" in page
    assert "Opted Out" not in page and "Still Adapting" not in page
    client.force_login(head)
    page = client.get(url).content.decode()
    assert "Әсел Ғабитова" in page and "Айгүл Өмүрбекова" not in page
    client.force_login(other_head)
    assert "Әсел Ғабитова" not in client.get(url).content.decode()
    client.force_login(ours)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_directory_reads_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, school, methodist, levels, areas
):
    for _ in range(8):
        _creative(TeacherFactory(school=school), levels, areas)
    client.force_login(methodist)
    # session, user (+ unread count), the teachers with their area result, the creative
    # rules' level, the levels named, the area choices of the filter form.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("portfolio:directory"), {"area": areas[0].pk}).status_code == 200


def test_stages_refresh_stores_the_stage_and_a_certificate_refreshes_it(
    teacher, levels, areas, django_capture_on_commit_callbacks
):
    history(teacher, levels=levels, areas=areas, rounds=3, courses=0)
    assert stages_refresh(user_ids=[teacher.pk]) == 1
    assert PortfolioProfile.objects.get(user=teacher).stage == Stage.SELF_ACTUALISATION
    with django_capture_on_commit_callbacks(execute=True):
        history(teacher, levels=levels, areas=areas, rounds=0, courses=2)
    assert PortfolioProfile.objects.get(user=teacher).stage == Stage.FREE_MASTERY


def test_methodist_reads_the_rules_in_words_in_the_admin(client, methodist):
    client.force_login(methodist)
    page = client.get(reverse("admin:courses_stagerule_changelist")).content.decode()
    assert "courses completed" in page
