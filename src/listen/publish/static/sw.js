/* listen service worker: plays downloaded articles with no connection.
 *
 * An article's "download" (offline.js) puts its page, manifest, main tracks and their timed text in
 * a cache of its own ("listen-article:<page path>"). Here:
 *  - audio is answered from those caches first (on a bus the network is worse than none), and a
 *    Range request gets 206 with the bytes asked for and a correct Content-Range: Safari plays media
 *    only through Range requests, from a service worker too;
 *  - everything else goes to the network, and falls back to the caches when the network fails;
 *  - the library page and the player's own files are kept (in "listen-static") whenever they are
 *    fetched, so the app opens offline. */
"use strict";

var STATIC = "listen-static-v1";
var SHELL = ["/", "/static/player.js", "/static/player.css", "/static/offline.js", "/static/icon.svg",
             "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return fetch(url, { cache: "no-store" }).then(function (r) { if (r.ok) return cache.put(url, r); })
        .catch(function () { /* kept when next fetched */ });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function isMedia(request, url) {
  return request.destination === "audio" || request.destination === "video" || /\.(mp3|m4a|aac|ogg|opus)$/i.test(url.pathname);
}

function cached(url) {
  return caches.match(url.origin + url.pathname, { ignoreSearch: true, ignoreVary: true });
}

// The part of a cached response that a Range header asks for: 206 + Content-Range, or 416.
function partial(response, header) {
  return response.blob().then(function (blob) {
    var size = blob.size;
    var m = /^bytes=(\d*)-(\d*)$/.exec(String(header).trim());
    var start, end;
    if (m && m[1] !== "") {
      start = Number(m[1]);
      end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    } else if (m && m[2] !== "") {
      start = Math.max(0, size - Number(m[2]));
      end = size - 1;
    }
    if (start === undefined || start >= size || start > end) {
      return new Response("", { status: 416, headers: { "Content-Range": "bytes */" + size } });
    }
    return new Response(blob.slice(start, end + 1), {
      status: 206,
      statusText: "Partial Content",
      headers: {
        "Content-Type": response.headers.get("Content-Type") || "audio/mpeg",
        "Content-Length": String(end - start + 1),
        "Content-Range": "bytes " + start + "-" + end + "/" + size,
        "Accept-Ranges": "bytes",
        "X-Listen-Offline": "1"
      }
    });
  });
}

function fromCache(request, url) {
  return cached(url).then(function (hit) {
    if (!hit) return null;
    var range = request.headers.get("Range");
    return range ? partial(hit, range) : hit;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isMedia(request, url)) {
    event.respondWith(fromCache(request, url).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  var shell = SHELL.indexOf(url.pathname) !== -1;
  event.respondWith(fetch(request).then(function (response) {
    if (shell && response.ok && response.status === 200) {
      var copy = response.clone();
      caches.open(STATIC).then(function (cache) { return cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function (err) {
    return fromCache(request, url).then(function (hit) { if (hit) return hit; throw err; });
  }));
});
