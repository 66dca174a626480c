"""The methodists' authoring tools for courses (registered on import)."""

from courses.admin import activities, content, learning  # noqa: F401
