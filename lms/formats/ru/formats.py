"""Russian: numeric dates and 24-hour times, the one style Ustaz writes in kk, ky and ru."""

from lms.formats.numeric import *  # noqa: F403

YEAR_MONTH_FORMAT = "F Y г."
