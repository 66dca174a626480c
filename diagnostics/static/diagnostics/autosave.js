// Autosave of a diagnosis page (htmx posts the form on every change): says "saved" when the
// server kept the answers and, when it did not, says so and links to the question concerned.
// The texts come translated from data- attributes of #autosave-status.
(function () {
  "use strict";
  var form = document.getElementById("take-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status) return;

  function clearMarks() {
    form.querySelectorAll(".question-invalid").forEach(function (question) {
      question.classList.remove("question-invalid", "border-danger");
      var feedback = question.querySelector(".invalid-feedback");
      if (feedback) { feedback.textContent = ""; feedback.classList.remove("d-block"); }
      question.querySelectorAll(".is-invalid").forEach(function (field) {
        field.classList.remove("is-invalid");
        field.removeAttribute("aria-invalid");
      });
    });
  }

  function markQuestion(anchor, message) {
    var question = anchor && document.getElementById(anchor);
    if (!question) return;
    question.classList.add("question-invalid", "border-danger");
    var feedback = question.querySelector(".invalid-feedback");
    if (feedback) { feedback.textContent = message; feedback.classList.add("d-block"); }
    question.querySelectorAll("input[type=text]").forEach(function (field) {
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
    });
  }

  function show(kind, children) {
    status.replaceChildren.apply(status, children);
    status.className = "small mb-2 " + (kind === "saved" ? "text-success" : "text-danger");
    status.dataset.state = kind;
  }

  function saved() {
    clearMarks();
    var time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    show("saved", [document.createTextNode("✓ " + status.dataset.saved + " " + time)]);
  }

  function failed(problems) {
    clearMarks();
    var parts = [document.createTextNode(status.dataset.failed + " ")];
    problems.forEach(function (problem, index) {
      if (index) parts.push(document.createTextNode("; "));
      parts.push(document.createTextNode(problem.message + " "));
      markQuestion(problem.anchor, problem.message);
      if (problem.anchor) {
        var link = document.createElement("a");
        link.href = "#" + problem.anchor;
        link.className = "autosave-problem-link";
        link.textContent = status.dataset.go;
        parts.push(link);
      }
    });
    show("failed", parts);
  }

  form.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.successful) { saved(); return; }
    if (!xhr || !xhr.status) { show("failed", [document.createTextNode(status.dataset.offline)]); return; }
    var problems = [];
    try { problems = JSON.parse(xhr.responseText).problems || []; } catch (error) { problems = []; }
    if (!problems.length) { show("failed", [document.createTextNode(status.dataset.offline)]); return; }
    failed(problems);
  });
  form.addEventListener("htmx:sendError", function () {
    show("failed", [document.createTextNode(status.dataset.offline)]);
  });
})();
