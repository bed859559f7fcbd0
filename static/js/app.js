// unionhome: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Phone navigation: the menu button opens and closes the menu.
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("mainnav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    // Selects marked data-autosubmit send their form when changed (filters, language).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        if (select.form) { select.form.submit(); }
      });
    });

    // Buttons marked data-confirm ask before submitting.
    document.querySelectorAll("[data-confirm]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });

    // "Tick the whole group": every checkbox of the named field.
    document.querySelectorAll("[data-check-all]").forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.getAttribute("data-check-all");
        var boxes = document.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
        var allTicked = Array.prototype.every.call(boxes, function (box) { return box.checked; });
        boxes.forEach(function (box) { box.checked = !allTicked; });
      });
    });

    // Filters folded away on a phone stand open on a desk.
    var wide = window.matchMedia("(min-width: 720px)");
    function openOnWide() {
      if (!wide.matches) { return; }
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
        details.open = true;
      });
    }
    openOnWide();
    wide.addEventListener("change", openOnWide);

    // A table wider than its box says so (and keeps its first column in view, app.css).
    var hint = document.body.getAttribute("data-scroll-hint");
    function markScrolling() {
      document.querySelectorAll(".table-wrap").forEach(function (wrap) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        wrap.classList.toggle("scrolls", scrolls);
        // A region that scrolls is reached by keyboard too (arrow keys scroll it). Regions
        // the page names itself are left as they are.
        var ours = wrap.hasAttribute("data-js-region");
        if (scrolls && !wrap.hasAttribute("role")) {
          var table = wrap.querySelector("table");
          var named = table && (table.getAttribute("aria-label") || (table.caption && table.caption.textContent));
          var heading = document.querySelector("main h1");
          wrap.tabIndex = 0;
          wrap.setAttribute("role", "region");
          wrap.setAttribute("data-js-region", "");
          wrap.setAttribute("aria-label", (named || (heading && heading.textContent) || document.title).trim());
        } else if (!scrolls && ours) {
          ["tabindex", "role", "aria-label", "data-js-region"].forEach(function (name) {
            wrap.removeAttribute(name);
          });
        }
        var next = wrap.nextElementSibling;
        if (scrolls && hint && !(next && next.classList.contains("scroll-hint"))) {
          var note = document.createElement("p");
          note.className = "scroll-hint";
          note.textContent = hint;
          wrap.parentNode.insertBefore(note, wrap.nextSibling);
        }
      });
    }
    markScrolling();
    window.addEventListener("resize", markScrolling);

    // A form sent back with mistakes: say so at its top (announced by screen readers) and
    // put the cursor in the first field to correct.
    var summary = document.body.getAttribute("data-error-summary");
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      var wrong = form.querySelectorAll(".field.has-error");
      if (!wrong.length || !summary || form.querySelector(".error-summary")) { return; }
      var note = document.createElement("p");
      note.className = "error-summary";
      note.setAttribute("role", "alert");
      note.textContent = summary.replace("{count}", wrong.length);
      form.insertBefore(note, form.firstChild);
      var first = wrong[0].querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });

    // Print buttons.
    document.querySelectorAll("[data-print]").forEach(function (element) {
      element.addEventListener("click", function () { window.print(); });
    });
  });
})();
