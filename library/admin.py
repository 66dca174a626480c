"""The methodists' tools for the library: resources with checked uploads, collections."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from library.browse_cache import catalogue_changed
from library.file_text import extraction_explanation
from library.forms import ResourceAdminForm
from library.models import Collection, CollectionItem, Resource, Subject, Tag
from library.services import resource_saved, resources_reindexed, resources_set_published
from lms.admin_forms import AnyLanguageMixin
from lms.admin_labels import LabelledInputsMixin, LabelledTabularMixin


class ReindexesItsResources:
    """Renaming or deleting a tag or a subject changes what search knows of its resources
    (tag names are searched, subjects are a facet): their search entries follow."""

    resource_field = ""

    def _resource_ids(self, items) -> list[int]:
        lookup = {f"{self.resource_field}__in": items}
        return list(Resource.objects.filter(**lookup).values_list("pk", flat=True).distinct())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            resources_reindexed(self._resource_ids([obj]))

    def delete_model(self, request, obj):
        resource_ids = self._resource_ids([obj])
        super().delete_model(request, obj)
        resources_reindexed(resource_ids)

    def delete_queryset(self, request, queryset):
        resource_ids = self._resource_ids(queryset)
        super().delete_queryset(request, queryset)
        resources_reindexed(resource_ids)


@admin.register(Subject)
class SubjectAdmin(ReindexesItsResources, AnyLanguageMixin, TranslationAdmin):
    resource_field = "subjects"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name_en"]}


@admin.register(Tag)
class TagAdmin(ReindexesItsResources, admin.ModelAdmin):
    resource_field = "tags"
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Resource)
class ResourceAdmin(LabelledInputsMixin, admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = [
        "title",
        "kind",
        "language",
        "year",
        "published",
        "extraction",
        "view_count",
        "download_count",
    ]
    list_filter = ["published", "kind", "language", "extraction", "areas", "levels", "subjects"]
    search_fields = ["title", "authors", "act_number", "issuer"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["replaced_by", "subjects", "tags"]
    filter_horizontal = ["areas", "levels"]
    readonly_fields = [
        "file_type",
        "file_size",
        "text_for_search",
        "view_count",
        "download_count",
        "created_by",
        "created_at",
    ]
    list_select_related = True
    actions = ["publish", "unpublish", "reread_files"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "title",
                    "authors",
                    "description",
                    ("language", "year"),
                    "licence",
                    ("published", "published_at"),
                ]
            },
        ),
        (
            _("File or address"),
            {
                "fields": [
                    "file",
                    ("file_type", "file_size"),
                    "text_for_search",
                    "external_url",
                    "cover",
                ],
                "description": _(
                    "Upload a PDF, Word, PowerPoint, Excel, OpenDocument, EPUB, video or audio "
                    "file, or give the address of material published elsewhere. Files are "
                    "checked by their content; their text becomes searchable a moment after "
                    "saving."
                ),
            },
        ),
        (
            _("Whom it is for"),
            {"fields": ["areas", "levels", "subjects", "tags"]},
        ),
        (
            _("Normative act"),
            {
                "fields": [
                    "issuer",
                    "act_number",
                    ("adopted_on", "in_force_on"),
                    ("repealed_on", "replaced_by"),
                ],
                "classes": ["collapse"],
                "description": _("Only for normative acts."),
            },
        ),
        (
            _("Statistics"),
            {"fields": [("view_count", "download_count"), ("created_by", "created_at")]},
        ),
    ]

    @admin.display(description=_("text extraction"))
    def text_for_search(self, obj):
        # The state, and what it means for search when the text is cut or missing.
        explanation = extraction_explanation(obj)
        if not explanation:
            return obj.get_extraction_display()
        return format_html(
            '{}<div class="help" id="extraction-explanation">{}</div>',
            obj.get_extraction_display(),
            explanation,
        )

    def save_model(self, request, obj, form, change):
        detected = getattr(form, "detected_file_type", None)
        if "file" in form.changed_data:
            obj.file_type = detected or ""
            obj.file_size = obj.file.size if obj.file else None
        if "cover" in form.changed_data:
            obj.cover_type = getattr(form, "detected_cover_type", "") if obj.cover else ""
        if obj.published and obj.published_at is None:
            obj.published_at = timezone.now()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tags are saved only now, and they are part of the search index.
        resource_saved(resource=form.instance, file_changed="file" in form.changed_data)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        catalogue_changed()

    @admin.action(description=_("Publish the selected resources"))
    def publish(self, request, queryset):
        updated = resources_set_published(queryset, published=True)
        self.message_user(
            request,
            ngettext("%(count)d resource published.", "%(count)d resources published.", updated)
            % {"count": updated},
        )

    @admin.action(description=_("Hide the selected resources from teachers"))
    def unpublish(self, request, queryset):
        updated = resources_set_published(queryset, published=False)
        self.message_user(
            request,
            ngettext("%(count)d resource hidden.", "%(count)d resources hidden.", updated)
            % {"count": updated},
        )

    @admin.action(description=_("Read the text of the selected files again"))
    def reread_files(self, request, queryset):
        for resource in queryset.exclude(file=""):
            resource_saved(resource=resource, file_changed=True)
        self.message_user(request, _("The files will be read again in a moment."))


class CollectionItemInline(LabelledTabularMixin, admin.TabularInline):
    model = CollectionItem
    extra = 1
    autocomplete_fields = ["resource"]
    fields = ["position", "resource", "note"]


@admin.register(Collection)
class CollectionAdmin(AnyLanguageMixin, TranslationAdmin):
    list_display = ["title", "course", "position", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title", "course"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [CollectionItemInline]
