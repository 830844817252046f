// cbectool serve: small comforts only. Every page works the same without this file.
(function () {
  "use strict";

  // A form sends once: a second tap on an old phone must not answer the next question too.
  // (The server also refuses a form for a question that is no longer the current one.)
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) { event.preventDefault(); return; }
      sent = true;
    });
  });

  // "None of these" and the other choices exclude each other, as the server checks.
  document.querySelectorAll("input[type=checkbox][name=answer]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (!box.checked) { return; }
      var exclusive = box.hasAttribute("data-exclusive");
      box.form.querySelectorAll("input[type=checkbox][name=answer]").forEach(function (other) {
        if (other !== box && (exclusive || other.hasAttribute("data-exclusive"))) { other.checked = false; }
      });
    });
  });

  // The trainer's table refreshes itself every few seconds (without JavaScript: the page reloads).
  var table = document.querySelector("[data-refresh]");
  if (table && window.fetch) {
    setInterval(function () {
      fetch(table.getAttribute("data-refresh"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { table.innerHTML = html; } })
        .catch(function () {});
    }, 5000);
  }
})();
