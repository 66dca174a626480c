"""The methodists' authoring tools, one module per model family: frameworks, instruments (with
their inlines), questions and their choices, rounds, grouping. Importing this package registers
every ModelAdmin of the app, as Django's admin autodiscovery expects of `diagnostics.admin`.

The rules live in diagnostics/authoring/; these modules turn them into forms, read-only fields
and pages. Once teachers have answered an instrument, whatever changes scoring is shown read-only.
"""

from diagnostics.admin import frameworks, grouping, instruments, questions, rounds

__all__ = ["frameworks", "grouping", "instruments", "questions", "rounds"]
