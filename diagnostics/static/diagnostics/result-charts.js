// Draws the result page's radar and bar charts from the numbers in #chart-data (charts.js).
(function () {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined" || !window.UstazCharts) return;
  const data = JSON.parse(source.textContent);
  const series = [{ label: data.label, values: data.values }];
  if (data.previous) series.push({ label: data.previousLabel, values: data.previous });
  UstazCharts.radar(document.getElementById("radar-chart"), data.labels, series);
  UstazCharts.bars(document.getElementById("bar-chart"), data.labels, series.slice(0, 1), { horizontal: true, percent: true });
})();
