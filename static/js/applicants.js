// The applicant list: a box to tick everyone on the page, and a count of the people ticked, shown
// and put into the confirmation each bulk button asks (confirm.js reads data-confirm).
(function () {
  var form = document.querySelector("form[data-bulk]");
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('tbody input[type="checkbox"]'));
  var all = form.querySelector("[data-select-all]");
  var status = form.querySelector("[data-bulk-count]");

  function update() {
    var n = boxes.filter(function (box) { return box.checked; }).length;
    var people = n === 1 ? "1 person" : n + " people";
    if (status) status.textContent = n ? people + " ticked." : "Nobody is ticked yet: tick people in the list above.";
    Array.prototype.forEach.call(form.querySelectorAll("[data-confirm-template]"), function (button) {
      button.dataset.confirm = button.dataset.confirmTemplate.replace("{n}", people);
    });
    if (all) {
      all.checked = n > 0 && n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    }
  }

  if (all && boxes.length) {
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
  }
  form.addEventListener("change", update);
  update();
})();
