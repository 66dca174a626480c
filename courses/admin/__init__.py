"""The methodists' authoring tools for courses (registered on import)."""

from courses.admin import content, learning  # noqa: F401
from courses.certificates import admin as certificates_admin  # noqa: F401
from courses.portfolio import admin as portfolio_admin  # noqa: F401
