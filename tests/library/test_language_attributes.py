"""A resource's own words carry its language (lang), so a screen reader reads a Russian title
on a Kazakh page in Russian; words in the page's language do not."""

import re

from django.urls import reverse

from library.models import Resource
from tests.library.factories import BookmarkFactory, ResourceFactory


def test_shelf_on_the_dashboard_marks_each_title_with_its_language(client, teacher):
    BookmarkFactory(user=teacher, resource=ResourceFactory(title="Цифровая школа", language="ru"))
    client.force_login(teacher)
    html = client.get(reverse("dashboard"), headers={"accept-language": "kk"}).content.decode()
    assert re.search(r'lang="ru"[^>]*>Цифровая школа<', html)


def test_replaced_act_title_carries_its_language(client, teacher):
    new_act = ResourceFactory(kind=Resource.Kind.NORMATIVE_ACT, title="Жаңа бұйрық", language="kk")
    ResourceFactory(
        kind=Resource.Kind.NORMATIVE_ACT, title="Старый приказ", language="ru", replaced_by=new_act
    )
    client.force_login(teacher)
    page = client.get(
        reverse("library:resource", args=[new_act.pk]), headers={"accept-language": "kk"}
    )
    assert re.search(r'lang="ru"[^>]*>Старый приказ<', page.content.decode())
