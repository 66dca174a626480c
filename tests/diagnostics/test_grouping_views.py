"""Group pages, the round's list of groups, dashboard panels and the methodists' admin tools."""

import pytest
from django.urls import reverse

from diagnostics.models import GroupingRun, GroupMembership, StudyGroup
from tests.diagnostics import grouping_helpers
from tests.diagnostics.admin_helpers import change_form_data, english_methodist
from tests.diagnostics.grouping_helpers import run_grouping, scored
from tests.lms.factories import HeadFactory, SchoolFactory, TeacherFactory

grouping_setup = grouping_helpers.grouping_setup


@pytest.fixture
def grouped(grouping_setup, school, teacher):
    """Two groups at the school (the teacher's and another), one at another school."""
    setup = grouping_setup
    scored(setup, level=setup.low, teacher=teacher, percent=20)
    for _ in range(3):
        scored(setup, level=setup.low, school=school, percent=25)
    for _ in range(3):
        scored(setup, level=setup.high, school=school, percent=90)
    elsewhere = SchoolFactory()
    setup.round.schools.add(elsewhere)
    for _ in range(2):
        scored(setup, level=setup.low, school=elsewhere, percent=30)
    run_grouping(setup.round, min_size=1)
    own = StudyGroup.objects.get(memberships__teacher=teacher)
    colleague = StudyGroup.objects.get(school=school, level=setup.high)
    foreign = StudyGroup.objects.get(school=elsewhere)
    return own, colleague, foreign


def in_english(user):
    """Pages in English for this user, whatever the catalogues translate."""
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return user


def page(client, user, group):
    in_english(user)
    client.force_login(user)
    return client.get(reverse("diagnostics:group", args=[group.pk]))


# --- who sees a group ------------------------------------------------------------------------


def test_teacher_sees_their_own_group_with_its_members(client, teacher, grouped):
    own, *_ = grouped
    response = page(client, teacher, own)
    assert response.status_code == 200
    names = {m.teacher.full_name for m in response.context["members"]}
    assert teacher.full_name in names and len(names) == 4
    assert "This is your study group" in response.content.decode()
    assert not response.context["show_scores"]


def test_teacher_cannot_see_a_colleagues_group(client, teacher, grouped):
    _own, colleague, foreign = grouped
    assert page(client, teacher, colleague).status_code == 404
    assert page(client, teacher, foreign).status_code == 404


def test_head_sees_their_schools_groups(client, head, grouped):
    own, colleague, _foreign = grouped
    assert page(client, head, own).status_code == 200
    assert page(client, head, colleague).status_code == 200


def test_head_cannot_see_another_schools_group(client, other_head, grouped):
    own, *_ = grouped
    assert page(client, other_head, own).status_code == 404


def test_methodist_sees_every_group_with_scores(client, methodist, grouped):
    _own, _colleague, foreign = grouped
    response = page(client, methodist, foreign)
    assert response.status_code == 200
    assert response.context["show_scores"]
    assert "30%" in response.content.decode()


def test_stranger_is_sent_to_sign_in(client, grouped):
    own, *_ = grouped
    response = client.get(reverse("diagnostics:group", args=[own.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_head_sees_a_district_group_that_holds_their_teachers(client, grouping_setup, school):
    neighbour = SchoolFactory(district=school.district, region=school.region)
    scored(grouping_setup, level=grouping_setup.low, school=school)
    scored(grouping_setup, level=grouping_setup.low, school=neighbour)
    run_grouping(grouping_setup.round, scope=GroupingRun.Scope.DISTRICT, min_size=1)
    group = StudyGroup.objects.get()
    assert page(client, HeadFactory(school=neighbour), group).status_code == 200
    assert page(client, HeadFactory(school=SchoolFactory()), group).status_code == 404


# --- what the page shows ---------------------------------------------------------------------


def test_group_page_shows_the_area_profile_as_a_table_and_chart(client, methodist, grouping_setup):
    setup = grouping_setup
    school = SchoolFactory()
    areas = [{setup.docs: 20, setup.net: 60}, {setup.docs: 40, setup.net: 80}]
    for values in areas:
        scored(setup, level=setup.low, school=school, areas=values)
    run_grouping(setup.round, min_size=1)
    response = page(client, methodist, StudyGroup.objects.get())
    profile = {row["area"].name: row for row in response.context["profile"]}
    assert profile["Documents"]["average"] == 30
    assert profile["Internet"]["lowest"] == 60 and profile["Internet"]["highest"] == 80
    html = response.content.decode()
    assert 'id="profile-table"' in html and 'id="group-radar-chart"' in html
    assert response.context["chart_data"]["values"] == [30.0, 70.0]
    assert "Courses and forum" in html
    assert "chart.js-4.6.1/chart.umd.min.js" in html


def test_mentor_is_marked_and_left_out_of_the_profile(client, methodist, grouping_setup):
    setup = grouping_setup
    school = SchoolFactory()
    scored(setup, level=setup.low, school=school, percent=20)
    for percent in (90, 95, 99):
        scored(setup, level=setup.high, school=school, percent=percent)
    run_grouping(setup.round, mentors=True, min_size=1)
    low = StudyGroup.objects.get(level=setup.low)
    response = page(client, methodist, low)
    assert [m.is_mentor for m in response.context["members"]] == [True, False]
    assert "Mentor" in response.content.decode()
    assert {row["average"] for row in response.context["profile"]} == {20.0}


def test_group_page_query_count_does_not_grow_with_the_group(
    client, methodist, grouping_setup, django_assert_num_queries
):
    setup = grouping_setup
    school = SchoolFactory()
    for _ in range(3):
        scored(setup, level=setup.low, school=school)
    run_grouping(setup.round, min_size=1)
    small = StudyGroup.objects.get()
    client.force_login(methodist)
    url = reverse("diagnostics:group", args=[small.pk])
    # session, user, the group with round/level/area/school/run, members with their teachers,
    # schools and responses' levels, the area averages (GROUP BY), the framework's areas,
    # the group's courses (the courses app's panel; the forums' link needs none)
    with django_assert_num_queries(7):
        client.get(url)
    for _ in range(15):
        scored(setup, level=setup.low, school=school)
    run_grouping(setup.round, min_size=1)
    large = StudyGroup.objects.get()
    assert large.memberships.count() == 18
    with django_assert_num_queries(7):
        client.get(reverse("diagnostics:group", args=[large.pk]))


# --- the list of a round's groups ------------------------------------------------------------


def groups_page(client, user, round_, **params):
    in_english(user)
    client.force_login(user)
    return client.get(reverse("diagnostics:groups", args=[round_.pk]), params)


def test_head_lists_only_their_schools_groups(client, head, grouped, grouping_setup):
    own, colleague, _foreign = grouped
    response = groups_page(client, head, grouping_setup.round)
    assert {g.pk for g in response.context["page"]} == {own.pk, colleague.pk}
    sizes = {g.pk: g.size for g in response.context["page"]}
    assert sizes == {own.pk: 4, colleague.pk: 3}


def test_teacher_lists_only_their_own_group(client, teacher, grouped, grouping_setup):
    own, *_ = grouped
    response = groups_page(client, teacher, grouping_setup.round)
    assert [g.pk for g in response.context["page"]] == [own.pk]


def test_methodist_lists_every_group_and_filters_by_school(
    client, methodist, grouped, grouping_setup
):
    _own, _colleague, foreign = grouped
    response = groups_page(client, methodist, grouping_setup.round)
    assert len(response.context["page"]) == 3
    assert response.context["last_run"].status == GroupingRun.Status.DONE
    response = groups_page(client, methodist, grouping_setup.round, school=foreign.school_id)
    assert [g.pk for g in response.context["page"]] == [foreign.pk]


def test_a_head_of_a_school_outside_the_round_gets_404(client, grouped, grouping_setup):
    outsider = HeadFactory(school=SchoolFactory(region="Elsewhere"))
    assert groups_page(client, outsider, grouping_setup.round).status_code == 404


def test_stranger_is_sent_to_sign_in_from_the_list(client, grouping_setup):
    response = client.get(reverse("diagnostics:groups", args=[grouping_setup.round.pk]))
    assert response.status_code == 302


def test_list_says_when_no_groups_are_made_yet(client, head, grouping_setup):
    response = groups_page(client, head, grouping_setup.round)
    assert "No study groups have been made" in response.content.decode()


def test_group_list_query_count_is_fixed(
    client, methodist, grouping_setup, django_assert_num_queries
):
    setup = grouping_setup

    def make_groups(count):
        for _ in range(count):
            school = SchoolFactory()
            for _ in range(2):
                scored(setup, level=setup.low, school=school)
        run_grouping(setup.round, min_size=1)

    make_groups(2)
    client.force_login(methodist)
    url = reverse("diagnostics:groups", args=[setup.round.pk])
    # session, user, round, count of groups, page of groups with sizes, last run with its author
    with django_assert_num_queries(6):
        client.get(url)
    make_groups(20)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"]) == 22


# --- dashboards ------------------------------------------------------------------------------


def test_teacher_dashboard_shows_their_study_group(client, teacher, grouped):
    own, *_ = grouped
    client.force_login(in_english(teacher))
    html = client.get(reverse("dashboard")).content.decode()
    assert "Your study group" in html
    assert own.get_absolute_url() in html


def test_head_dashboard_shows_the_schools_groups(client, head, grouped, grouping_setup):
    client.force_login(in_english(head))
    response = client.get(reverse("dashboard"))
    panel = next(p for p in response.context["panels"] if p.title == "Study groups")
    [row] = panel.context["rounds"]
    assert (row["groups"], row["teachers"]) == (2, 7)


def test_dashboards_without_groups_show_no_group_panel(client, teacher, head):
    for user in (teacher, head):
        client.force_login(in_english(user))
        titles = [p.title for p in client.get(reverse("dashboard")).context["panels"]]
        assert "Your study group" not in titles and "Study groups" not in titles


# --- admin -----------------------------------------------------------------------------------


def test_methodist_starts_a_run_from_the_admin(
    client, grouping_setup, school, django_capture_on_commit_callbacks
):
    for _ in range(23):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    methodist = english_methodist()
    client.force_login(methodist)
    url = reverse("admin:diagnostics_groupingrun_add")
    form = client.get(url, {"round": grouping_setup.round.pk})
    assert form.context["adminform"].form.initial["round"] == str(grouping_setup.round.pk)
    assert form.context["adminform"].form["min_size"].value() == 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "round": grouping_setup.round.pk,
                "scope": "school",
                "size_limit": 20,
                "min_size": 5,
                "strategy": "level",
                "mentors": "on",
            },
            follow=True,
        )
    assert response.status_code == 200
    run = GroupingRun.objects.get()
    assert run.started_by == methodist and run.mentors and not run.keep_language_together
    # The methodist lands on the preview: planned, nobody moved yet.
    assert response.redirect_chain[-1][0] == reverse(
        "admin:diagnostics_groupingrun_preview", args=[run.pk]
    )
    assert run.status == GroupingRun.Status.PLANNED
    assert not StudyGroup.objects.exists()
    assert "Nobody is moved until you read the preview" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:diagnostics_groupingrun_preview", args=[run.pk]), {"action": "confirm"}
        )
    run.refresh_from_db()
    assert run.status == GroupingRun.Status.DONE
    assert sorted(g.memberships.count() for g in StudyGroup.objects.all()) == [11, 12]


def test_admin_refuses_a_round_with_nobody_scored_and_a_tiny_limit(client, grouping_setup):
    client.force_login(english_methodist())
    response = client.post(
        reverse("admin:diagnostics_groupingrun_add"),
        {"round": grouping_setup.round.pk, "scope": "school", "size_limit": 1, "strategy": "level"},
    )
    errors = response.context["adminform"].form.errors
    assert "nobody to group" in errors["round"][0]
    assert "size_limit" in errors
    assert not GroupingRun.objects.exists()


def test_a_run_is_read_only_in_the_admin(client, grouping_setup, school):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    run = run_grouping(grouping_setup.round, min_size=1)
    client.force_login(english_methodist())
    response = client.get(reverse("admin:diagnostics_groupingrun_change", args=[run.pk]))
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields  # everything is read-only
    assert "Teachers placed" in response.content.decode()


def test_methodist_locks_a_group_and_a_rerun_keeps_it(client, grouping_setup, school):
    for index in range(30):
        scored(grouping_setup, level=grouping_setup.low, school=school, percent=index)
    run_grouping(grouping_setup.round)
    group = StudyGroup.objects.order_by("number").first()
    members = set(group.memberships.values_list("teacher_id", flat=True))
    client.force_login(english_methodist())
    client.post(
        reverse("admin:diagnostics_studygroup_changelist"),
        {"action": "lock", "_selected_action": [group.pk]},
    )
    group.refresh_from_db()
    assert group.locked
    run_grouping(grouping_setup.round, size_limit=5)
    assert set(group.memberships.values_list("teacher_id", flat=True)) == members


def test_methodist_moves_a_teacher_by_hand_and_a_rerun_keeps_it(client, grouping_setup, school):
    for index in range(30):
        scored(grouping_setup, level=grouping_setup.low, school=school, percent=index)
    run_grouping(grouping_setup.round)
    first, second = StudyGroup.objects.order_by("number")
    membership = first.memberships.first()
    client.force_login(english_methodist())
    url = reverse("admin:diagnostics_groupmembership_change", args=[membership.pk])
    data = change_form_data(client, url)
    data["group"] = second.pk
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.group == second and membership.placed_by_hand
    run_grouping(grouping_setup.round)
    assert GroupMembership.objects.get(pk=membership.pk).group_id == second.pk


def test_a_teacher_cannot_be_moved_to_another_rounds_or_schools_group(
    client, grouping_setup, school
):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    elsewhere = SchoolFactory(district="Talgar district")
    grouping_setup.round.schools.add(elsewhere)
    scored(grouping_setup, level=grouping_setup.low, school=elsewhere)
    run_grouping(grouping_setup.round, min_size=1)
    membership = GroupMembership.objects.get(teacher__school=school)
    foreign = StudyGroup.objects.get(school=elsewhere)
    client.force_login(english_methodist())
    url = reverse("admin:diagnostics_groupmembership_change", args=[membership.pk])
    data = change_form_data(client, url)
    data["group"] = foreign.pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "group" in response.context["adminform"].form.errors
    membership.refresh_from_db()
    assert membership.group.school == school and not membership.placed_by_hand


def test_teachers_and_heads_cannot_open_the_grouping_admin(client, teacher, head):
    for user in (teacher, head):
        client.force_login(user)
        response = client.get(reverse("admin:diagnostics_groupingrun_add"))
        assert response.status_code in (302, 403)


def test_a_new_teacher_scored_later_joins_on_rerun(grouping_setup, school):
    scored(grouping_setup, level=grouping_setup.low, school=school)
    run_grouping(grouping_setup.round, min_size=1)
    newcomer = TeacherFactory(school=school)
    scored(grouping_setup, level=grouping_setup.low, teacher=newcomer)
    run_grouping(grouping_setup.round, min_size=1)
    assert GroupMembership.objects.filter(teacher=newcomer).exists()


# --- demo ------------------------------------------------------------------------------------


def test_demo_rounds_are_grouped_once_and_a_demo_teacher_sees_their_group(db, client):
    import io

    from django.core.management import call_command

    from lms.models import User

    call_command("seed_demo", stdout=io.StringIO())
    runs = list(GroupingRun.objects.values_list("pk", "status"))
    groups = set(StudyGroup.objects.values_list("pk", flat=True))
    assert len(runs) == 2 and {status for _, status in runs} == {GroupingRun.Status.DONE}
    assert GroupMembership.objects.filter(is_mentor=True).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert list(GroupingRun.objects.values_list("pk", "status")) == runs
    assert set(StudyGroup.objects.values_list("pk", flat=True)) == groups
    teacher = User.objects.get(email="teacher1.02@demo.ustaz.kz")
    membership = GroupMembership.objects.filter(teacher=teacher).first()
    client.force_login(teacher)
    assert client.get(membership.group.get_absolute_url()).status_code == 200


def test_run_again_repeats_the_options_of_the_chosen_run(
    client, grouping_setup, school, django_capture_on_commit_callbacks
):
    for _ in range(5):
        scored(grouping_setup, level=grouping_setup.low, school=school)
    first = run_grouping(grouping_setup.round, size_limit=2, mentors=True, min_size=1)
    methodist = english_methodist()
    client.force_login(methodist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:diagnostics_groupingrun_changelist"),
            {"action": "run_again", "_selected_action": [first.pk]},
        )
    again = GroupingRun.objects.exclude(pk=first.pk).get()
    assert (again.size_limit, again.min_size, again.mentors, again.started_by) == (
        2,
        1,
        True,
        methodist,
    )
    assert again.status == GroupingRun.Status.PLANNED  # a preview first, as for a new run
    assert again.preview["totals"]["teachers_moved"] == 0  # same scores, same groups


def test_head_group_list_query_count_is_fixed(
    client, head, grouping_setup, school, django_assert_num_queries
):
    def add_teachers(count):
        for index in range(count):
            scored(grouping_setup, level=grouping_setup.low, school=school, percent=index)
        run_grouping(grouping_setup.round, size_limit=2, min_size=1)

    add_teachers(2)
    client.force_login(head)
    url = reverse("diagnostics:groups", args=[grouping_setup.round.pk])
    # session, user, the round (for the head's school), the head's school, count, page of groups
    with django_assert_num_queries(6):
        client.get(url)
    add_teachers(20)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"]) == 11


def test_grouping_admin_pages_open_for_a_methodist(client, grouping_setup, school):
    for percent in (10, 20, 90, 95, 99):
        scored(
            grouping_setup,
            level=grouping_setup.low if percent < 50 else grouping_setup.high,
            school=school,
            percent=percent,
        )
    run = run_grouping(grouping_setup.round, mentors=True, min_size=1)
    group = StudyGroup.objects.filter(level=grouping_setup.low).get()
    membership = group.memberships.first()
    client.force_login(english_methodist())
    pages = [
        reverse("admin:diagnostics_groupingrun_changelist"),
        reverse("admin:diagnostics_groupingrun_change", args=[run.pk]),
        reverse("admin:diagnostics_studygroup_changelist"),
        reverse("admin:diagnostics_studygroup_change", args=[group.pk]),
        reverse("admin:diagnostics_groupmembership_changelist"),
        reverse("admin:diagnostics_groupmembership_change", args=[membership.pk]),
        reverse("admin:diagnostics_round_change", args=[grouping_setup.round.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("admin:diagnostics_studygroup_change", args=[group.pk])).content
    assert b"Move to another group" in html
    round_form = client.get(pages[-1]).context["adminform"].form
    assert "regroup_automatically" in round_form.fields
