// Carries a signed-out visitor's answers through signup in this tab's sessionStorage,
// never in a URL (URLs end up in access logs) and never on the server. The result's
// signup link holds them packed ("5,3,6,...", item order); the take page opened with
// ?kept=1 fills them in for the person to save, then forgets them.
(function () {
  "use strict";

  var PREFIX = "attune:answers:";

  function store(event) {
    var link = event.target.closest && event.target.closest("a[data-keep-answers]");
    if (!link) return;
    try {
      sessionStorage.setItem(PREFIX + link.getAttribute("data-keep-slug"), link.getAttribute("data-keep-answers"));
    } catch (error) { /* storage off: signing up starts fresh */ }
  }

  function restore() {
    document.querySelectorAll("form[data-keep-restore]").forEach(function (form) {
      var key = PREFIX + form.getAttribute("data-keep-restore");
      var packed;
      try {
        packed = sessionStorage.getItem(key);
        sessionStorage.removeItem(key);
      } catch (error) {
        return;
      }
      if (!packed) return;
      var values = packed.split(",");
      var questions = form.querySelectorAll("fieldset.question");
      if (values.length !== questions.length) return;
      var filled = 0;
      questions.forEach(function (question, index) {
        question.querySelectorAll("input[type=radio]").forEach(function (input) {
          if (input.value === values[index]) {
            input.checked = true;
            filled += 1;
          }
        });
      });
      var message = form.querySelector("[data-kept-message]");
      if (message && filled === questions.length) message.hidden = false;
    });
  }

  document.addEventListener("click", store);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
