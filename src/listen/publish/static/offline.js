/* listen offline: registers the service worker (sw.js); on an article page, "Download" keeps the
 * page, its manifest, main tracks and their timed text in Cache Storage (not the per-pair files:
 * phone storage is limited) and says what is kept and how big; on the library page, lists the
 * downloaded articles with a control to remove each. Service workers need a secure context:
 * https, or http://localhost / 127.0.0.1 on the same machine. */
(function () {
  "use strict";

  var PREFIX = "listen-article:";
  var META = "/offline-meta";  // a record in each article's cache: {title, path, bytes, files, version}
  var state = window.__offline = { supported: "serviceWorker" in navigator && "caches" in window,
                                   ready: false, downloaded: false, bytes: 0, busy: false, error: null };

  function mb(bytes) {
    return bytes >= 1e6 ? (bytes / 1e6).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1e3)) + " kB";
  }

  function pagePath() { return location.pathname.replace(/[^/]*$/, ""); }
  function cacheName(path) { return PREFIX + path; }

  function readMeta(name) {
    return caches.open(name).then(function (cache) { return cache.match(META); })
      .then(function (r) { return r ? r.json() : null; }).catch(function () { return null; });
  }

  function remove(path) {
    return caches.delete(cacheName(path));
  }

  // ------------------------------------------------------------ article page

  function articlePage() {
    var button = document.getElementById("offline");
    var note = document.getElementById("offline-note");
    var listing = document.getElementById("offline-files");
    if (!button || !listing) return;
    var files = JSON.parse(listing.textContent || "[]");
    var manifest = JSON.parse((document.getElementById("manifest") || {}).textContent || "{}");
    var version = (manifest.tracks || []).map(function (t) { return t.file + ":" + (t.fingerprint || t.duration_s); }).join("|");
    var planned = files.reduce(function (sum, f) { return sum + (f.bytes || 0); }, 0);
    var path = pagePath(), name = cacheName(path);
    var tracks = files.filter(function (f) { return /\.mp3$/i.test(f.file); });
    var what = tracks.length + " track" + (tracks.length === 1 ? "" : "s") + " (" +
      tracks.map(function (f) { return f.file; }).join(", ") + "), their timed text, the manifest and this page";

    function show() {
      button.hidden = false;
      button.disabled = state.busy;
      button.setAttribute("aria-pressed", state.downloaded ? "true" : "false");
      if (state.busy) button.textContent = "Downloading\u2026";
      else button.textContent = state.downloaded ? "Downloaded \u00b7 " + mb(state.bytes) + " \u00b7 Remove" : "Download \u00b7 " + mb(planned);
      note.hidden = false;
      note.textContent = state.error ? "Download failed: " + state.error :
        (state.downloaded ? "Kept on this device for offline listening: " : "Download keeps ") + what +
        (state.downloaded ? ", " + mb(state.bytes) + "." : ": about " + mb(planned) + ". Per-pair files stay online.");
    }

    function download() {
      state.busy = true; state.error = null; show();
      var stored = 0;
      return caches.delete(name).then(function () { return caches.open(name); }).then(function (cache) {
        var urls = files.map(function (f) { return f.url; }).concat([path]);
        return Promise.all(urls.map(function (url) {
          return fetch(url, { cache: "no-store" }).then(function (r) {
            if (r.status !== 200) throw new Error(url + ": HTTP " + r.status);
            return r.clone().blob().then(function (b) { stored += b.size; return cache.put(url, r); });
          });
        })).then(function () {
          var title = (manifest.title && (manifest.title.zh || manifest.title.en)) || manifest.name || path;
          var meta = { title: title, path: path, bytes: stored, files: urls, version: version, date: manifest.date || null };
          return cache.put(META, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
        });
      }).then(function () {
        state.downloaded = true; state.bytes = stored;
      }).catch(function (err) {
        state.error = String(err && err.message || err);
        return caches.delete(name);  // never a half-kept article
      }).then(function () { state.busy = false; show(); });
    }

    button.addEventListener("click", function () {
      if (state.busy) return;
      if (state.downloaded) {
        remove(path).then(function () { state.downloaded = false; state.bytes = 0; show(); });
      } else {
        download();
      }
    });

    caches.has(name).then(function (has) { return has ? readMeta(name) : null; }).then(function (meta) {
      if (meta) {
        state.downloaded = true; state.bytes = meta.bytes || 0;
        // Rebuilt since it was downloaded, and online: keep the new version instead.
        if (meta.version !== version && navigator.onLine) { show(); return download(); }
      }
      show();
    }).then(function () { state.ready = true; });
  }

  // ------------------------------------------------------------ library page

  function libraryPage() {
    var section = document.getElementById("offline-list");
    if (!section) return;
    var list = section.querySelector("ul");
    function fill() {
      return caches.keys().then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0; }).map(readMeta));
      }).then(function (metas) {
        metas = metas.filter(Boolean);
        list.textContent = "";
        metas.forEach(function (meta) {
          var li = document.createElement("li");
          li.className = "offline-item";
          li.setAttribute("data-path", meta.path);
          var a = document.createElement("a");
          a.href = meta.path; a.textContent = (meta.date ? meta.date + " " : "") + meta.title;
          var size = document.createElement("span");
          size.className = "size"; size.textContent = mb(meta.bytes || 0);
          var btn = document.createElement("button");
          btn.type = "button"; btn.className = "chip remove"; btn.textContent = "Remove";
          btn.setAttribute("aria-label", "Remove the download of " + meta.title);
          btn.addEventListener("click", function () { remove(meta.path).then(fill); });
          li.appendChild(a); li.appendChild(size); li.appendChild(btn);
          list.appendChild(li);
        });
        var total = metas.reduce(function (s, m) { return s + (m.bytes || 0); }, 0);
        section.querySelector("h2").textContent = "Downloaded for offline \u00b7 " + mb(total);
        section.hidden = !metas.length;
        state.ready = true;
      });
    }
    fill();
  }

  if (!state.supported) { state.ready = true; return; }
  navigator.serviceWorker.register("/sw.js").catch(function (err) { state.error = String(err); });
  if (document.body.classList.contains("library")) libraryPage(); else articlePage();
})();
