"""Every URL pattern of the project, read from the URL configuration, so that the security
tests reach every view, including the views added after them."""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# Not Ustaz's views: Django's own admin (its changelists are probed apart), and the sign-out.
SKIPPED_PREFIXES = ("admin/",)


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern as written, e.g. "diagnostics/responses/<int:response_id>/"
    converters: dict = field(default_factory=dict)  # kwarg -> converter class name
    defaults: dict = field(default_factory=dict)

    @property
    def kwargs(self) -> list[str]:
        return [name for name in self.converters if name not in self.defaults]


def _walk(patterns, prefix="", namespace="", converters=None):
    for entry in patterns:
        found = {**(converters or {}), **entry.pattern.converters}
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, space, found)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(
                name=namespace + entry.name,
                route=route,
                converters={k: type(v).__name__ for k, v in found.items()},
                defaults=dict(entry.default_args),
            )


def project_routes() -> list[Route]:
    routes = [
        r for r in _walk(get_resolver().url_patterns) if not r.route.startswith(SKIPPED_PREFIXES)
    ]
    return routes
