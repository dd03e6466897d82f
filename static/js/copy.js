// A "Copy" button (data-copy="<id of a field>") copies that field's value; it is shown only where
// the clipboard can be used (elsewhere the field stays, to select and copy by hand).
(function () {
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector("[data-copy-status]");
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) status.textContent = "Copied.";
        },
        function () {
          field.select();
          if (status) status.textContent = "Select the address and copy it.";
        }
      );
    });
  });
})();
