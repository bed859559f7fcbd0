// A background job's page: ask for its progress every few seconds and show it; when the
// job has finished, load the page again (it then offers the file, or the reason and a
// retry button). Without this script the page refreshes itself (<meta refresh>).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("job");
    if (!box || box.getAttribute("data-finished") === "1" || !window.fetch) { return; }
    var url = box.getAttribute("data-status-url");
    var every = (parseInt(box.getAttribute("data-poll-seconds"), 10) || 2) * 1000;
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-progress-text");
    var badge = document.getElementById("job-status");
    var lastText = text ? text.textContent : "";

    function show(state) {
      if (bar) {
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
      }
      if (badge) { badge.textContent = state.status_label; }
      if (text && state.total) {
        var line = state.done + " / " + state.total + " (" + state.percent + "%)";
        // The live region speaks only when the words change.
        if (line !== lastText) { text.textContent = line; lastText = line; }
      }
    }

    function poll() {
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (state) {
          show(state);
          if (state.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, every);
          }
        })
        .catch(function () { window.setTimeout(poll, every * 3); });
    }

    window.setTimeout(poll, every);
  });
})();
