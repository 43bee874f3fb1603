// Things to share (templates/giving/things/detail.html): the "Copy message" buttons of a list
// that htmx swapped in after a share are shown too (app.js shows those of the first load).
(function () {
  "use strict";
  document.addEventListener("htmx:load", function (event) {
    if (!navigator.clipboard || !event.target.querySelectorAll) return;
    event.target.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
