// Progressive enhancement for the "Help for this translation" panel
// (translation_queue/help_panel.html) in wagtail-localize's translation editor.
//
// The panel is rendered by the server below the editor, one <details> per segment that needs
// work, in the editor's order (translation_queue.editor_help). wagtail-localize's React editor
// renders each segment as an <li class="complete | incomplete | errored"> whose first <p> child
// is the source text, exactly as stored (StringSegment's string data); it exposes no segment id.
// So an entry is matched by its data-help-source-text: the n-th entry with a text goes right
// after the source of the n-th segment with that text (both lists are in the editor's order),
// provided the editor shows as many segments with that text as the panel has entries;
// otherwise those entries stay in the panel. When its segment goes away (React re-renders),
// an entry goes back to the panel. Without JavaScript the panel below the editor is the whole
// help.
(function () {
  "use strict";

  var SEGMENT_STATES = ["complete", "incomplete", "errored"];

  var editor = document.querySelector(".js-translation-editor");
  var panel = document.querySelector("[data-translation-help]");
  if (!editor || !panel) {
    return;
  }

  var entries = Array.prototype.slice
    .call(panel.querySelectorAll("li[data-help-source-text]"))
    .map(function (item) {
      return {
        item: item,
        details: item.querySelector("[data-help-details]"),
        text: item.getAttribute("data-help-source-text").trim(),
      };
    })
    .filter(function (entry) {
      return entry.details && entry.text;
    });
  if (!entries.length) {
    return;
  }
  // {source text: number of entries with that text}; each entry's rank among them.
  var entriesWithText = new Map();
  entries.forEach(function (entry) {
    entry.occurrence = entriesWithText.get(entry.text) || 0;
    entriesWithText.set(entry.text, entry.occurrence + 1);
  });

  function segmentSources() {
    // {source text: [its <p> elements, in the editor's order]} for the segments it shows now.
    var sources = new Map();
    editor.querySelectorAll("li").forEach(function (segment) {
      var isSegment = SEGMENT_STATES.some(function (state) {
        return segment.classList.contains(state);
      });
      if (!isSegment) {
        return;
      }
      var source = Array.prototype.find.call(segment.children, function (child) {
        return child.tagName === "P";
      });
      if (!source) {
        return;
      }
      var text = source.textContent.trim();
      if (!sources.has(text)) {
        sources.set(text, []);
      }
      sources.get(text).push(source);
    });
    return sources;
  }

  function showBeside(entry, source) {
    if (entry.details.previousElementSibling === source && entry.details.parentNode === source.parentNode) {
      return;
    }
    source.parentNode.insertBefore(entry.details, source.nextSibling);
    entry.details.classList.add("w-px-5");
    entry.details.setAttribute("data-help-beside-segment", "");
    // The segment already shows its source.
    entry.details.querySelectorAll("[data-help-source-block]").forEach(function (block) {
      block.hidden = true;
    });
    entry.item.hidden = true;
  }

  function showInPanel(entry) {
    if (entry.details.parentNode === entry.item) {
      return;
    }
    entry.item.appendChild(entry.details);
    entry.details.classList.remove("w-px-5");
    entry.details.removeAttribute("data-help-beside-segment");
    entry.details.querySelectorAll("[data-help-source-block]").forEach(function (block) {
      block.hidden = false;
    });
    entry.item.hidden = false;
  }

  function place() {
    var sources = segmentSources();
    entries.forEach(function (entry) {
      var matches = sources.get(entry.text) || [];
      if (matches.length === entriesWithText.get(entry.text)) {
        showBeside(entry, matches[entry.occurrence]);
      } else {
        showInPanel(entry);
      }
    });
  }

  // The editor renders after this script runs, and again as the translator works. The
  // observer's callback runs once per batch of changes; place() changes nothing when every
  // entry is already where it belongs, so its own moves do not call it again and again.
  new MutationObserver(place).observe(editor, { childList: true, subtree: true });
  place();
})();
