// Plays the lesson's H5P package with the vendored h5p-standalone and posts the content's own
// "completed" / "answered" xAPI statement (not those of its sub-questions) with its scaled score,
// so the server can record "interactive completed".
(function () {
  "use strict";
  var box = document.getElementById("h5p-player");
  if (!box || !window.H5PStandalone) { return; }
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = token ? token.value : (document.cookie.match(/csrftoken=([^;]+)/) || [])[1];
  var status = document.getElementById("h5p-status");
  var root = box.dataset.h5pPath.replace(/\/$/, "");
  new H5PStandalone.H5P(box, {
    h5pJsonPath: root,
    frameJs: box.dataset.frameJs,
    frameCss: box.dataset.frameCss,
    frame: false,
    copyright: false,
    export: false,
    icon: false
  }).then(function () {
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = event.data.statement || {};
      var verb = ((statement.verb || {}).id || "").split("/").pop();
      if (verb !== "completed" && verb !== "answered") { return; }
      var context = statement.context || {};
      if ((context.contextActivities || {}).parent) { return; }  // a sub-question
      var score = ((statement.result || {}).score || {}).scaled;
      var body = new URLSearchParams({ verb: verb, scaled: score === undefined ? "" : String(score) });
      fetch(box.dataset.resultUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf || "" }
      }).then(function (response) { return response.json(); }).then(function (data) {
        if (data.completed && status) { status.textContent = status.dataset.done; }
      });
    });
  });
})();
