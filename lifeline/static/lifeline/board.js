/* The check-in board refreshes its live part (counts and people) by itself.
   Every data-seconds seconds, while the tab is seen, it asks data-live-url with the page's own
   query string (the reader's filters and page) and puts the answer in place. It waits while the
   reader is writing in the list (an open "Log a call", a focused field), and asks at once when the
   tab is seen again. Without this script the page works as it is, with its "Refresh" link. */
(function () {
  "use strict";
  function setUp() {
    var live = document.getElementById("board-live");
    if (!live || !window.fetch) return;
    var status = document.getElementById("board-updated");
    var seconds = Math.max(5, parseInt(live.getAttribute("data-seconds"), 10) || 20);
    var url = live.getAttribute("data-live-url") + window.location.search;
    var timer = null;
    var busy = false;

    function say(key) {
      if (status) status.textContent = status.getAttribute("data-" + key) || "";
    }
    function writing() {
      var active = document.activeElement;
      return live.querySelector("details[open]") !== null || (active && active !== document.body && live.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
    }
    function schedule() {
      window.clearTimeout(timer);
      if (!document.hidden) timer = window.setTimeout(refresh, seconds * 1000);
    }
    function refresh() {
      if (document.hidden || busy) return;
      if (writing()) {
        say("paused");
        schedule();
        return;
      }
      busy = true;
      window
        .fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" }, cache: "no-store" })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          if (!writing()) live.innerHTML = html;
          live.setAttribute("data-refreshed", String(Date.now()));
          say("auto");
        })
        .catch(function () {
          say("failed");
        })
        .then(function () {
          busy = false;
          schedule();
        });
    }
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) window.clearTimeout(timer);
      else refresh();
    });
    say("auto");
    schedule();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
