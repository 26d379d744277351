/* What Django's admin leaves unnamed for a screen reader or out of reach for a keyboard (axe,
   WCAG 2.1 AA), on every admin page (templates/admin/base_site.html):
   - a field in a tabular inline has no <label>: it is named by its column's heading;
   - an autocomplete field's Select2 box is named by the field's label (Select2 names it only
     by the value chosen, so an empty one has no name);
   - the filter boxes' search icons carry an aria-label without a role;
   - an inline that scrolls sideways (narrow screens) is a region that takes the focus, so a
     keyboard can scroll it. */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function nameTabularFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      table.querySelectorAll("td[class*='field-']").forEach(function (cell) {
        var match = cell.className.match(/(?:^|\s)field-(\S+)/);
        var heading = match && table.querySelector("thead th.column-" + match[1]);
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          if (heading && !field.labels.length && !field.hasAttribute("aria-label")) {
            field.setAttribute("aria-label", text(heading));
          }
        });
      });
    });
  }

  function nameSelect2Boxes(root) {
    root.querySelectorAll("select.select2-hidden-accessible").forEach(function (select) {
      var container = select.nextElementSibling;
      var box = container && container.querySelector(".select2-selection");
      if (!box) {
        return;
      }
      var rendered = box.querySelector(".select2-selection__rendered");
      var label = select.labels.length ? select.labels[0] : null;
      if (label) {
        label.id = label.id || select.id + "-label";
        var ids = label.id + (rendered && rendered.id ? " " + rendered.id : "");
        box.setAttribute("aria-labelledby", ids);
        if (rendered) {
          rendered.setAttribute("aria-labelledby", ids);
        }
      } else if (select.hasAttribute("aria-label")) {
        box.setAttribute("aria-label", select.getAttribute("aria-label"));
        if (rendered) {
          rendered.setAttribute("aria-label", select.getAttribute("aria-label"));
        }
      }
    });
  }

  function roleSearchIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function focusableScrollingInlines() {
    document.querySelectorAll(".inline-group").forEach(function (group) {
      var heading = group.querySelector(".inline-heading, h2");
      if (group.scrollWidth > group.clientWidth && heading) {
        heading.id = heading.id || group.id + "-heading";
        group.setAttribute("role", "region");
        group.setAttribute("aria-labelledby", heading.id);
        group.setAttribute("tabindex", "0");
      } else if (group.getAttribute("tabindex") === "0") {
        group.removeAttribute("role");
        group.removeAttribute("aria-labelledby");
        group.removeAttribute("tabindex");
      }
    });
  }

  function start() {
    nameTabularFields(document);
    nameSelect2Boxes(document);
    roleSearchIcons(document);
    focusableScrollingInlines();
    window.addEventListener("resize", focusableScrollingInlines);
    // the filter boxes (SelectFilter2.js) are built when the page has loaded
    window.addEventListener("load", function () {
      roleSearchIcons(document);
      focusableScrollingInlines();
    });
    // a row added to an inline: after Django's own listener has set up its Select2 boxes
    document.addEventListener("formset:added", function (event) {
      nameTabularFields(event.target.closest(".inline-group") || document);
      nameSelect2Boxes(event.target);
      focusableScrollingInlines();
    });
  }

  // after Django's own ready handlers (Select2 boxes, filter boxes), which queued first
  if (window.django && window.django.jQuery) {
    window.django.jQuery(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
