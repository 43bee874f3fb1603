// Web Push in the service worker (imported by /sw.js): show the message the server encrypted
// for this browser (notify/services/push.py: JSON title, body, url), and open its link on a tap.
/* global self, clients */
(function () {
  "use strict";

  self.addEventListener("push", function (event) {
    // The app's icon unless the server names another (the unhashed copy collectstatic keeps).
    var message = { title: "network-crm", body: "", url: "/", icon: "/static/icons/icon-192.png" };
    if (event.data) {
      try {
        var data = event.data.json();
        if (data && typeof data === "object") {
          message.title = String(data.title || message.title);
          message.body = String(data.body || "");
          message.url = String(data.url || "/");
          if (data.icon) message.icon = String(data.icon);
        }
      } catch (e) {
        message.body = event.data.text();
      }
    }
    event.waitUntil(self.registration.showNotification(message.title, {
      body: message.body,
      data: { url: message.url },
      icon: message.icon,
      tag: "network-crm-digest",
      renotify: true,
    }));
  });

  // Only links to this app are opened: a push cannot send the person elsewhere.
  function sameOrigin(url) {
    try {
      var target = new URL(url, self.location.origin);
      return target.origin === self.location.origin ? target.href : self.location.origin + "/";
    } catch (e) {
      return self.location.origin + "/";
    }
  }

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var url = sameOrigin((event.notification.data && event.notification.data.url) || "/");
    event.waitUntil(clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
      }
      for (var j = 0; j < windows.length; j++) {
        if ("navigate" in windows[j] && "focus" in windows[j]) {
          return windows[j].focus().then(function (client) { return client.navigate(url); });
        }
      }
      return clients.openWindow(url);
    }));
  });
})();
