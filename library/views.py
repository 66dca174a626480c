"""The library's pages. Every signed-in user reads the library; teachers and heads see published
resources only, methodists and administrators also the ones they are preparing."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from library import services
from library.file_text import extraction_explanation
from library.forms import filters_from_query, sort_from_query
from library.models import Bookmark, Collection, CollectionItem, Resource
from library.recommend import recommend_for
from library.search import search
from library.uploads import content_type_for
from lms.params import has_nul

HOME_NEW = 6
HOME_COLLECTIONS = 6
SHELF_PAGE_SIZE = 20
# Browsers show these in a tab; everything else is downloaded. Never HTML, never SVG.
INLINE_TYPES = {"pdf", "png", "jpg", "mp4", "webm", "mp3"}


def resource_for_user(user, resource_id) -> Resource:
    """The resource if the user may see it; 404 otherwise, so hidden ids are not confirmed."""
    queryset = Resource.objects.visible_to(user).select_related("replaced_by")
    return get_object_or_404(queryset, pk=resource_id)


def _shelved_ids(user, resources) -> set[int]:
    ids = [resource.pk for resource in resources]
    if not ids:
        return set()
    return set(
        Bookmark.objects.filter(user=user, resource_id__in=ids).values_list(
            "resource_id", flat=True
        )
    )


@login_required
def home(request):
    user = request.user
    recommendations = recommend_for(user) if user.role == "teacher" else None
    new = list(Resource.objects.visible_to(user).new_this_month().for_cards()[:HOME_NEW])
    collections = list(
        Collection.objects.visible_to(user).order_by("position", "pk")[:HOME_COLLECTIONS]
    )
    return render(
        request,
        "library/home.html",
        {
            "recommendations": recommendations,
            "new_resources": new,
            "collections": collections,
            "kinds": Resource.Kind.choices,
        },
    )


@login_required
def search_page(request):
    params = request.GET
    results = search(
        request.user,
        query=params.get("q", ""),
        filters=filters_from_query(params),
        sort=sort_from_query(params),
        page=params.get("page", 1),
    )
    # The query string without the page, so that facet links and pages keep every filter.
    kept = params.copy()
    kept.pop("page", None)
    _link_facet_options(kept, results.facets)
    return render(
        request,
        "library/search.html",
        {
            "results": results,
            "shelved": _shelved_ids(request.user, results.page.object_list),
            "kept_query": kept.urlencode(),
        },
    )


def _link_facet_options(kept, facets) -> None:
    """Give every facet option the URL that toggles it (other filters kept, page reset)."""
    for facet in facets:
        for option in facet.options:
            params = kept.copy()
            values = params.getlist(facet.name)
            if option.value in values:
                values.remove(option.value)
            else:
                values.append(option.value)
            params.setlist(facet.name, values)
            option.url = "?" + params.urlencode()


@login_required
def resource_detail(request, resource_id):
    resource = resource_for_user(request.user, resource_id)
    services.resource_count_view(resource=resource)
    resource.view_count += 1
    shelved = Bookmark.objects.filter(user=request.user, resource=resource).exists()
    context = {
        "resource": resource,
        "shelved": shelved,
        "areas": list(resource.areas.all()),
        "levels": list(resource.levels.all()),
        "subjects": list(resource.subjects.all()),
        "tags": list(resource.tags.all()),
        "replaces": list(
            Resource.objects.visible_to(request.user)
            .filter(replaced_by=resource)
            .only("pk", "title", "act_number", "repealed_on")
        )
        if resource.is_normative_act
        else [],
        # Methodists see whether the file's text is searchable, and why not.
        "extraction_note": extraction_explanation(resource) if request.user.is_staff else "",
    }
    return render(request, "library/resource.html", context)


@login_required
def resource_file(request, resource_id):
    """The file, only to those who may see the resource; never rendered as a web page."""
    resource = resource_for_user(request.user, resource_id)
    if not resource.file:
        if resource.external_url:
            return HttpResponseRedirect(resource.external_url)
        raise Http404
    try:
        handle = resource.file.open("rb")
    except OSError as error:
        raise Http404 from error
    services.resource_count_download(resource=resource)
    inline = request.GET.get("open") == "1" and resource.file_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=resource.download_name,
        content_type=content_type_for(resource.file_type),
    )
    return _harden(response)


@login_required
def resource_cover(request, resource_id):
    resource = resource_for_user(request.user, resource_id)
    if not resource.cover or not resource.cover_type:
        raise Http404
    try:
        handle = resource.cover.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type_for(resource.cover_type))
    response["Cache-Control"] = "private, max-age=86400"
    return _harden(response)


def _harden(response):
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering the file, it could run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def external(request, resource_id):
    """Counts an "open" of material published elsewhere, then goes there."""
    resource = resource_for_user(request.user, resource_id)
    if not resource.external_url:
        raise Http404
    services.resource_count_download(resource=resource)
    return HttpResponseRedirect(resource.external_url)


@login_required
@require_POST
def bookmark(request, resource_id):
    resource = resource_for_user(request.user, resource_id)
    services.bookmark_toggle(user=request.user, resource=resource)
    target = request.POST.get("next", "")
    if has_nul(target) or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("library:resource", args=[resource.pk])
    # Not redirect(): it would read a bare word ("abc") as the name of a URL to reverse.
    return HttpResponseRedirect(target)


@login_required
def shelf(request):
    bookmarks = (
        Bookmark.objects.filter(user=request.user)
        .filter(resource__in=Resource.objects.visible_to(request.user))
        .select_related("resource", "resource__replaced_by")
        .defer("resource__extracted_text")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(bookmarks, SHELF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "library/shelf.html", {"page": page})


@login_required
def collection_detail(request, slug):
    collection = get_object_or_404(Collection.objects.visible_to(request.user), slug=slug)
    items = list(
        CollectionItem.objects.filter(
            collection=collection, resource__in=Resource.objects.visible_to(request.user)
        )
        .select_related("resource", "resource__replaced_by")
        .defer("resource__extracted_text")
        .order_by("position", "pk")
    )
    shelved = _shelved_ids(request.user, [item.resource for item in items])
    return render(
        request,
        "library/collection.html",
        {"collection": collection, "items": items, "shelved": shelved},
    )
