// The item statistics page's histogram of total scores (diagnostics/statistics.html), drawn from
// its json_script block; the same numbers are in a table beside it for screen readers.
(function () {
  const source = document.getElementById("total-histogram-data");
  const canvas = document.getElementById("total-histogram");
  if (!source || !canvas || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {labels: data.labels, datasets: [{label: data.label, data: data.counts, backgroundColor: "#145a6e"}]},
    options: {
      plugins: {legend: {display: false}},
      scales: {
        x: {title: {display: true, text: data.x_title}},
        y: {beginAtZero: true, ticks: {precision: 0}, title: {display: true, text: data.label}},
      },
    },
  });
})();
