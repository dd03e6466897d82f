// The program menu (templates/_program_nav.html) is a <details> sent open: on a phone it folds into
// "Program menu: <this page>", and on a wider screen it stays open (its summary is not shown there).
(function () {
  var narrow = window.matchMedia("(max-width: 40rem)");
  var menus = document.querySelectorAll("details.program-menu");

  menus.forEach(function (menu) {
    var current = menu.querySelector('a[aria-current="page"]');
    var slot = menu.querySelector(".program-menu-current");
    if (current && slot) {
      slot.textContent = ": " + current.textContent.replace(/\s+/g, " ").trim();
    }
  });

  function fit() {
    menus.forEach(function (menu) {
      menu.open = !narrow.matches;
    });
  }

  fit();
  narrow.addEventListener("change", fit);
})();
