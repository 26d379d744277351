// The progress page of an import: asks the page itself (as JSON) every few seconds whether the
// worker has read the file, and goes on to the review (or the reason it stopped) when it has.
// Without script the page's link does the same.
(function () {
  "use strict";
  var status = document.getElementById("import-status");
  if (!status || !window.fetch) return;
  var url = status.getAttribute("data-poll-url");
  var seconds = Number(status.getAttribute("data-poll-seconds")) || 2;
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer && answer.status !== "queued") {
          window.location.assign(url);
        } else {
          window.setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, seconds * 1000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
