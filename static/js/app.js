// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Propose the browser's own time zone on sign-up (the user can change it).
  function proposeTimeZone(root) {
    root.querySelectorAll("input[data-propose-time-zone]").forEach(function (input) {
      if (input.value) return;
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone) input.value = zone;
      } catch (e) { /* old browser: the user types it */ }
    });
  }

  // The one live region (#announce, base.html) says what an htmx action did. Focus goes there
  // (never back to <body>), so its Undo is one Tab away; it empties when the next action starts.
  // The lists refreshing afterwards (contactChanged) are GETs: they leave it, and focus, alone.
  function announcement() { return document.getElementById("announce"); }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var region = announcement();
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (!region || verb === "get" || region.contains(event.detail.elt)) return;
    region.replaceChildren();
  });

  function focusAnnouncement(event) {
    var region = announcement();
    var target = event.detail && event.detail.target;
    if (!region || !(target === region || event.target === region)) return;
    if (!region.textContent.trim()) return;
    var menu = document.activeElement && document.activeElement.closest("details.menu");
    if (menu) menu.open = false;
    region.focus();
  }
  document.addEventListener("htmx:afterSwap", focusAnnouncement);
  document.addEventListener("htmx:oobAfterSwap", focusAnnouncement);

  // Compact menus (<details class="menu">): Escape closes and returns to the button, a click
  // elsewhere closes, and opening one closes the others. Without JS they still open and close.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) menu.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest && event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.activeElement && document.activeElement.closest("details.menu[open]");
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });

  // The list's bulk panel: only the field of the chosen action shows (without JS all show,
  // each labelled for its action), and how many people the edit will touch.
  function bulkPanelUpdate(panel) {
    var form = panel.closest("form");
    var action = panel.querySelector("select[name=action]");
    panel.querySelectorAll("[data-bulk-for]").forEach(function (field) {
      field.hidden = !action || field.getAttribute("data-bulk-for") !== action.value;
    });
    var total = panel.getAttribute("data-total");
    var all = panel.querySelector("[data-bulk-all]");
    var ticked = form ? form.querySelectorAll("input[name=ids]:checked").length : 0;
    var text;
    if (all && all.checked) text = "All " + total + " matching selected.";
    else if (ticked) text = ticked + " selected on this page.";
    else text = "Tick people in the list, or select all " + total + " matching.";
    var count = panel.querySelector("[data-bulk-count]");
    if (count && count.textContent !== text) count.textContent = text;
  }
  function bulkPanels(root) {
    var panels = root.querySelectorAll ? root.querySelectorAll("[data-bulk-panel]") : [];
    panels.forEach(bulkPanelUpdate);
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form");
    var panel = form && form.querySelector("[data-bulk-panel]");
    if (panel) bulkPanelUpdate(panel);
  });
  document.addEventListener("DOMContentLoaded", function () { bulkPanels(document); });
  document.addEventListener("htmx:load", function (event) { bulkPanels(event.target); });

  // A "Copy" button (data-copy="<id>") copies that element's text; it stays hidden without JS
  // or a clipboard, where the text is selectable as it is (templates/api/token_new.html).
  function copyButtons(root) {
    if (!navigator.clipboard || !root.querySelectorAll) return;
    root.querySelectorAll("button[data-copy]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      button.textContent = "Copied";
    });
  });
  document.addEventListener("DOMContentLoaded", function () { copyButtons(document); });

  document.addEventListener("DOMContentLoaded", function () { proposeTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { proposeTimeZone(event.target); });
})();
