// The one-form flow (diagnostics/templates/diagnostics/take_form.html): the whole instrument is
// one form; this script shows its areas one step at a time, with Previous and Next that move
// between steps without a request (autosave.js saves what changes), the progress bar, and the
// submit button on the last step only. Without this script every area is shown, one after
// another, and the form still submits. The step shown is in the address (#step-N), so a reload
// stays on it; a fresh visit opens the first step with a question not yet answered.
(function () {
  "use strict";
  var form = document.getElementById("take-form");
  if (!form || !form.classList.contains("one-form")) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll(".take-step"));
  if (!steps.length) return;
  var submit = document.getElementById("take-submit");
  var progress = document.getElementById("take-progress");
  var bar = progress.querySelector(".progress-bar");
  var current = 1;

  function stepOf(hash) {
    if (!hash || hash.length < 2) return 0;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    var step = target && target.closest(".take-step");
    return step ? Number(step.dataset.step) : 0;
  }

  function show(number, moved) {
    current = Math.min(Math.max(number, 1), steps.length);
    steps.forEach(function (step) { step.hidden = Number(step.dataset.step) !== current; });
    submit.hidden = current !== steps.length;
    var percent = Math.round(100 * (current - 1) / steps.length);
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
    if (moved) {
      // Kept in the address, so that a reload opens the same step.
      history.replaceState(null, "", "#step-" + current);
      var heading = document.getElementById("step-" + current + "-title");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  }

  form.querySelectorAll(".step-nav").forEach(function (nav) { nav.hidden = false; });
  progress.hidden = false;
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-go]");
    if (!button) return;
    show(current + (button.dataset.go === "next" ? 1 : -1), true);
  });
  // A link to a question (the problems' list, the autosave's message) opens its step.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var number = stepOf(link.getAttribute("href"));
    if (number && number !== current) show(number, false);
  });
  window.addEventListener("hashchange", function () {
    var number = stepOf(location.hash);
    if (number && number !== current) show(number, false);
  });

  var problems = document.querySelector("#problems a[href^='#']");
  var first = stepOf(location.hash) || (problems && stepOf(problems.getAttribute("href")));
  show(first || Number(form.dataset.resume) || 1, false);
})();
