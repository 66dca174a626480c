// Autosave of a diagnosis page: 800 ms after the last change it posts only the questions that
// changed (their fields and `sent`, their ids; the server leaves the others as they are), one
// request at a time. It says "saved" when the server kept the answers and, when it did not, says
// so and links to the question concerned; what was not saved is sent again with the next change
// and with the page's own button. The texts come translated from data- attributes of
// #autosave-status.
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

  var DELAY = 800;
  var dirty = new Set();  // ids of questions changed and not yet saved
  var timer = null;
  var busy = false;

  function questionOf(field) {
    var match = /^q(\d+)(-|$)/.exec(field.name || "");
    return match ? match[1] : null;
  }

  function body(ids) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    Array.prototype.forEach.call(form.elements, function (field) {
      var id = questionOf(field);
      if (!id || !ids.has(id)) return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      data.append(field.name, field.value);
    });
    ids.forEach(function (id) { data.append("sent", id); });
    return data;
  }

  function answer(xhrStatus, text) {
    if (xhrStatus >= 200 && xhrStatus < 300) { saved(); return true; }
    var problems = [];
    try { problems = JSON.parse(text).problems || []; } catch (error) { problems = []; }
    if (!problems.length) { show("failed", [document.createTextNode(status.dataset.offline)]); return false; }
    failed(problems);
    return false;
  }

  function send() {
    timer = null;
    if (busy || !dirty.size) return;
    var sending = dirty;
    dirty = new Set();
    busy = true;
    fetch(form.getAttribute("action"), {
      method: "POST", body: body(sending), credentials: "same-origin",
      headers: { "HX-Request": "true" },
    }).then(function (reply) {
      return reply.text().then(function (text) { return answer(reply.status, text); });
    }, function () {
      show("failed", [document.createTextNode(status.dataset.offline)]);
      return false;
    }).then(function (ok) {
      // Not saved: sent again with the next change (the server saved the valid ones already).
      if (!ok) sending.forEach(function (id) { dirty.add(id); });
      busy = false;
      if (dirty.size && ok) schedule();
    });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(send, DELAY);
  }

  function changed(event) {
    var id = questionOf(event.target);
    if (!id) return;
    dirty.add(id);
    schedule();
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  // Leaving with changes not yet sent: send them on the way out (the browser finishes the request).
  window.addEventListener("pagehide", function () {
    if (!dirty.size || busy) return;
    try {
      fetch(form.getAttribute("action"), {
        method: "POST", body: body(dirty), credentials: "same-origin", keepalive: true,
        headers: { "HX-Request": "true" },
      });
    } catch (error) { /* the page's button saves them */ }
  });
  // The page's own button posts the whole page: nothing left for autosave to send.
  form.addEventListener("submit", function () {
    if (timer) clearTimeout(timer);
    dirty.clear();
  });
})();
