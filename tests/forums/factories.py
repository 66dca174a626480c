import factory

from diagnostics.models import GroupMembership, StudyGroup
from forums.models import Forum
from forums.services import post_create, topic_create
from tests.diagnostics.factories import LevelFactory, RoundFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    title = factory.Sequence(lambda n: f"Forum {n}")
    kind = Forum.Kind.GENERAL


def study_group(*, members=(), mentor=None, school=None) -> StudyGroup:
    round_ = RoundFactory()
    group = StudyGroup.objects.create(
        round=round_, school=school, level=LevelFactory(), name="Group A", bucket="b"
    )
    for teacher in members:
        GroupMembership.objects.create(round=round_, group=group, teacher=teacher)
    if mentor is not None:
        GroupMembership.objects.create(round=round_, group=group, teacher=mentor, is_mentor=True)
    return group


def group_forum(group) -> Forum:
    return Forum.objects.create(kind=Forum.Kind.GROUP, title="Group forum", study_group=group)


def topic(forum, author, title="A question", body="How do I start?"):
    return topic_create(forum=forum, author=author, title=title, body=body, language="kk")


def reply(topic_, author, body="An answer"):
    return post_create(topic=topic_, author=author, body=body, language="kk")
