import io

from django.core.management import call_command
from django.urls import reverse

from library.models import Collection, Resource
from lms.models import User


def test_demo_library_is_seeded_once_and_its_repealed_act_points_to_the_new_one(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = (Resource.objects.count(), Collection.objects.count())
    assert first[0] >= 8 and first[1] == 2
    assert set(Resource.objects.values_list("language", flat=True)) == {"kk", "ru", "ky", "en"}
    call_command("seed_demo", stdout=io.StringIO())
    assert (Resource.objects.count(), Collection.objects.count()) == first

    old = Resource.objects.get(repealed_on__isnull=False)
    assert old.is_repealed and old.replaced_by is not None
    assert "[" in old.title  # made-up acts say they are demo data
    # Generated files were read into the index.
    assert Resource.objects.filter(extraction=Resource.Extraction.DONE).count() >= 4
    client.force_login(User.objects.get(email="teacher1.02@demo.ustaz.kz"))
    page = client.get(reverse("library:resource", args=[old.pk])).content.decode()
    assert reverse("library:resource", args=[old.replaced_by_id]) in page
