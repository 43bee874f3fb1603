// The installable app: registers the service worker (/sw.js) and shows the offline state.
