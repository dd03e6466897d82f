/* Profile page, progressive enhancement (the form works without it).
 *
 * 1. "Pick or add" fields hold comma-separated names, but a browser's <datalist> suggests whole
 *    values only. While someone types, rewrite the suggestions to start with what is already
 *    typed, so "Python, ga" offers "Python, Gardening". Names already chosen are left out.
 * 2. After a refused save, move focus to the summary of problems so that it is read out first.
 */
(function () {
  "use strict";

  function namesBefore(text) {
    return text
      .split(",")
      .map(function (name) { return name.trim().toLowerCase(); })
      .filter(Boolean);
  }

  document.querySelectorAll("input[data-pick-list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) {
      return;
    }
    // The datalist is shared by several inputs: each keeps its own copy of the plain names.
    var names = Array.prototype.map.call(list.options, function (option) { return option.value; });
    var shown = null;

    function refresh() {
      var text = input.value;
      var cut = text.lastIndexOf(",");
      var prefix = cut < 0 ? "" : text.slice(0, cut + 1).replace(/\s*$/, " ");
      var key = input.id + "|" + prefix;
      if (key === shown) {
        return;
      }
      shown = key;
      var chosen = new Set(namesBefore(prefix));
      var options = document.createDocumentFragment();
      names.forEach(function (name) {
        if (!chosen.has(name.toLowerCase())) {
          var option = document.createElement("option");
          option.value = prefix + name;
          options.appendChild(option);
        }
      });
      list.replaceChildren(options);
    }

    input.addEventListener("focus", function () {
      shown = null; // another input may have rewritten the shared list
      refresh();
    });
    input.addEventListener("input", refresh);
  });

  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();
