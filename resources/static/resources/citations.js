// Progressive enhancement of "Cite this": a "Copy" button after each citation puts its text on
// the clipboard. Without JavaScript (or without the Clipboard API) there is no button and the
// citations stay selectable text.
(function () {
  "use strict";
  var section = document.querySelector("[data-citations]");
  if (!section || !navigator.clipboard) return;
  var status = section.querySelector("[data-citation-status]");
  section.querySelectorAll("[data-copy-label]").forEach(function (citation) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "citation__copy";
    button.textContent = citation.getAttribute("data-copy-label");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(citation.textContent.trim()).then(
        function () {
          status.textContent = section.getAttribute("data-copied");
        },
        function () {
          status.textContent = section.getAttribute("data-copy-failed");
        }
      );
    });
    citation.insertAdjacentElement("afterend", button);
  });
})();
