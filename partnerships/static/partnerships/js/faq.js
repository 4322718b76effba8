// Progressive enhancement for the FAQ accordion (partnerships/blocks/faq_block.html).
// Without this script every question still opens and closes (<details>), and a link to a
// question scrolls to it; with it, the question a link points at is also opened.
(function () {
  "use strict";

  function openTargetedQuestion() {
    var id;
    try {
      id = decodeURIComponent(window.location.hash.slice(1));
    } catch (error) {
      return; // a malformed address: nothing to open
    }
    if (!id) {
      return;
    }
    var target = document.getElementById(id);
    var details = target && target.closest("details.faq__item");
    if (details && !details.open) {
      details.open = true;
      details.scrollIntoView();
    }
  }

  window.addEventListener("hashchange", openTargetedQuestion);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openTargetedQuestion);
  } else {
    openTargetedQuestion();
  }
})();
