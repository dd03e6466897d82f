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

// "Accept these" asks first, naming how many suggestions the chosen score accepts (the words are
// those of matching.views.review.accept_above_confirm).
(function () {
  var form = document.getElementById("accept-above");
  if (!form) return;
  var input = form.querySelector("input[name=min_score]");
  var button = form.querySelector("button[data-confirm]");
  function update() {
    var threshold = Number(input.value);
    if (input.value === "" || isNaN(threshold)) return;
    var count = 0;
    // Every pending suggestion's score (the page shows some of them: they come a page at a time).
    (form.dataset.scores || "").split(" ").forEach(function (score) {
      if (score !== "" && Number(score) >= threshold) count += 1;
    });
    button.dataset.confirm = "Accept all " + count + " suggestion" + (count === 1 ? "" : "s") +
      " scoring " + threshold + " or more? Each pair becomes a match and both people are emailed an introduction.";
  }
  input.addEventListener("input", update);
  update();
})();
