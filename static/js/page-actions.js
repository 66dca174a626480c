// What inline event handlers used to do (the Content-Security-Policy runs no inline script):
//   <button data-action="print">        prints the page;
//   <select data-submit-on-change>      sends its form as soon as a choice is made.
(function () {
  document.querySelectorAll("[data-action=print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
