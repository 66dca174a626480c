"""Accessibility audit: axe-core's WCAG 2.1 A/AA violations on every role's main pages and the
admin authoring pages: the failing nodes per page and impact, in the laptop (1366 px) or the
phone (390 px) layout, each node once (docs/benchmarks.md, "Accessibility").

Runs tests/e2e/test_accessibility.py (Chromium at /usr/bin/chromium, the demo region seeded per
page), which writes each page's violations to test-results/axe-<page>.json, then prints one
table. The test fails on any serious or critical node; this script prints the counts either way.

    .venv/bin/python bench/accessibility.py            # run the audit, then print the table
    .venv/bin/python bench/accessibility.py --no-run   # print the table of the last run
"""

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "test-results"
IMPACTS = ["critical", "serious", "moderate", "minor"]


def run_audit() -> int:
    for old in RESULTS.glob("axe-*.json"):
        old.unlink()
    command = [sys.executable, "-m", "pytest", "tests/e2e/test_accessibility.py", "-q"]
    return subprocess.call([*command, "--tb=no", "-p", "no:logging"], cwd=ROOT)


def table() -> str:
    rows, total = [], Counter()
    for path in sorted(RESULTS.glob("axe-*.json")):
        by_viewport = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(by_viewport, list):  # written before pages were checked on a phone too
            by_viewport = {"laptop": by_viewport}
        # A node failing the same rule in both layouts is one problem, counted once.
        nodes = {
            (violation["id"], node["target"], node["impact"])
            for violations in by_viewport.values()
            for violation in violations
            for node in violation["nodes"]
        }
        counts = Counter(impact for _, _, impact in nodes)
        total.update(counts)
        page = path.stem.removeprefix("axe-")
        rows.append(f"{page:<26}" + "".join(f"{counts[i]:>10}" for i in IMPACTS))
    head = f"{'page':<26}" + "".join(f"{i:>10}" for i in IMPACTS)
    foot = f"{f'all {len(rows)} pages':<26}" + "".join(f"{total[i]:>10}" for i in IMPACTS)
    rule = "-" * len(head)
    return "\n".join([head, rule, *rows, rule, foot])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="only print the last run's table")
    args = parser.parse_args()
    status = 0 if args.no_run else run_audit()
    print(table())
    sys.exit(status)


if __name__ == "__main__":
    main()
