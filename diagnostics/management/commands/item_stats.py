import csv
import json

from django.core.management.base import BaseCommand, CommandError

from diagnostics.item_stats.report import round_statistics_compute
from diagnostics.models import ItemStatisticsReport, Round

# Per-question columns of the CSV, in the order item_stats.ItemStatistic defines them.
ITEM_COLUMNS = (
    "n_answered",
    "n_scored",
    "mean_score",
    "facility_index",
    "standard_deviation",
    "discrimination_index",
    "discriminative_efficiency",
)
CSV_HEADER = ("part", "code", "area", "max_score", *ITEM_COLUMNS, "flags")


class Command(BaseCommand):
    help = (
        "Compute a round's item statistics now (not through Celery), store them and print them: "
        "json prints the stored report, csv one row per question."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id")
        parser.add_argument(
            "--format", choices=("csv", "json"), default="json", dest="output_format"
        )

    def handle(self, *args, round_id, output_format, **options):
        round_ = Round.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"There is no round with id {round_id}.")
        report = round_statistics_compute(round=round_)
        if output_format == "json":
            self._write_json(report)
        else:
            self._write_csv(report)

    def _write_json(self, report: ItemStatisticsReport) -> None:
        document = {
            "round": report.round_id,
            "computed_at": report.computed_at.isoformat(),
            "respondents": report.respondents,
            "data": report.data,
        }
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))

    def _write_csv(self, report: ItemStatisticsReport) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for part, stored in report.data["parts"].items():
            if stored is None:
                continue
            for item in stored["statistics"]["items"]:
                writer.writerow(
                    (
                        part,
                        item["key"],
                        item["area"] or "",
                        stored["weights"][item["key"]],
                        *(_cell(item[column]) for column in ITEM_COLUMNS),
                        ";".join(item["flags"]),
                    )
                )


def _cell(value) -> str | int | float:
    # An undefined statistic (one answer, no variance) is an empty cell, not "None".
    return "" if value is None else value
