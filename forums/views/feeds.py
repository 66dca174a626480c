from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed

from forums import access


@method_decorator(login_required, name="__call__")
class ForumFeed(Feed):
    """A forum's latest readable posts as Atom, for the signed-in reader (same rules as pages)."""

    feed_type = Atom1Feed

    def get_object(self, request, forum_id):
        self.request = request
        return access.forum_for(request.user, forum_id)

    def title(self, forum):
        return forum.title

    def link(self, forum):
        return forum.get_absolute_url()

    def subtitle(self, forum):
        return forum.description

    def items(self, forum):
        return (
            access.posts_readable_by(self.request.user)
            .filter(topic__forum=forum)
            .select_related("topic", "author")
            .order_by("-created_at", "-pk")[:30]
        )

    def item_title(self, post):
        return post.topic.title

    def item_description(self, post):
        return post.body_html

    def item_author_name(self, post):
        return post.author.full_name

    def item_pubdate(self, post):
        return post.created_at
