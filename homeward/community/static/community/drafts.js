/* Drafts: a form with data-draft-url saves what the member has typed to the server after a
   few seconds of quiet (the "Save draft" button does the same without JavaScript). The CSRF
   token is the form's own; the server answers 204 to these background saves. */
(function () {
  "use strict";
  var QUIET_MS = 3000;

  function setUp(form) {
    var url = form.getAttribute("data-draft-url");
    var status = form.querySelector(".draft-status");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var timer = null;
    var lastSent = null;

    function snapshot() {
      var data = new FormData();
      ["title", "body"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && "value" in field) { data.append(name, field.value); }
      });
      return data;
    }

    function key(data) {
      return (data.get("title") || "") + "\u0000" + (data.get("body") || "");
    }

    function save() {
      timer = null;
      var data = snapshot();
      var current = key(data);
      if (current === lastSent) { return; }
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", "X-Homeward-Autosave": "1" }
      }).then(function (response) {
        if (response.status === 204) {
          lastSent = current;
          if (status) {
            var now = new Date();
            status.textContent = "Draft saved at " + now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
          }
        }
      }).catch(function () {
        if (status) { status.textContent = "Couldn't save your draft just now. We'll try again."; }
      });
    }

    lastSent = key(snapshot());
    form.addEventListener("input", function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, QUIET_MS);
    });
    form.addEventListener("submit", function () {
      if (timer) { window.clearTimeout(timer); timer = null; }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-url]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
