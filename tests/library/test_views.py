"""The library's pages: who may see what, files served safely, counters, fixed query counts."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from library.models import Bookmark, Collection, Resource
from tests.library.factories import (
    BookmarkFactory,
    CollectionFactory,
    CollectionItemFactory,
    ResourceFactory,
    SubjectFactory,
)
from tests.library.files import HTML_PAGE, pdf_bytes, png_bytes
from tests.lms.factories import TeacherFactory


@pytest.fixture
def published(db):
    return ResourceFactory(title="Published guide")


@pytest.fixture
def hidden(db):
    return ResourceFactory(title="Draft guide", published=False, published_at=None)


def with_file(resource: Resource, content: bytes, file_type: str) -> Resource:
    resource.file.save(f"x.{file_type}", ContentFile(content), save=False)
    resource.file_type = file_type
    resource.file_size = len(content)
    resource.external_url = ""
    resource.save()
    return resource


def login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- who may see a resource ---------------------------------------------------------------------

ID_VIEWS = ["library:resource", "library:file", "library:external", "library:cover"]


@pytest.mark.parametrize("name", ID_VIEWS)
def test_stranger_is_sent_to_sign_in(client, published, name):
    assert login_redirect(client.get(reverse(name, args=[published.pk])))


@pytest.mark.parametrize("name", ID_VIEWS)
def test_unpublished_resource_is_404_to_teachers_and_heads(
    client, hidden, teacher, other_head, name
):
    with_file(hidden, pdf_bytes("draft"), "pdf")
    for user in (teacher, other_head):
        client.force_login(user)
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404


def test_unpublished_resource_is_shown_to_methodists_with_a_warning(client, hidden, methodist):
    client.force_login(methodist)
    response = client.get(reverse("library:resource", args=[hidden.pk]))
    assert response.status_code == 200
    assert "Draft guide" in response.content.decode()


def test_teachers_of_every_school_read_published_resources(
    client, published, teacher, other_teacher
):
    for user in (teacher, other_teacher):
        client.force_login(user)
        assert client.get(reverse("library:resource", args=[published.pk])).status_code == 200


def test_unknown_id_is_404(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("library:resource", args=[999_999])).status_code == 404


# --- files ----------------------------------------------------------------------------------------


def test_file_is_an_attachment_with_nosniff_and_counts_the_download(client, published, teacher):
    with_file(published, pdf_bytes("Lesson"), "pdf")
    client.force_login(teacher)
    response = client.get(reverse("library:file", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="published-guide.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    published.refresh_from_db()
    assert published.download_count == 1


def test_only_a_pdf_may_open_inline(client, published, teacher):
    with_file(published, pdf_bytes("Lesson"), "pdf")
    client.force_login(teacher)
    response = client.get(reverse("library:file", args=[published.pk]) + "?open=1")
    assert response["Content-Disposition"].startswith("inline;")


def test_a_stored_html_file_is_never_served_as_html(client, published, teacher):
    # Even if an HTML file reached storage some other way, it leaves as a download.
    with_file(published, HTML_PAGE, "docx")
    client.force_login(teacher)
    response = client.get(reverse("library:file", args=[published.pk]) + "?open=1")
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_media_files_are_not_reachable_by_a_public_url(client, published, teacher):
    with_file(published, pdf_bytes("Lesson"), "pdf")
    client.force_login(teacher)
    assert client.get("/media/" + published.file.name).status_code == 404


def test_cover_is_served_as_its_picture_type(client, published, teacher):
    published.cover.save("c.png", ContentFile(png_bytes()), save=False)
    published.cover_type = "png"
    published.save()
    client.force_login(teacher)
    response = client.get(reverse("library:cover", args=[published.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_external_link_counts_and_redirects(client, published, teacher):
    client.force_login(teacher)
    response = client.get(reverse("library:external", args=[published.pk]))
    assert response.status_code == 302
    assert response["Location"] == "https://example.org/material"
    published.refresh_from_db()
    assert published.download_count == 1


def test_viewing_counts_with_each_visit(client, published, teacher):
    client.force_login(teacher)
    client.get(reverse("library:resource", args=[published.pk]))
    client.get(reverse("library:resource", args=[published.pk]))
    published.refresh_from_db()
    assert published.view_count == 2


# --- normative acts -------------------------------------------------------------------------------


def test_repealed_act_warns_and_links_its_replacement_everywhere(client, teacher):
    new_act = ResourceFactory(title="Education law 2026", kind="normative_act")
    old_act = ResourceFactory(
        title="Education law 2003",
        kind="normative_act",
        act_number="92",
        repealed_on="2026-01-01",
        replaced_by=new_act,
    )
    collection = CollectionFactory()
    CollectionItemFactory(collection=collection, resource=old_act)
    BookmarkFactory(user=teacher, resource=old_act)
    client.force_login(teacher)
    new_url = reverse("library:resource", args=[new_act.pk])
    for url in (
        reverse("library:resource", args=[old_act.pk]),
        reverse("library:search") + "?q=2003",
        reverse("library:collection", args=[collection.slug]),
        reverse("library:shelf"),
    ):
        page = client.get(url).content.decode()
        assert "library-repealed" in page, url
        assert new_url in page, url
    detail = client.get(reverse("library:resource", args=[new_act.pk])).content.decode()
    assert "library-repealed" not in detail
    # The new act lists the act it replaces.
    assert reverse("library:resource", args=[old_act.pk]) in detail


# --- shelf ----------------------------------------------------------------------------------------


def test_bookmark_toggles_by_post_and_returns_to_the_page(client, published, teacher):
    client.force_login(teacher)
    url = reverse("library:bookmark", args=[published.pk])
    back = reverse("library:resource", args=[published.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": back})
    assert response["Location"] == back
    assert Bookmark.objects.filter(user=teacher, resource=published).exists()
    assert "Published guide" in client.get(reverse("library:shelf")).content.decode()
    client.post(url, {"next": "https://evil.example/"})
    assert not Bookmark.objects.filter(user=teacher, resource=published).exists()


def test_bookmark_needs_csrf(published, teacher):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert client.post(reverse("library:bookmark", args=[published.pk])).status_code == 403


def test_stranger_cannot_bookmark(client, published):
    response = client.post(reverse("library:bookmark", args=[published.pk]))
    assert login_redirect(response)
    assert not Bookmark.objects.exists()


def test_unpublished_resource_cannot_be_bookmarked_by_a_teacher(client, hidden, teacher):
    client.force_login(teacher)
    assert client.post(reverse("library:bookmark", args=[hidden.pk])).status_code == 404


def test_shelf_shows_only_my_bookmarks(client, teacher, other_teacher):
    mine = BookmarkFactory(user=teacher, resource=ResourceFactory(title="Mine")).resource
    BookmarkFactory(user=other_teacher, resource=ResourceFactory(title="Someone else's"))
    client.force_login(teacher)
    page = client.get(reverse("library:shelf")).content.decode()
    assert mine.title in page
    assert "Someone else" not in page


def test_shelf_hides_a_resource_unpublished_after_bookmarking(client, teacher):
    bookmark = BookmarkFactory(user=teacher, resource=ResourceFactory(title="Withdrawn"))
    Resource.objects.filter(pk=bookmark.resource_id).update(published=False)
    client.force_login(teacher)
    assert "Withdrawn" not in client.get(reverse("library:shelf")).content.decode()


# --- collections ----------------------------------------------------------------------------------


def test_collection_lists_its_published_items_in_order(client, teacher):
    collection = CollectionFactory(title_en="Start here")
    CollectionItemFactory(
        collection=collection, resource=ResourceFactory(title="Second"), position=2
    )
    CollectionItemFactory(
        collection=collection, resource=ResourceFactory(title="First"), position=1
    )
    CollectionItemFactory(
        collection=collection,
        resource=ResourceFactory(title="Not yet", published=False, published_at=None),
        position=3,
    )
    client.force_login(teacher)
    page = client.get(reverse("library:collection", args=[collection.slug])).content.decode()
    assert page.index("First") < page.index("Second")
    assert "Not yet" not in page


def test_unpublished_collection_is_404_to_teachers_and_stranger_signs_in(client, teacher):
    collection = CollectionFactory(published=False)
    url = reverse("library:collection", args=[collection.slug])
    assert login_redirect(client.get(url))
    client.force_login(teacher)
    assert client.get(url).status_code == 404


# --- search page ----------------------------------------------------------------------------------


def test_search_page_keeps_filters_in_facet_and_page_links(client, teacher):
    for number in range(25):
        ResourceFactory(title=f"Worksheet {number}", kind="lesson_plan", language="ru")
    client.force_login(teacher)
    response = client.get(reverse("library:search"), {"q": "worksheet", "language": "ru"})
    page = response.content.decode()
    assert response.context["results"].total == 25
    assert "?q=worksheet&amp;language=ru&amp;page=2" in page
    # The kind facet's link adds the kind and keeps the query and the language.
    assert "?q=worksheet&amp;language=ru&amp;kind=lesson_plan" in page


def test_search_page_ignores_nonsense_filters(client, teacher):
    ResourceFactory(title="Worksheet")
    client.force_login(teacher)
    response = client.get(
        reverse("library:search"), {"year": "abc", "area": "-1", "kind": "virus", "page": "x"}
    )
    assert response.status_code == 200
    assert response.context["results"].total == 1


# --- query counts ---------------------------------------------------------------------------------


def grow(teacher, count: int, tags):
    collection = CollectionFactory(slug=f"grow-{count}")
    for _ in range(count):
        resource = ResourceFactory(kind="video", language="kk", **tags)
        CollectionItemFactory(collection=collection, resource=resource)
        BookmarkFactory(user=teacher, resource=resource)


@pytest.fixture
def tags(areas, levels):
    return {"areas": areas[:2], "levels": levels[:1], "subjects": [SubjectFactory()]}


# session + user, then per page (comments list the page's own queries)
PAGES = {
    # latest diagnosis, new this month, collections
    "library:home": ({}, 5),
    # results and all six facets (one statement), names of areas, levels and subjects in
    # the facets, the page of results, which of them are on my shelf
    "library:search": ({"kind": "video"}, 8),
    # count, page of bookmarks
    "library:shelf": ({}, 4),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_list_pages_use_a_fixed_number_of_queries(
    client, teacher, tags, django_assert_num_queries, name
):
    params, expected = PAGES[name]
    client.force_login(teacher)
    grow(teacher, 2, tags)
    with django_assert_num_queries(expected):
        assert client.get(reverse(name), params).status_code == 200
    for _ in range(15):
        BookmarkFactory(user=teacher, resource=ResourceFactory(kind="video", language="ru", **tags))
        BookmarkFactory(user=TeacherFactory(), resource=ResourceFactory(kind="link"))
    with django_assert_num_queries(expected):
        assert client.get(reverse(name), params).status_code == 200


def test_collection_and_detail_pages_use_a_fixed_number_of_queries(
    client, teacher, tags, django_assert_num_queries
):
    client.force_login(teacher)
    grow(teacher, 3, tags)
    resource = ResourceFactory()
    act = ResourceFactory(kind="normative_act")
    # session, user, the collection, its items with their resources, shelved ids
    with django_assert_num_queries(5):
        client.get(reverse("library:collection", args=["grow-3"]))
    # session, user, resource, view +1, on shelf?, areas, levels, subjects, tags
    with django_assert_num_queries(9):
        client.get(reverse("library:resource", args=[resource.pk]))
    # ... and for an act, the acts it replaces
    with django_assert_num_queries(10):
        client.get(reverse("library:resource", args=[act.pk]))
    collection = Collection.objects.get(slug="grow-3")
    for _ in range(12):
        CollectionItemFactory(collection=collection, resource=ResourceFactory(areas=[]))
    with django_assert_num_queries(5):
        page = client.get(reverse("library:collection", args=["grow-3"]))
    assert len(page.context["items"]) == 15
