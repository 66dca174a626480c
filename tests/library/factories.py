import factory
from django.utils import timezone

from library.models import Bookmark, Collection, CollectionItem, Resource, Subject, Tag
from library.services import resource_saved


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    code = factory.Sequence(lambda n: f"subject-{n}")
    name_en = factory.Sequence(lambda n: f"Subject {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    """A published resource, indexed for search as the admin would leave it."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    kind = Resource.Kind.METHODOLOGICAL
    title = factory.Sequence(lambda n: f"Resource {n}")
    language = "en"
    year = 2025
    external_url = "https://example.org/material"
    published = True
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create and extracted:
            self.levels.set(extracted)

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        if create and extracted:
            self.subjects.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        # Last hook: the tags above are part of the index.
        if create:
            resource_saved(resource=self, file_changed=False)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    slug = factory.Sequence(lambda n: f"collection-{n}")
    title_en = factory.Sequence(lambda n: f"Collection {n}")
    position = factory.Sequence(lambda n: n)


class CollectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    resource = factory.SubFactory(ResourceFactory)
    position = factory.Sequence(lambda n: n)


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bookmark

    resource = factory.SubFactory(ResourceFactory)
