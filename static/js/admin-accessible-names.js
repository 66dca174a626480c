// Names for the admin controls that Django's and Select2's own scripts create without one, so
// that a screen reader announces them (axe-core's "label", "aria-prohibited-attr" and "list"
// rules; tests/e2e/test_accessibility.py). The inputs Ustaz renders itself are named on the
// server (lms/admin_labels.py); these exist only once a script has run, so a script names them,
// again whenever the page adds some (a new inline row, a Select2 box opened or re-drawn).
(function () {
  "use strict";

  function labelText(id) {
    const label = id && document.querySelector('label[for="' + CSS.escape(id) + '"]');
    return label ? label.textContent.trim().replace(/[:：]\s*$/, "") : "";
  }

  function nameControls(root) {
    // The filter box of a "chosen / available" picker (filter_horizontal) carries its help as
    // an aria-label on a span that has no role; as an image it is read as the box's name.
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    // Select2's search box of a many-to-many autocomplete has no label: it takes the label of
    // the select it stands for (the select comes just before Select2's container).
    root.querySelectorAll("input.select2-search__field:not([aria-label])").forEach(function (input) {
      const container = input.closest(".select2-container");
      const select = container && container.previousElementSibling;
      const name = select && select.tagName === "SELECT" ? labelText(select.id) : "";
      if (name) input.setAttribute("aria-label", name);
    });
    // Select2 puts its mouse-only "clear all" cross inside its list of chosen items; a list may
    // hold only items, and the keyboard clears with Backspace, so the cross is hidden from
    // screen readers.
    root.querySelectorAll(".select2-selection__rendered > .select2-selection__clear:not([aria-hidden])")
      .forEach(function (cross) { cross.setAttribute("aria-hidden", "true"); });
  }

  function start() {
    nameControls(document);
    new MutationObserver(function (changes) {
      if (changes.some(function (change) { return change.addedNodes.length; })) {
        nameControls(document);
      }
    }).observe(document.body, {childList: true, subtree: true});
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
