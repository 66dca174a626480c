// Drag and drop for the modules of a course and the lessons of a module in the admin (HTML5
// drag and drop, no library). Dropping a row renumbers the "order" fields, so saving the form
// keeps the order, and posts the new order of saved rows at once.
(function () {
  "use strict";
  var endpoint = document.getElementById("courses-reorder");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");
  document.querySelectorAll(".courses-sortable tbody").forEach(function (body) {
    var dragged = null;
    function rows() {
      return Array.prototype.filter.call(body.querySelectorAll("tr.form-row"), function (row) {
        return !row.classList.contains("empty-form");
      });
    }
    function renumberAndPost() {
      var ids = [];
      rows().forEach(function (row, index) {
        var position = row.querySelector("input[name$='-position']");
        if (position) { position.value = index + 1; }
        var id = row.querySelector("input[name$='-id']");
        if (id && id.value) { ids.push(parseInt(id.value, 10)); }
      });
      if (!endpoint || !ids.length) { return; }
      fetch(endpoint.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify({ ids: ids })
      });
    }
    rows().forEach(function (row) {
      row.draggable = true;
      row.style.cursor = "move";
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        event.dataTransfer.effectAllowed = "move";
      });
      row.addEventListener("dragover", function (event) {
        event.preventDefault();
        if (!dragged || dragged === row) { return; }
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        body.insertBefore(dragged, after ? row.nextSibling : row);
      });
      row.addEventListener("dragend", function () {
        dragged = null;
        renumberAndPost();
      });
    });
  });
  // The recompute bar on a course moves while the task runs.
  document.querySelectorAll("progress[data-status-url]").forEach(function (bar) {
    function poll() {
      fetch(bar.dataset.statusUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          bar.value = data.percent;
          if (data.status === "queued" || data.status === "running") { setTimeout(poll, 1500); }
        });
    }
    poll();
  });
})();
