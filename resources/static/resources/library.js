// Progressive enhancement of the library form: a change to a filter or the sort order submits
// the form at once (the page works without this, through the submit buttons), and focus goes
// back to the control that changed once the new page has loaded.
(function () {
  "use strict";
  var form = document.querySelector("[data-library-form]");
  if (!form) return;
  var key = "library-focus";
  var restored = false;
  // The filters' disclosure: open beside the results on a wide screen in browsers that cannot
  // show a closed <details>' content through CSS (site.css, ::details-content).
  var filters = form.querySelector("[data-library-filters]");
  var supportsDetailsContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (filters && !supportsDetailsContent && window.matchMedia("(min-width: 60rem)").matches) {
    filters.open = true;
  }
  try {
    var focusId = window.sessionStorage.getItem(key);
    window.sessionStorage.removeItem(key);
    var target = focusId && document.getElementById(focusId);
    // A filter just changed on a phone: open the disclosure it is in, so that focus returns to it.
    if (target && filters && filters.contains(target)) filters.open = true;
    if (target) {
      target.focus();
      restored = true;
    }
  } catch (error) {
    // Storage may be unavailable (private mode); focus simply stays at the top.
  }
  // The new page arrives with the result count already in its live region, which screen readers
  // do not announce: after a change made here, empty it and fill it again a moment later so the
  // new count is read out. Without JavaScript the count is simply on the page.
  var status = document.querySelector("[data-library-status]");
  if (restored && status) {
    var count = status.textContent;
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = count;
    }, 100);
  }
  form.addEventListener("change", function (event) {
    var control = event.target;
    if (control.name === "q") return;
    try {
      window.sessionStorage.setItem(key, control.id);
    } catch (error) {
      // See above.
    }
    form.submit();
  });
})();
