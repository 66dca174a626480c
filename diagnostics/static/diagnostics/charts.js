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
        maxBarThickness: 28,
      };
    });
  }

  // Below this width (px) a chart is on a phone: labels wrap shorter and fonts are smaller.
  const NARROW = 576;
  const LINE = 15; // px: one line of a tick label

  // A long name as lines of at most `width` characters, broken between words (Chart.js draws an
  // array as lines): on a phone a whole area name on one line is wider than half the screen.
  function wrap(label, width) {
    const lines = [];
    String(label).split(/\s+/).forEach(function (word) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else if (word) lines.push(word);
    });
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function linesOf(label) {
    return Array.isArray(label) ? label.length : 1;
  }

  // The box the chart fills (a .chart-box around the canvas); its width decides the layout.
  function widthOf(canvas) {
    return (canvas.parentElement || canvas).clientWidth || NARROW;
  }

  function radar(canvas, labels, series) {
    const narrow = widthOf(canvas) < NARROW;
    return new Chart(canvas, {
      type: "radar",
      data: { labels: labels.map(function (l) { return wrap(l, narrow ? 14 : 24); }), datasets: datasets(series, "radar") },
      options: {
        scales: { r: Object.assign({}, PERCENT, { pointLabels: { font: { size: narrow ? 10 : 12 } } }) },
        animation: false,
      },
    });
  }

  // Bars with their categories across, or (options.horizontal, or too many categories for the
  // width to name side by side) down the side, where a row per category grows with its lines.
  function bars(canvas, labels, series, options) {
    options = options || {};
    const width = widthOf(canvas);
    const narrow = width < NARROW;
    const horizontal = options.horizontal || width / Math.max(labels.length, 1) < 100;
    const names = labels.map(function (l) {
      if (horizontal) return wrap(l, narrow ? 20 : 30);
      return wrap(l, Math.max(8, Math.floor(width / Math.max(labels.length, 1) / 7)));
    });
    const valueAxis = options.percent ? PERCENT : { beginAtZero: true, ticks: { precision: 0 } };
    // Every category named: none skipped for lack of room, none turned on its side.
    const categoryAxis = { ticks: { autoSkip: false, maxRotation: 0, font: { size: narrow ? 11 : 12 } } };
    const scales = horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
    const settings = {
      indexAxis: horizontal ? "y" : "x",
      scales: scales,
      plugins: { legend: { display: series.length > 1 } },
      animation: false,
    };
    if (horizontal && canvas.parentElement) {
      // A height that gives each category its lines and each series its bar.
      const lines = Math.max.apply(null, [1].concat(names.map(linesOf)));
      const row = Math.max(lines * LINE, series.length * 16) + 12;
      canvas.parentElement.style.height = labels.length * row + (series.length > 1 ? 70 : 40) + "px";
      settings.maintainAspectRatio = false;
    }
    return new Chart(canvas, {
      type: "bar",
      data: { labels: names, datasets: datasets(series, "bar") },
      options: settings,
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
