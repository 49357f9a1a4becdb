/* listen web player: highlight the segment now playing, tap to jump, A-B loop a pair, speed, tracks.
 * Reads the manifest embedded in the page (<script id="manifest">); no dependencies, no network
 * besides the audio files under body[data-files]. */
(function () {
  "use strict";

  var manifest = JSON.parse(document.getElementById("manifest").textContent);
  var filesBase = document.body.getAttribute("data-files") || "";
  var audio = document.getElementById("audio");
  var el = function (id) { return document.getElementById(id); };
  var trackSelect = el("track"), speedSelect = el("speed"), seek = el("seek");
  var playBtn = el("play"), loopBtn = el("loop"), whereEl = el("where");
  var tracks = (manifest.tracks || []).filter(function (t) { return t && t.file; });
  var glossary = manifest.glossary || [];
  var pairCount = (manifest.pairs || []).length;
  var MAIN = ["alternating", "english", "chinese", "glossary"];
  var storeKey = "listen:" + (manifest.name || location.pathname);

  // Public state (handy for debugging and the browser test).
  var state = window.__listen = {
    track: null,       // index into tracks
    ranges: {},        // unit -> {start, end} in the current track
    segments: [],      // current track's segments, by start
    unit: null,        // unit now playing: "t" title, "p<i>" pair, "g<k>" glossary entry
    seg: null,         // segment now playing
    loop: false,
    loopUnit: null,
    loops: 0           // how many times the loop jumped back
  };

  function fileUrl(file) {
    return filesBase + String(file).split("/").map(encodeURIComponent).join("/");
  }

  function glossIndex(seg) {
    if (typeof seg.glossary === "number") return seg.glossary;
    var m = /^glossary-(\d+)/.exec(String(seg.id || ""));  // build ids: glossary-01-term, -definition, -zh, -example
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= glossary.length) return Number(m[1]) - 1;
    var text = String(seg.text || "").toLowerCase();
    for (var k = 0; k < glossary.length; k++) {
      var term = String(glossary[k].term || "").toLowerCase();
      if (term && text.indexOf(term) !== -1) return k;
      if (glossary[k].zh && text.indexOf(glossary[k].zh) !== -1) return k;
    }
    return null;
  }

  function unitOf(seg) {
    if (seg.pair !== null && seg.pair !== undefined) return "p" + seg.pair;
    if (seg.role === "title") return "t";
    if (seg.role === "glossary") { var k = glossIndex(seg); return k === null ? null : "g" + k; }
    return null;
  }

  function computeRanges(track) {
    var ranges = {};
    var segs = (track.segments || []).slice().sort(function (a, b) { return a.start_s - b.start_s; });
    segs.forEach(function (seg) {
      seg._unit = unitOf(seg);
      if (seg._unit === null) return;
      var r = ranges[seg._unit];
      if (!r) ranges[seg._unit] = { start: seg.start_s, end: seg.end_s };
      else { r.start = Math.min(r.start, seg.start_s); r.end = Math.max(r.end, seg.end_s); }
    });
    state.segments = segs;
    state.ranges = ranges;
  }

  // ---------------------------------------------------------------- track choice

  function trackLabel(t) {
    var labels = { alternating: "EN \u21c4 \u4e2d alternating", english: "English", chinese: "\u4e2d\u6587 Chinese", glossary: "Glossary" };
    if (labels[t.kind]) return labels[t.kind];
    if (t.kind === "drill") {
      var p = (t.segments || []).filter(function (s) { return s.pair !== null && s.pair !== undefined; })[0];
      if (p) return "Drill \u00b7 pair " + (p.pair + 1);
    }
    return t.title || t.file;
  }

  function fillTracks() {
    var drills = document.createElement("optgroup");
    drills.label = "Drills";
    tracks.forEach(function (t, i) {
      if (MAIN.indexOf(t.kind) === -1 && t.kind !== "drill") return;
      var opt = document.createElement("option");
      opt.value = String(i);
      opt.textContent = trackLabel(t);
      (t.kind === "drill" ? drills : trackSelect).appendChild(opt);
    });
    if (drills.children.length) trackSelect.appendChild(drills);
    if (!trackSelect.options.length && tracks.length) {  // only per-pair tracks: offer them all
      tracks.forEach(function (t, i) {
        var opt = document.createElement("option");
        opt.value = String(i); opt.textContent = trackLabel(t); trackSelect.appendChild(opt);
      });
    }
  }

  function preferredTrack() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (saved && typeof saved.file === "string") {
      for (var i = 0; i < tracks.length; i++) if (tracks[i].file === saved.file) return { index: i, time: saved.time || 0 };
    }
    for (var k = 0; k < MAIN.length; k++) {
      for (var j = 0; j < tracks.length; j++) if (tracks[j].kind === MAIN[k]) return { index: j, time: 0 };
    }
    return { index: tracks.length ? 0 : null, time: 0 };
  }

  var pendingStart = null;

  function selectTrack(index, opts) {
    opts = opts || {};
    var wasPlaying = !audio.paused;
    var track = tracks[index];
    if (!track) return;
    state.track = index;
    trackSelect.value = String(index);
    computeRanges(track);
    var start = opts.time || 0;
    if (opts.unit && state.ranges[opts.unit]) start = state.ranges[opts.unit].start;
    var rate = Number(speedSelect.value) || 1;
    audio.src = fileUrl(track.file);
    audio.defaultPlaybackRate = rate;
    audio.playbackRate = rate;
    setPitch();
    seek.max = String(track.duration_s || 0);
    el("duration").textContent = fmt(track.duration_s || 0);
    pendingStart = start;
    audio.addEventListener("loadedmetadata", function () {
      if (pendingStart !== null && pendingStart > 0) audio.currentTime = pendingStart;  // unless a tap came first
      pendingStart = null;
      audio.playbackRate = rate;
      if (wasPlaying || opts.play) play();
      update();
    }, { once: true });
    if (opts.unit) { state.unit = opts.unit; if (state.loop) state.loopUnit = opts.unit; }
    if (state.loop && !state.ranges[state.loopUnit]) {  // the looped pair is not in this track
      var landing = unitAt(start);
      state.loopUnit = landing ? landing._unit : null;
    }
    setMediaSession();
    update();
  }

  function trackWith(unit) {
    var order = ["alternating", "english", "chinese", "glossary", "drill", "pair", "paragraph"];
    for (var k = 0; k < order.length; k++) {
      for (var i = 0; i < tracks.length; i++) {
        if (tracks[i].kind !== order[k]) continue;
        var has = (tracks[i].segments || []).some(function (s) { return unitOf(s) === unit; });
        if (has) return i;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- playback

  function setPitch() {
    audio.preservesPitch = true;
    audio.mozPreservesPitch = true;
    audio.webkitPreservesPitch = true;
  }

  function play() {
    var p = audio.play();
    if (p && p.catch) p.catch(function () { /* autoplay refused: the play button still works */ });
  }

  function jumpTo(unit, time) {
    if (!state.ranges[unit]) {
      var other = trackWith(unit);
      if (other === null) return;
      selectTrack(other, { unit: unit, play: true });
      return;
    }
    if (state.loop) state.loopUnit = unit;
    pendingStart = null;
    audio.currentTime = time !== undefined ? time : state.ranges[unit].start;
    state.unit = unit;
    play();
    update();
  }

  function unitAt(t) {
    var segs = state.segments, found = null;
    for (var i = 0; i < segs.length; i++) {
      if (segs[i].start_s <= t + 0.001) { if (segs[i]._unit !== null) found = segs[i]; }
      else break;
    }
    return found;
  }

  function orderedUnits() {
    return Object.keys(state.ranges).sort(function (a, b) { return state.ranges[a].start - state.ranges[b].start; });
  }

  function step(delta) {
    var units = orderedUnits();
    if (!units.length) return;
    var i = units.indexOf(state.unit);
    if (i === -1) i = delta > 0 ? -1 : units.length;
    if (delta < 0 && i >= 0 && state.unit && audio.currentTime - state.ranges[state.unit].start > 1.5) {
      jumpTo(state.unit);  // like a CD player: first "previous" restarts the current pair
      return;
    }
    var next = Math.max(0, Math.min(units.length - 1, i + delta));
    jumpTo(units[next]);
  }

  function checkLoop() {
    if (!state.loop || state.loopUnit === null) return;
    var r = state.ranges[state.loopUnit];
    if (!r) return;
    if (audio.currentTime >= r.end - 0.02 || audio.ended) {
      var ended = audio.ended;
      audio.currentTime = r.start;
      state.loops += 1;
      if (ended) play();
    }
  }

  // ---------------------------------------------------------------- display

  var shownUnit = null, shownSeg = null, lastTouch = 0;

  function unitElement(unit) {
    return unit ? document.querySelector('[data-unit="' + unit + '"]') : null;
  }

  function segElement(seg) {
    if (!seg) return null;
    if (seg.role === "paragraph" && seg.paragraph !== null && seg.paragraph !== undefined)
      return document.querySelector('.para[data-lang="' + seg.lang + '"][data-para="' + seg.paragraph + '"]');
    if (seg.role === "title") return document.querySelector('[data-title="' + seg.lang + '"]');
    return unitElement(seg._unit);
  }

  // As every duration is shown (listen.output.manifest.duration_label): whole seconds rounded
  // down, m:ss, h:mm:ss from an hour on.
  function fmt(s) {
    s = Math.max(0, Math.floor((s || 0) + 1e-6));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, pad = function (n) { return ("0" + n).slice(-2); };
    return h ? h + ":" + pad(m) + ":" + pad(s % 60) : m + ":" + pad(s % 60);
  }

  function describe(unit) {
    if (!unit) return "";
    if (unit === "t") return "Title";
    if (unit.charAt(0) === "p") return "Pair " + (Number(unit.slice(1)) + 1) + " / " + pairCount;
    if (unit.charAt(0) === "g") return "Glossary " + (Number(unit.slice(1)) + 1);
    return "";
  }

  function update() {
    var t = audio.currentTime || 0;
    var seg = unitAt(t);
    if (seg) state.unit = seg._unit;
    if (state.loop && state.loopUnit === null && seg) state.loopUnit = seg._unit;
    state.seg = seg;
    if (state.unit !== shownUnit) {
      var old = unitElement(shownUnit);
      if (old) old.classList.remove("active");
      var now = unitElement(state.unit);
      if (now) {
        now.classList.add("active");
        if (!audio.paused && Date.now() - lastTouch > 4000) reveal(now);
      }
      shownUnit = state.unit;
    }
    var segEl = seg && t < seg.end_s ? segElement(seg) : null;
    if (segEl !== shownSeg) {
      if (shownSeg) shownSeg.classList.remove("now");
      if (segEl) segEl.classList.add("now");
      shownSeg = segEl;
    }
    document.querySelectorAll(".looping").forEach(function (n) { n.classList.remove("looping"); });
    if (state.loop) { var l = unitElement(state.loopUnit); if (l) l.classList.add("looping"); }
    var loopNote = "";
    if (state.loop && state.loopUnit) {
      loopNote = state.loopUnit === state.unit ? " \u00b7 looping" : " \u00b7 loop: " + describe(state.loopUnit).split(" /")[0].toLowerCase();
    }
    whereEl.textContent = describe(state.unit) + loopNote;
    el("time").textContent = fmt(t);
    if (!seeking) seek.value = String(t);
    document.body.classList.toggle("playing", !audio.paused);
    playBtn.setAttribute("aria-label", audio.paused ? "Play" : "Pause");
  }

  function reveal(node) {
    var rect = node.getBoundingClientRect();
    var bar = el("player").getBoundingClientRect().height;
    if (rect.top < 60 || rect.bottom > window.innerHeight - bar) {
      var y = window.scrollY + rect.top - Math.max(70, (window.innerHeight - bar - rect.height) / 3);
      window.scrollTo({ top: y, behavior: "smooth" });
    }
  }

  var raf = 0;
  function tick() {
    raf = 0;
    checkLoop();
    update();
    if (!audio.paused) raf = requestAnimationFrame(tick);
  }

  function save() {
    if (state.track === null) return;
    try { localStorage.setItem(storeKey, JSON.stringify({ file: tracks[state.track].file, time: audio.currentTime })); } catch (e) { /* private mode */ }
  }

  function setMediaSession() {
    if (!("mediaSession" in navigator) || typeof MediaMetadata === "undefined") return;
    try {
      var title = (manifest.title && (manifest.title.zh || manifest.title.en)) || manifest.name || "listen";
      navigator.mediaSession.metadata = new MediaMetadata({
        title: title, artist: "listen", album: state.track !== null ? trackLabel(tracks[state.track]) : ""
      });
      navigator.mediaSession.setActionHandler("previoustrack", function () { step(-1); });
      navigator.mediaSession.setActionHandler("nexttrack", function () { step(1); });
    } catch (e) { /* unsupported action */ }
  }

  // ---------------------------------------------------------------- wiring

  var seeking = false;

  function setLoop(on) {
    state.loop = on;
    state.loopUnit = on ? (state.unit || orderedUnits()[0] || null) : null;
    loopBtn.setAttribute("aria-pressed", on ? "true" : "false");
    document.body.classList.toggle("loop-on", on);
    update();
  }

  function onUnitTap(event) {
    var node = event.currentTarget;
    var unit = node.getAttribute("data-unit");
    var time;
    var para = event.target.closest ? event.target.closest(".para, [data-title]") : null;
    if (para) {  // jump to the tapped paragraph itself when the current track says it
      var lang = para.getAttribute("data-lang");
      var idx = para.getAttribute("data-para");
      var hit = state.segments.filter(function (s) {
        return s._unit === unit && s.lang === lang && (idx === null || String(s.paragraph) === idx);
      })[0];
      if (hit) time = hit.start_s;
    }
    jumpTo(unit, time);
  }

  document.querySelectorAll("[data-unit]").forEach(function (node) {
    node.addEventListener("click", onUnitTap);
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); onUnitTap({ currentTarget: node, target: node }); }
    });
  });

  playBtn.addEventListener("click", function () { if (audio.paused) play(); else audio.pause(); });
  el("prev").addEventListener("click", function () { step(-1); });
  el("next").addEventListener("click", function () { step(1); });
  loopBtn.addEventListener("click", function () { setLoop(!state.loop); });
  trackSelect.addEventListener("change", function () {
    selectTrack(Number(trackSelect.value), { unit: state.unit });
  });
  speedSelect.addEventListener("change", function () {
    var rate = Number(speedSelect.value) || 1;
    audio.defaultPlaybackRate = rate;
    audio.playbackRate = rate;
    setPitch();
    try { localStorage.setItem("listen:speed", String(rate)); } catch (e) { /* private mode */ }
  });
  seek.addEventListener("input", function () { seeking = true; el("time").textContent = fmt(Number(seek.value)); });
  seek.addEventListener("change", function () {
    seeking = false;
    pendingStart = null;
    audio.currentTime = Number(seek.value);
    var seg = unitAt(audio.currentTime);
    if (state.loop && seg) state.loopUnit = seg._unit;
    update();
  });

  audio.addEventListener("timeupdate", function () { checkLoop(); update(); });
  audio.addEventListener("play", function () { if (!raf) raf = requestAnimationFrame(tick); update(); });
  audio.addEventListener("pause", function () { save(); update(); });
  audio.addEventListener("seeked", update);
  audio.addEventListener("ended", function () { checkLoop(); update(); });
  window.addEventListener("pagehide", save);
  window.addEventListener("touchstart", function (e) {
    if (!el("player").contains(e.target)) lastTouch = Date.now();
  }, { passive: true });
  window.addEventListener("wheel", function () { lastTouch = Date.now(); }, { passive: true });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "select" || tag === "input" || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === " " && tag !== "button") { e.preventDefault(); playBtn.click(); }
    else if (e.key === "ArrowLeft") step(-1);
    else if (e.key === "ArrowRight") step(1);
    else if (e.key === "l" || e.key === "L") setLoop(!state.loop);
  });

  // ---------------------------------------------------------------- start

  try {
    var savedRate = Number(localStorage.getItem("listen:speed"));
    if (savedRate >= 0.5 && savedRate <= 1.5) {
      var best = null;
      Array.prototype.forEach.call(speedSelect.options, function (o) {
        if (best === null || Math.abs(Number(o.value) - savedRate) < Math.abs(Number(best.value) - savedRate)) best = o;
      });
      if (best) speedSelect.value = best.value;
    }
  } catch (e) { /* private mode */ }
  fillTracks();
  var first = preferredTrack();
  if (first.index !== null) selectTrack(first.index, { time: first.time });
  document.body.classList.add("ready");
})();
