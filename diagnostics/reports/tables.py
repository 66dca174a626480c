"""A report as plain tables: what the CSV and XLSX exports write, cell for cell."""

from dataclasses import dataclass, field


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
