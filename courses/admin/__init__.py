"""The methodists' authoring tools for courses (registered on import)."""

from courses.admin import content, learning  # noqa: F401
from courses.assignments import admin as assignments_admin  # noqa: F401
