// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var exitLink = document.querySelector("[data-quick-exit]");
  function leave(event) {
    if (event) { event.preventDefault(); }
    var target = exitLink ? exitLink.href : "https://www.bbc.co.uk/weather";
    // Hide the page at once, then replace this history entry so "Back" does not return here.
    document.body.style.display = "none";
    document.title = "";
    window.location.replace(target);
  }
  if (exitLink) { exitLink.addEventListener("click", leave); }
  var lastEscape = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(); }
    lastEscape = now;
  });
  // Stop a double-clicked submit from sending a form twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    window.setTimeout(function () { form.dataset.submitting = ""; }, 5000);
  }, true);
})();
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
})();
