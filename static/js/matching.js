// Shows a matching run's progress while it is under way, then reloads the page for the results.
(function () {
  var box = document.getElementById("run-progress");
  if (!box) return;
  var bar = document.getElementById("run-progress-bar");
  var note = document.getElementById("run-progress-note");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (run) {
        bar.value = run.progress;
        bar.textContent = run.progress + "%";
        note.textContent = run.note;
        if (run.active) { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
