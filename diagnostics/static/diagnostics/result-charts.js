// Draws the result page's radar and bar charts from the numbers in #chart-data.
(function () {
  const source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const percent = { min: 0, max: 100, ticks: { stepSize: 20 } };
  const datasets = [{ label: data.label, data: data.values, backgroundColor: "rgba(20, 90, 110, 0.25)", borderColor: "#145a6e" }];
  if (data.previous) {
    datasets.push({ label: data.previousLabel, data: data.previous, backgroundColor: "rgba(150, 150, 150, 0.15)", borderColor: "#888" });
  }
  new Chart(document.getElementById("radar-chart"), {
    type: "radar",
    data: { labels: data.labels, datasets: datasets },
    options: { scales: { r: percent }, animation: false },
  });
  new Chart(document.getElementById("bar-chart"), {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: data.label, data: data.values, backgroundColor: "#145a6e" }] },
    options: { indexAxis: "y", scales: { x: percent }, plugins: { legend: { display: false } }, animation: false },
  });
})();
