// Ustaz charts on top of the vendored Chart.js: the result page and the readiness reports.
// Every chart reads its numbers from a json_script block and has the same numbers in a table
// beside it for screen readers; a withheld figure ("fewer than 5") arrives as null and is a gap.
//
// Data: { labels: [...], percent: true|false, datasets: [{ label, values: [...] }, ...] }
// Any <canvas data-chart="radar|bar|hbar" data-source="json-script-id"> is drawn on load.
(function () {
  const COLOURS = ["#145a6e", "#d08c1c", "#7a7a7a", "#3c8d4f", "#9c3d54"];
  const FILLS = ["rgba(20, 90, 110, 0.25)", "rgba(208, 140, 28, 0.15)", "rgba(122, 122, 122, 0.12)", "rgba(60, 141, 79, 0.15)", "rgba(156, 61, 84, 0.15)"];
  const PERCENT = { min: 0, max: 100, ticks: { stepSize: 20 } };

  function datasets(series, kind) {
    return series.map(function (s, i) {
      const colour = COLOURS[i % COLOURS.length];
      return {
        label: s.label,
        data: s.values,
        borderColor: colour,
        backgroundColor: kind === "radar" ? FILLS[i % FILLS.length] : colour,
        spanGaps: false,
      };
    });
  }

  function radar(canvas, labels, series) {
    return new Chart(canvas, {
      type: "radar",
      data: { labels: labels, datasets: datasets(series, "radar") },
      options: { scales: { r: PERCENT }, animation: false },
    });
  }

  function bars(canvas, labels, series, options) {
    options = options || {};
    const valueAxis = options.percent ? PERCENT : { beginAtZero: true, ticks: { precision: 0 } };
    const scales = options.horizontal ? { x: valueAxis } : { y: valueAxis };
    return new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets(series, "bar") },
      options: {
        indexAxis: options.horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { display: series.length > 1 } },
        animation: false,
      },
    });
  }

  function drawMarked() {
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const source = document.getElementById(canvas.dataset.source);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      const kind = canvas.dataset.chart;
      if (kind === "radar") radar(canvas, data.labels, data.datasets);
      else bars(canvas, data.labels, data.datasets, { horizontal: kind === "hbar", percent: data.percent });
    });
  }

  window.UstazCharts = { radar: radar, bars: bars };
  if (typeof Chart === "undefined") return;
  drawMarked();
})();
