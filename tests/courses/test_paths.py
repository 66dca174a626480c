from datetime import timedelta

from django.utils import timezone

from courses.models import LearningPathEntry
from courses.paths import learning_path_build, learning_path_for, stale_learning_paths_refresh
from courses.services import lesson_mark_done
from tests.courses.factories import CourseFactory, course_with_lessons, scored_diagnosis


def titles(entries):
    return [entry.course.title_en for entry in entries]


def test_path_starts_with_the_weakest_area_at_the_teachers_level(teacher, areas, levels):
    basic, intermediate, _advanced = levels
    documents, internet, _web = areas
    CourseFactory(title_en="Internet basics", areas=[internet], levels=[basic])
    CourseFactory(title_en="Internet advanced", areas=[internet], levels=[levels[2]])
    CourseFactory(title_en="Documents for all", areas=[documents])
    scored_diagnosis(
        teacher,
        level=basic,
        area_levels={documents: intermediate, internet: basic},
        percents={documents: 70, internet: 20},
    )
    entries = learning_path_build(teacher=teacher)
    assert titles(entries) == ["Internet basics", "Documents for all"]
    assert entries[0].reason == LearningPathEntry.Reason.WEAKEST_AREA
    assert entries[0].area == internet


def test_path_skips_completed_courses_and_unpublished_ones(teacher, areas, levels):
    done, lessons = course_with_lessons(lessons=1, title_en="Done already", areas=[areas[0]])
    CourseFactory(title_en="Draft", areas=[areas[0]], published=False)
    CourseFactory(title_en="Next", areas=[areas[0]])
    lesson_mark_done(user=teacher, lesson=lessons[0])
    scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]})
    assert titles(learning_path_build(teacher=teacher)) == ["Next"]


def test_a_new_round_updates_the_path(teacher, areas, levels):
    documents, internet, _web = areas
    CourseFactory(title_en="Documents", areas=[documents])
    CourseFactory(title_en="Internet", areas=[internet])
    first = scored_diagnosis(
        teacher,
        level=levels[0],
        area_levels={documents: levels[0], internet: levels[1]},
        percents={documents: 10, internet: 60},
    )
    assert titles(learning_path_for(teacher)) == ["Documents", "Internet"]

    second = scored_diagnosis(
        teacher,
        level=levels[1],
        area_levels={documents: levels[2], internet: levels[0]},
        percents={documents: 90, internet: 15},
    )
    second.scored_at = first.scored_at + timedelta(days=90)
    second.save()
    assert stale_learning_paths_refresh() == 1
    entries = list(LearningPathEntry.objects.for_user(teacher))
    assert titles(entries) == ["Internet", "Documents"]
    assert entries[0].response == second
    assert stale_learning_paths_refresh() == 0  # nothing newer: nothing rebuilt


def test_reading_a_stale_path_rebuilds_it(teacher, areas, levels):
    CourseFactory(title_en="Documents", areas=[areas[0]])
    assert learning_path_for(teacher) == []
    scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]})
    assert titles(learning_path_for(teacher)) == ["Documents"]
    assert LearningPathEntry.objects.get().built_at <= timezone.now()


def test_scoring_task_refreshes_paths_through_the_courses_hook(teacher, areas, levels):
    from diagnostics.tasks import score_waiting_responses

    CourseFactory(title_en="Documents", areas=[areas[0]])
    scored_diagnosis(teacher, level=levels[0], area_levels={areas[0]: levels[0]})
    assert not LearningPathEntry.objects.exists()
    score_waiting_responses.delay()  # diagnostics knows nothing of courses
    assert titles(LearningPathEntry.objects.for_user(teacher)) == ["Documents"]
