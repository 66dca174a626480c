// Saves the teacher's draft while they type: a few seconds after the last change, and when
// they leave the page. Without JavaScript the form's "Save draft" button does the same.
(function () {
  "use strict";
  var form = document.getElementById("work-form");
  if (!form || !form.dataset.autosaveUrl) return;
  var status = document.getElementById("autosave-status");
  var fields = ["text", "link"].map(function (name) { return form.elements[name]; })
    .filter(Boolean);
  if (!fields.length) return;
  var timer = null;
  var lastSent = null;

  function payload() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    fields.forEach(function (field) { data.append(field.name, field.value); });
    return data;
  }

  function snapshot() {
    return fields.map(function (field) { return field.value; }).join("\u0000");
  }

  // What the server sent: text typed before this script ran (a slow connection, a quick typist)
  // differs from it and is saved at once, not taken for what is already stored.
  function stored() {
    return fields.map(function (field) { return field.defaultValue; }).join("\u0000");
  }

  function save() {
    timer = null;
    var current = snapshot();
    if (current === lastSent) return;
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: payload(), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) { lastSent = current; }
        if (status) { status.textContent = body.message || body.error || ""; }
      });
    }).catch(function () { /* offline: the next change or the button saves it */ });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 3000);
  }

  lastSent = stored();
  if (snapshot() !== lastSent) schedule();
  fields.forEach(function (field) {
    field.addEventListener("input", schedule);
    field.addEventListener("change", save);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && snapshot() !== lastSent) {
      navigator.sendBeacon(form.dataset.autosaveUrl, payload());
    }
  });
})();
