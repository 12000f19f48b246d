// The little Attune needs beyond htmx: fill in the browser's time zone, offer it in
// the time zone picker, copy and share an invite link. Loaded with the page's CSP
// nonce; no inline handlers.
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  function fillTimeZone() {
    var zone = browserZone();
    document.querySelectorAll("input[data-time-zone]").forEach(function (input) {
      if (!input.value && zone) input.value = zone;
    });
  }

  // The picker (templates/forms/widgets/time_zone_select.html): a button to pick this
  // phone's zone when another one is selected, and, when the stored zone is still the
  // UTC fallback, the phone's zone picked already with a line saying so. Saving stays
  // with the person.
  function setupTimeZonePickers(root) {
    var zone = browserZone();
    if (!zone) return;
    root.querySelectorAll("[data-time-zone-picker]").forEach(function (picker) {
      var select = picker.querySelector("select");
      var note = picker.querySelector("[data-time-zone-note]");
      var use = picker.querySelector("[data-time-zone-use]");
      if (!select || picker.hasAttribute("data-ready")) return;
      picker.setAttribute("data-ready", "");
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === zone; });
      if (!known) return;
      picker.querySelectorAll("[data-time-zone-name]").forEach(function (name) { name.textContent = zone; });
      var update = function () {
        use.hidden = select.value === zone;
        if (select.value !== zone) note.hidden = true;
      };
      if (select.hasAttribute("data-time-zone-fallback") && select.value !== zone) {
        select.value = zone;
        note.hidden = false;
      }
      select.addEventListener("change", update);
      use.addEventListener("click", function () {
        select.value = zone;
        update();
        select.focus();
      });
      update();
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
        // The share sheet gets the message too, not a bare link: the link sits at the
        // end of the message, so only the text is shared when there is one.
        var message = document.querySelector(button.getAttribute("data-share-text") || "");
        var data = message
          ? { title: button.getAttribute("data-share-title") || document.title, text: message.value }
          : { title: button.getAttribute("data-share-title") || document.title, url: field.value };
        navigator.share(data)
          .catch(function () { /* the user closed the share sheet */ });
      });
    });
  }

  // The answer's character counter: quiet until the limit is near (the last tenth),
  // then "N characters left". Line breaks count once, as the server counts them.
  function setupCounters(root) {
    root.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var counter = document.querySelector(area.getAttribute("data-counter"));
      var limit = parseInt(area.getAttribute("maxlength"), 10);
      if (!counter || !limit || area.hasAttribute("data-counter-ready")) return;
      area.setAttribute("data-counter-ready", "");
      var update = function () {
        var left = limit - area.value.replace(/\r\n/g, "\n").length;
        counter.hidden = left > limit / 10;
        counter.textContent = (counter.getAttribute("data-counter-text") || "{count}").replace("{count}", left);
      };
      area.addEventListener("input", update);
      update();
    });
  }

  function start() {
    fillTimeZone();
    setupTimeZonePickers(document);
    setupCopy();
    setupShare();
    setupCounters(document);
    // Forms swapped in by htmx (a 422 with field errors) bring a new picker or counter.
    document.body.addEventListener("htmx:load", function (event) {
      setupTimeZonePickers(event.detail.elt.parentNode || document);
      setupCounters(event.detail.elt.parentNode || document);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
