// A conversation's new messages, without a reload: every 5 seconds, while the tab is visible, ask
// the server for the messages after the last one shown (data-poll-url, ?after=<id>) and append
// them. The server renders them ({"html": list items, "last_id": id}: escaped, contact details held
// as for this reader); the page works without this script (reload to see new messages).
(function () {
  var thread = document.querySelector("ol[data-poll-url]");
  if (!thread || !window.fetch) {
    return;
  }
  var url = thread.dataset.pollUrl;
  var lastId = parseInt(thread.dataset.lastId || "0", 10);
  var every = 5000;
  var timer = null;
  var busy = false;

  function append(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    holder.content.querySelectorAll("li[data-id]").forEach(function (item) {
      var id = parseInt(item.dataset.id, 10);
      if (id <= lastId || document.getElementById(item.id)) {
        return;
      }
      thread.appendChild(item);
      lastId = id;
    });
    var empty = document.getElementById("thread-empty");
    if (empty && thread.children.length) {
      empty.remove();
    }
  }

  function poll() {
    if (busy || document.visibilityState === "hidden") {
      return;
    }
    busy = true;
    fetch(url + "?after=" + lastId, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        if (answer.html) {
          append(answer.html);
        }
      })
      .catch(function () {
        // Offline, signed out, or the server is busy: try again at the next tick.
      })
      .finally(function () {
        busy = false;
      });
  }

  function start() {
    if (timer === null) {
      timer = window.setInterval(poll, every);
    }
  }

  function stop() {
    if (timer !== null) {
      window.clearInterval(timer);
      timer = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      stop();
    } else {
      poll();
      start();
    }
  });
  start();
})();
