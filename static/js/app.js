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

  // ==== dashboard ====
  // This area's code goes here, above the next section.



  // ==== contact ====
  // This area's code goes here, above the next section.



  // ==== locale ====
  // This area's code goes here, above the next section.



  // ==== activity ====
  // This area's code goes here, above the next section.



  // ==== a11y ====
  // This area's code goes here, above the next section.



  document.addEventListener("DOMContentLoaded", function () { proposeTimeZone(document); });
  document.addEventListener("htmx:load", function (event) { proposeTimeZone(event.target); });
})();
