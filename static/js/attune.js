// The little Attune needs beyond htmx: fill in the browser's time zone, copy and
// share an invite link. Loaded with the page's CSP nonce; no inline handlers.
(function () {
  "use strict";

  function fillTimeZone() {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      zone = "";
    }
    document.querySelectorAll("input[data-time-zone]").forEach(function (input) {
      if (!input.value && zone) input.value = zone;
    });
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.querySelector(button.getAttribute("data-copy"));
        if (!field) return;
        var done = function () {
          var label = button.textContent;
          button.textContent = button.getAttribute("data-copied-label") || label;
          window.setTimeout(function () { button.textContent = label; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () {
            field.select();
          });
        } else {
          field.select();
          try { document.execCommand("copy"); done(); } catch (error) { /* selected: the user can copy */ }
        }
      });
    });
  }

  function setupShare() {
    if (!navigator.share) return;
    document.querySelectorAll("[data-share]").forEach(function (button) {
      var field = document.querySelector(button.getAttribute("data-share"));
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: button.getAttribute("data-share-title") || document.title, url: field.value })
          .catch(function () { /* the user closed the share sheet */ });
      });
    });
  }

  function start() {
    fillTimeZone();
    setupCopy();
    setupShare();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
