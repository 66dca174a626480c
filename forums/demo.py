"""Demo forums: a general and a Q&A forum with an accepted answer, an exchange forum, and two
round tables (one upcoming, one past with its minutes). Run again, it adds nothing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from forums.models import Forum, Post, Registration, RoundTable, Topic
from forums.round_tables.services import round_table_schedule
from forums.services import post_create, topic_accept_answer, topic_create
from lms.models import User


def _post(**kwargs):
    # Demo authors post many times in a row: the rate limit is for people.
    if "topic" in kwargs:
        return post_create(rate_limited=False, **kwargs)
    return topic_create(rate_limited=False, **kwargs)


@transaction.atomic
def seed_forums_demo() -> list[str]:
    if Forum.objects.filter(title="Жалпы талқылау").exists():
        return []
    methodist = User.objects.filter(email="methodist@demo.ustaz.kz").first()
    teachers = list(User.objects.filter(email__startswith="teacher1.").order_by("email")[:4])
    if methodist is None or len(teachers) < 4:
        return []
    general = Forum.objects.create(title="Жалпы талқылау", kind=Forum.Kind.GENERAL, position=10)
    qa = Forum.objects.create(
        title="Сұрақ-жауап", kind=Forum.Kind.QA, position=20, qa_post_first=False
    )
    Forum.objects.create(title="Тәжірибе алмасу", kind=Forum.Kind.EXCHANGE, position=30)
    welcome = _post(
        forum=general,
        author=methodist,
        title="Қош келдіңіздер!",
        body="Әріптестер, осында сабақтағы цифрлық құралдар туралы тәжірибе бөлісейік.",
        language="kk",
    )
    _post(
        topic=welcome, author=teachers[0], body="Рахмет! Мен **Padlet** қолданамын.", language="kk"
    )
    question = _post(
        forum=qa,
        author=teachers[1],
        title="Онлайн тестті қалай жасауға болады?",
        body="Сыныпқа қысқа тест керек. Қай құрал ыңғайлы?",
        language="kk",
    )
    _post(topic=question, author=teachers[2], body="Google Forms жеткілікті.", language="kk")
    best = _post(
        topic=question,
        author=teachers[3],
        body="Ustaz кітапханасындағы нұсқаулықты қараңыз: тест құрудың қадамдары бар.",
        language="kk",
    )
    topic_accept_answer(topic=question, post=best, user=teachers[1])
    now = timezone.now()
    upcoming = round_table_schedule(
        round_table=RoundTable(
            forum=general,
            title="Цифрлық сабақ: тәжірибе мен қиындықтар",
            starts_at=now + timedelta(days=7),
            agenda="1. Қысқа баяндамалар\n2. Сұрақтар\n3. Қорытынды",
            capacity=30,
            meeting_url="https://meet.example.org/ustaz-demo",
        ),
        author=methodist,
    )
    upcoming.speakers.set([teachers[0]])
    past = round_table_schedule(
        round_table=RoundTable(
            forum=general,
            title="Қашықтан оқыту: бірінші кездесу",
            starts_at=now - timedelta(days=14),
            capacity=20,
        ),
        author=methodist,
    )
    for teacher in teachers:
        Registration.objects.create(
            round_table=past, user=teacher, status=Registration.Status.REGISTERED, attended=True
        )
    minutes = "Хаттама: әр мектеп бір цифрлық құралды таңдап, келесі кездесуде нәтижесін айтады."
    past.outcomes = minutes
    past.save(update_fields=["outcomes"])
    _post(topic=past.topic, author=methodist, body=minutes, language="kk")
    topics, posts = Topic.objects.count(), Post.objects.count()
    return [f"Forums: 3 forums, {topics} topics, {posts} posts, 2 round tables added."]
