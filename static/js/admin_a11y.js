// The admin site for screen readers: names Django's own widgets leave out. Every page
// works without this file; it only adds names.
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function unnamed(box) {
    return !box.labels.length && !box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby");
  }

  // A tabular inline's boxes: the column's heading (the same place in the head row), and
  // the row's record.
  function nameInlineFields(root) {
    root.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      table.querySelectorAll("tbody td").forEach(function (cell) {
        var heading = text(heads[cell.cellIndex]).replace(/[?？:：]$/, "");
        var row = text(cell.closest("tr").querySelector("td.original p"));
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (box) {
          if (unnamed(box) && heading) {
            box.setAttribute("aria-label", row ? heading + " · " + row : heading);
          }
        });
      });
    });
  }

  // A field made of several boxes (a date and a time): the field's name and the box's own
  // word ("日期:", "时间:") written before it.
  function nameSplitFields(root) {
    root.querySelectorAll(".form-row").forEach(function (row) {
      var field = text(row.querySelector("label, legend")).replace(/[:：]$/, "");
      row.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (box) {
        if (!unnamed(box) || !field) { return; }
        var before = box.previousSibling;
        var word = before && before.nodeType === 3 ? before.textContent.trim().replace(/[:：]$/, "") : "";
        box.setAttribute("aria-label", word ? field + " · " + word : field);
      });
    });
  }

  // select2 (autocomplete) shows a combobox in place of the select: give it the select's name.
  function nameComboboxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var holder = select.nextElementSibling;
      var label = select.getAttribute("aria-label") || text(select.labels[0]);
      if (!holder || !label) { return; }
      holder.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (box) {
        if (!box.hasAttribute("aria-label")) { box.setAttribute("aria-label", label); }
      });
    });
  }

  // The two-box chooser's search icons carry a name: they are pictures.
  function nameIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll(root) {
    nameInlineFields(root);
    nameSplitFields(root);
    nameComboboxes(root);
    nameIcons(root);
  }

  // After Django's own scripts have built their widgets (select2 on ready, the chooser on load).
  window.addEventListener("load", function () {
    window.setTimeout(function () { nameAll(document); }, 0);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () { nameAll(event.target.closest(".inline-group") || document); }, 0);
  });
})();
