// The admin's autocomplete fields are drawn by Select2, which leaves two gaps that axe reports
// (WCAG 2.1 A, 1.3.1 and 4.1.2): its search box has no name, and its "clear" cross sits inside
// a list as a non-item. The box is named after the field's label; the cross, a mouse shortcut
// (Backspace removes a choice from the keyboard), is hidden from assistive technology.
// Select2 draws and redraws these after the page loads, hence the observer.
(function () {
  "use strict";

  function fieldLabel(container) {
    var select = container && container.previousElementSibling;
    var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameSelect2Controls() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      var name = fieldLabel(box.closest(".select2-container"));
      box.setAttribute("aria-label", name ? "Search " + name.toLowerCase() : "Search");
    });
    document.querySelectorAll(".select2-selection__clear:not([aria-hidden])").forEach(function (cross) {
      cross.setAttribute("aria-hidden", "true");
    });
  }

  new MutationObserver(nameSelect2Controls).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
