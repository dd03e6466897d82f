/* The program form, progressive enhancement (the form works without it: the server ignores the
 * dates of a rolling program).
 *
 * 1. While "Rolling" is ticked, the start and end dates are hidden and disabled: a rolling program
 *    has none, and a date that shows would look as if it counted.
 * 2. After a refused save, focus moves to the summary of problems at the top of the form, so that
 *    it is seen (and read out) first.
 */
(function () {
  "use strict";

  var rolling = document.querySelector("input[data-rolling]");
  var dates = document.querySelectorAll("input[data-fixed-dates]");

  function fieldOf(input) {
    return input.closest(".field") || input;
  }

  function sync() {
    var hide = rolling.checked;
    dates.forEach(function (input) {
      input.disabled = hide;
      fieldOf(input).hidden = hide;
    });
  }

  if (rolling && dates.length) {
    rolling.addEventListener("change", sync);
    sync();
  }

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
