// Shows each <time class="local-time"> in the viewer's own time zone (the server renders its own).
(function () {
  var lang = document.documentElement.lang || undefined;
  document.querySelectorAll("time.local-time").forEach(function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (isNaN(when)) return;
    try {
      node.textContent = new Intl.DateTimeFormat(lang, {dateStyle: "medium", timeStyle: "short", timeZoneName: "short"}).format(when);
    } catch (error) { /* an old browser keeps the server's text */ }
  });
})();
