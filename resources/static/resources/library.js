// Progressive enhancement of the library form: a change to a filter or the sort order submits
// the form at once (the page works without this, through the submit buttons), and focus goes
// back to the control that changed once the new page has loaded.
(function () {
  "use strict";
  var form = document.querySelector("[data-library-form]");
  if (!form) return;
  var key = "library-focus";
  try {
    var focusId = window.sessionStorage.getItem(key);
    window.sessionStorage.removeItem(key);
    var target = focusId && document.getElementById(focusId);
    if (target) target.focus();
  } catch (error) {
    // Storage may be unavailable (private mode); focus simply stays at the top.
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
