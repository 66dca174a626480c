"""Methodists add resources in the admin; a bad file gets a clear message and nothing is lost."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from library.models import Resource
from library.search import Filters, search
from tests.library.factories import ResourceFactory, SubjectFactory, TagFactory
from tests.library.files import HTML_PAGE, SVG_IMAGE, pdf_bytes, png_bytes


@pytest.fixture(autouse=True)
def english(methodist):
    # The admin speaks the methodist's language; these tests read its English messages.
    methodist.preferred_language = "en"
    methodist.save(update_fields=["preferred_language"])
    with translation.override("en"):
        yield


def test_refusal_is_translated_for_a_kazakh_methodist(client, methodist):
    methodist.preferred_language = "kk"
    methodist.save(update_fields=["preferred_language"])
    client.force_login(methodist)
    response = add(client, file=SimpleUploadedFile("law.pdf", HTML_PAGE))
    assert "веб-бет" in response.context["adminform"].form.errors["file"][0]


def form_data(**extra):
    data = {
        "kind": "textbook",
        "title": "Informatics textbook, grade 7",
        "authors": "A. Author",
        "language": "en",
        "year": "2025",
        "published": "on",
        "external_url": "",
    }
    data.update(extra)
    return data


def add(client, **extra):
    return client.post(reverse("admin:library_resource_add"), form_data(**extra))


def test_methodist_uploads_a_pdf_and_its_text_becomes_searchable(
    client, methodist, teacher, django_capture_on_commit_callbacks
):
    client.force_login(methodist)
    upload = SimpleUploadedFile("Учебник.PDF", pdf_bytes("Binary numbers and algorithms"))
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, file=upload, cover=SimpleUploadedFile("c.png", png_bytes()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get()
    assert resource.file_type == "pdf"
    assert resource.file.name.startswith("library/files/") and resource.file.name.endswith(".pdf")
    assert "Учебник" not in resource.file.name
    assert resource.cover_type == "png"
    assert resource.created_by == methodist
    assert resource.published_at is not None
    assert resource.extraction == Resource.Extraction.DONE
    assert search(teacher, query="algorithms").total == 1


def test_html_page_named_pdf_is_refused_with_a_clear_message(client, methodist, library_media):
    client.force_login(methodist)
    response = add(client, file=SimpleUploadedFile("law.pdf", HTML_PAGE, "application/pdf"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "web page" in errors["file"][0]
    assert not Resource.objects.exists()
    assert not list(library_media.rglob("*.*"))
    # What the methodist typed is still in the form.
    assert response.context["adminform"].form["title"].value() == "Informatics textbook, grade 7"


def test_svg_cover_is_refused(client, methodist):
    client.force_login(methodist)
    response = add(
        client,
        file=SimpleUploadedFile("a.pdf", pdf_bytes("x")),
        cover=SimpleUploadedFile("cover.png", SVG_IMAGE),
    )
    assert "SVG" in response.context["adminform"].form.errors["cover"][0]


def test_resource_needs_a_file_or_an_address(client, methodist):
    client.force_login(methodist)
    response = add(client)
    assert "Attach a file or give an external address" in str(
        response.context["adminform"].form.non_field_errors()
    )


def test_only_an_act_is_repealed_and_never_by_itself(client, methodist):
    act = ResourceFactory(kind="normative_act")
    client.force_login(methodist)
    response = add(client, external_url="https://example.org", repealed_on="2026-01-01")
    assert "Only a normative act" in response.context["adminform"].form.errors["repealed_on"][0]
    response = client.post(
        reverse("admin:library_resource_change", args=[act.pk]),
        form_data(kind="normative_act", external_url="https://example.org", replaced_by=act.pk),
    )
    assert "cannot replace itself" in response.context["adminform"].form.errors["replaced_by"][0]


def test_teachers_cannot_open_the_admin(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("admin:library_resource_add"))
    assert response.status_code == 302


def test_methodist_opens_the_library_admin_pages(client, methodist):
    resource = ResourceFactory(kind="normative_act")
    client.force_login(methodist)
    for url in (
        reverse("admin:library_resource_changelist"),
        reverse("admin:library_resource_add"),
        reverse("admin:library_resource_change", args=[resource.pk]),
        reverse("admin:library_collection_add"),
        reverse("admin:library_subject_add"),
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("action", "published_before", "teacher_finds"),
    [("publish", False, True), ("unpublish", True, False)],
)
def test_publish_and_hide_actions_change_what_teachers_find(
    client, methodist, teacher, action, published_before, teacher_finds
):
    resource = ResourceFactory(
        title="Digital safety poster",
        published=published_before,
        published_at=timezone.now() if published_before else None,
    )
    client.force_login(methodist)
    response = client.post(
        reverse("admin:library_resource_changelist"),
        {"action": action, "_selected_action": [resource.pk]},
    )
    assert response.status_code == 302
    assert search(teacher, query="poster").total == int(teacher_finds)
    resource.refresh_from_db()
    assert resource.published is teacher_finds


def test_a_renamed_tag_is_searched_by_its_new_name(client, methodist, teacher):
    tag = TagFactory(name="medialiteracy")
    ResourceFactory(title="Poster", tags=[tag])
    client.force_login(methodist)
    response = client.post(
        reverse("admin:library_tag_change", args=[tag.pk]), {"name": "infohygiene"}
    )
    assert response.status_code == 302
    assert search(teacher, query="infohygiene").total == 1
    assert search(teacher, query="medialiteracy").total == 0


def test_a_deleted_subject_leaves_the_facets(client, methodist, teacher):
    physics = SubjectFactory(name_en="Physics")
    ResourceFactory(title="Lab guide", subjects=[physics])
    facet = next(f for f in search(teacher).facets if f.name == "subject")
    assert [option.label for option in facet.options] == ["Physics"]
    client.force_login(methodist)
    response = client.post(
        reverse("admin:library_subject_delete", args=[physics.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    results = search(teacher)
    assert results.total == 1
    assert not next(f for f in results.facets if f.name == "subject").options
    assert search(teacher, filters=Filters(subject=[physics.pk])).total == 0
