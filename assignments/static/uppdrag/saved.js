// After an action on a milestone the page opens at the milestone (its anchor) with the
// confirmation on its card: give the confirmation the focus, so that a screen reader reads
// it and the browser keeps it in view once the page's own components have moved the content.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var saved = document.querySelector("main .uppdrag-saved");
    if (saved && !document.querySelector("main [autofocus]")) {
      saved.focus({ preventScroll: true });
      saved.scrollIntoView({ block: "center" });
    }
  });
})();
