"""One summary line per figure, for `make bench`'s table (bench/all.py).

A benchmark calls `emit(benchmark, measure, value, target, met)` for each figure it has a target
for (or none). When the environment names a file in BENCH_SUMMARY (bench/all.py sets it), the
line is appended to it as JSON; otherwise nothing happens, so every benchmark's own command line
and printout stay as they were.
"""

import json
import os


def emit(benchmark: str, measure: str, value, target: str = "", met: bool | None = None) -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    if isinstance(value, float):
        value = f"{value:.3g}" if abs(value) < 100 else f"{value:,.0f}"
    line = {"benchmark": benchmark, "measure": measure, "value": str(value), "target": target}
    line["met"] = met
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(json.dumps(line, ensure_ascii=False) + "\n")


def read(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as summary:
        return [json.loads(line) for line in summary if line.strip()]


def table(lines: list[dict]) -> str:
    """A plain-text table: benchmark, measure, value, target, met?"""
    header = ("benchmark", "measure", "value", "target", "met?")
    rows = [header] + [
        (
            line["benchmark"],
            line["measure"],
            line["value"],
            line["target"],
            {True: "yes", False: "NO", None: "–"}[line["met"]],
        )
        for line in lines
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    out = []
    for n, row in enumerate(rows):
        cells = zip(row, widths, strict=True)
        out.append("  ".join(str(cell).ljust(width) for cell, width in cells))
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)
