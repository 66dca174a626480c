import io

from django.core.management import call_command

from forums.models import Forum, RoundTable, Topic


def test_seed_demo_adds_forums_a_qa_answer_and_round_tables_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert Forum.objects.filter(title="Сұрақ-жауап").count() == 1
    assert Topic.objects.filter(accepted_post__isnull=False).exists()
    assert RoundTable.objects.filter(outcomes__gt="").count() == 1
    assert RoundTable.objects.upcoming().exists()
