// The stage over time as a stepped line; the list under the chart holds the same steps.
(function () {
  const source = document.getElementById("trajectory-data");
  const canvas = document.getElementById("trajectory-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.points.map((p) => p.x),
      datasets: [{
        data: data.points.map((p) => p.y),
        stepped: true,
        borderColor: "#0d6efd",
        pointRadius: 4,
      }],
    },
    options: {
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => data.points[ctx.dataIndex].label + ": " + data.stages[ctx.parsed.y] } },
      },
      scales: {
        y: { min: 0, max: data.stages.length - 1, ticks: { stepSize: 1, callback: (v) => data.stages[v] } },
      },
    },
  });
})();
