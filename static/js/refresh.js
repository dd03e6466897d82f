// Reloads a page that waits for work done in the background (e.g. a PDF a worker builds), every
// data-refresh-seconds seconds, while its element with that attribute is on the page. Used instead
// of <meta http-equiv="refresh">, which an assistive-technology user cannot stop.
(function () {
  var waiting = document.querySelector("[data-refresh-seconds]");
  if (!waiting) { return; }
  var seconds = parseInt(waiting.getAttribute("data-refresh-seconds"), 10) || 3;
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
