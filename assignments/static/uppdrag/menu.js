/* The menu button of every page (templates/viewflow/base_page.html) on viewflow's drawer:
   - aria-expanded follows the menu, whichever way it opened or closed (the button, Escape,
     the scrim, a resize between the phone's modal menu and the laptop's side menu);
   - the phone's menu takes the focus when it opens, also on a page that has no entry of its
     own in the menu (Material's drawer focuses only the current page's entry). */
(function () {
  "use strict";

  function isOpen(drawer) {
    var classes = drawer.classList;
    return classes.contains("mdc-drawer--open") && !classes.contains("mdc-drawer--closing");
  }

  function start() {
    var drawer = document.querySelector(".vf-page__menu");
    var toggle = document.querySelector(".vf-page__menu-toggle");
    if (!drawer || !toggle) {
      return;
    }
    var sync = function () {
      toggle.setAttribute("aria-expanded", isOpen(drawer) ? "true" : "false");
    };
    new MutationObserver(sync).observe(drawer, { attributes: true, attributeFilter: ["class"] });
    drawer.addEventListener("MDCDrawer:opened", function () {
      if (drawer.classList.contains("mdc-drawer--modal") && !drawer.contains(document.activeElement)) {
        var first = drawer.querySelector("nav a, nav button");
        if (first) {
          first.focus();
        }
      }
    });
    sync();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
