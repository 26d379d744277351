// A refused form is answered at the address it was posted to (status 400: the page with the
// form as it was sent, its errors beside its fields), at the form's anchor.
(function () {
  "use strict";
  // The page names its own address (<link rel="canonical">): show that one, keeping the
  // anchor, so that a reload or a bookmark reads the page instead of posting the form again.
  var canonical = document.querySelector('link[rel="canonical"]');
  if (canonical && window.history && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", canonical.href + window.location.hash);
  }
  // Browsers skip `autofocus` when the address has an anchor: give the first field in error
  // (or the form's summary of errors) the focus the page asks for, once the page's own
  // components have set themselves up (they move the page's content, which drops a focus).
  window.addEventListener("load", function () {
    var wanted = document.querySelector("main [autofocus]");
    if (wanted && document.activeElement !== wanted) {
      wanted.focus();
    }
  });
})();
