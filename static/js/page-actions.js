// What inline event handlers used to do (the Content-Security-Policy runs no inline script):
//   <button data-action="print">        prints the page;
//   <select data-submit-on-change>      sends its form as soon as a choice is made.
(function () {
  // This browser runs scripts: "Start" or "Continue" of a diagnosis opens the one form, whose
  // steps only work with scripts (diagnostics/views/taking.py, SCRIPTS_COOKIE). Set on every
  // page, so the teacher's first diagnosis is already the one form; without scripts the paged
  // flow stays.
  document.cookie = "ustaz_scripts=1; path=/; max-age=31536000; SameSite=Lax";
  document.querySelectorAll("[data-action=print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
