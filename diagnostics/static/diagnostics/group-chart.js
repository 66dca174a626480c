// Draws the group page's radar chart of area averages from the numbers in #group-chart-data.
(function () {
  const source = document.getElementById("group-chart-data");
  const canvas = document.getElementById("group-radar-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "radar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, backgroundColor: "rgba(20, 90, 110, 0.25)", borderColor: "#145a6e" }],
    },
    options: { scales: { r: { min: 0, max: 100, ticks: { stepSize: 20 } } }, animation: false },
  });
})();
