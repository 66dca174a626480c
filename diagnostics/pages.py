"""Moved to diagnostics/taking/pages.py; this name is kept only until the demo data, which another
branch edits, imports from there. Import from diagnostics.taking.pages."""

from diagnostics.taking.pages import Page, instrument_pages, instrument_questions  # noqa: F401
