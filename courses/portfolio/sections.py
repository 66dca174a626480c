"""The hook through which other apps add sections to a teacher's portfolio.

An app gives its AppConfig a method

    def portfolio_sections(self, user, viewer) -> list[PortfolioSection]: ...

`user` is the portfolio's teacher; `viewer` is who reads it: the teacher, a methodist, their head,
or None for a shared link and for the stage computation. The app decides what `viewer` may see (an
assignments app, for instance, shows accepted works with their rubric results to the teacher and
methodists, and to a shared link only if the teacher ticked the section). Items may count towards
the stage rules through `counts_as` (ACCEPTED_WORK, CREATIVE_WORK, SPEAKER), with their date, so the
trajectory follows them. Keys must be stable: a share link remembers the ticked keys.

For a hook written before this contract (one argument, a list of dicts with title, date, url), the
dicts become items of one section named after the app.
"""

import inspect
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps

ACCEPTED_WORK = "accepted_work"
CREATIVE_WORK = "creative_work"
SPEAKER = "speaker"


@dataclass
class PortfolioItem:
    title: str
    date: date | datetime | None = None
    url: str = ""
    detail: str = ""
    counts_as: tuple[str, ...] = ()


@dataclass
class PortfolioSection:
    key: str
    title: str
    items: list[PortfolioItem] = field(default_factory=list)
    order: int = 100
    template_name: str = "courses/portfolio/_items.html"
    # An empty section still shows its title and this sentence (e.g. "no accepted works yet").
    empty_text: str = ""


def _accepts_viewer(method) -> bool:
    try:
        return len(inspect.signature(method).parameters) >= 2
    except (TypeError, ValueError):
        return True


def _as_sections(app_config, provided) -> list[PortfolioSection]:
    sections, loose = [], []
    for entry in provided or []:
        if isinstance(entry, PortfolioSection):
            sections.append(entry)
        elif isinstance(entry, dict):
            loose.append(
                PortfolioItem(
                    title=str(entry.get("title", "")),
                    date=entry.get("date"),
                    url=entry.get("url", ""),
                    detail=str(entry.get("detail", "")),
                    counts_as=tuple(entry.get("counts_as", ())),
                )
            )
    if loose:
        sections.append(
            PortfolioSection(key=app_config.label, title=str(app_config.verbose_name), items=loose)
        )
    return sections


def collect_sections(user, viewer) -> list[PortfolioSection]:
    """Every installed app's sections for this portfolio, in their order."""
    sections: list[PortfolioSection] = []
    for app_config in apps.get_app_configs():
        provider = getattr(app_config, "portfolio_sections", None)
        if provider is None:
            continue
        provided = provider(user, viewer) if _accepts_viewer(provider) else provider(user)
        sections.extend(_as_sections(app_config, provided))
    return sorted(sections, key=lambda section: (section.order, section.key))
