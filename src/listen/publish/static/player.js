/* listen web player: follow the sentence being spoken, tap a sentence to hear it, loop a sentence
 * or a pair, step sentence by sentence, a "your turn" cue in shadowing and translating gaps, and a
 * listen-first mode that hides the language being learned until the learner reveals it, the reading
 * (Jyutping or pinyin) as ruby over the Chinese, and glossary terms marked in the text: a tap shows
 * the definition and plays the spoken term.
 * Reads the manifest embedded in the page (<script id="manifest">); no dependencies, no network
 * besides the files under body[data-files]. */
(function () {
  "use strict";

  var manifest = JSON.parse(document.getElementById("manifest").textContent);
  var filesBase = document.body.getAttribute("data-files") || "";
  var learning = manifest.learning || document.body.getAttribute("data-learning") || "en";
  var audio = document.getElementById("audio");
  var el = function (id) { return document.getElementById(id); };
  var trackSelect = el("track"), speedSelect = el("speed"), seek = el("seek");
  var playBtn = el("play"), loopBtn = el("loop"), loopSentBtn = el("loop-sent"), whereEl = el("where");
  var firstBtn = el("listen-first"), revealBtn = el("reveal"), cueEl = el("cue");
  var tracks = (manifest.tracks || []).filter(function (t) { return t && t.file; });
  var glossary = manifest.glossary || [];
  var pairCount = (manifest.pairs || []).length;
  var MAIN = ["alternating", "sentences", "english", "chinese", "glossary"];
  var LABELS = { alternating: "EN \u21c4 \u4e2d alternating", sentences: "EN \u21c4 \u4e2d sentence by sentence",
                 english: "English", chinese: "\u4e2d\u6587 Chinese", glossary: "Glossary \u751f\u5b57" };
  var storeKey = "listen:" + (manifest.name || location.pathname);

  // Public state (the browser test reads it).
  var state = window.__listen = {
    track: null,       // index into tracks
    entries: [],       // the current track's timeline: one entry per sentence (or title / glossary item)
    ranges: {},        // unit -> {start, end} in the current track ("t", "p<pair>", "g<k>")
    entry: null,       // index of the entry now playing (or last played)
    unit: null,        // unit now playing
    loop: null,        // null | "pair" | "sentence"
    loopRange: null,   // {start, end} being looped
    loops: 0,          // how many times a loop jumped back
    listenFirst: false,
    cue: false         // "your turn" shown
  };

  function fileUrl(file) {
    return filesBase + String(file).split("/").map(encodeURIComponent).join("/");
  }

  // ---------------------------------------------------------------- the timeline of a track

  function glossIndex(seg) {
    var m = /^glossary-(\d+)/.exec(String(seg.id || ""));  // ids: glossary-01-term, -definition, -zh, -example
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= glossary.length) return Number(m[1]) - 1;
    return null;
  }

  function unitOf(seg) {
    if (seg.pair !== null && seg.pair !== undefined) return "p" + seg.pair;
    if (seg.role === "title") return "t";
    if (seg.role === "glossary") { var k = glossIndex(seg); return k === null ? null : "g" + k; }
    return null;
  }

  function buildTimeline(track) {
    var entries = [], ranges = {};
    var segs = (track.segments || []).slice().sort(function (a, b) { return a.start_s - b.start_s; });
    segs.forEach(function (seg) {
      var unit = unitOf(seg);
      var base = { lang: seg.lang, role: seg.role, para: seg.paragraph, unit: unit, seg: seg };
      if (seg.sentences && seg.sentences.length) {
        seg.sentences.forEach(function (s) {
          entries.push(Object.assign({}, base, { sent: s.index, start: s.start_s, end: s.end_s, text: s.text }));
        });
      } else {
        var sent = seg.role === "sentence" ? seg.sentence : (seg.role === "paragraph" ? 0 : null);
        entries.push(Object.assign({}, base, { sent: sent, start: seg.start_s, end: seg.end_s, text: seg.text }));
      }
      if (unit !== null) {
        var r = ranges[unit];
        if (!r) ranges[unit] = { start: seg.start_s, end: seg.end_s };
        else { r.start = Math.min(r.start, seg.start_s); r.end = Math.max(r.end, seg.end_s); }
      }
    });
    state.entries = entries;
    state.ranges = ranges;
  }

  function entryElement(e) {
    if (!e) return null;
    if (e.sent !== null && e.sent !== undefined && e.para !== null && e.para !== undefined)
      return document.querySelector('.sent[data-lang="' + e.lang + '"][data-para="' + e.para + '"][data-sent="' + e.sent + '"]');
    if (e.role === "title") return document.querySelector('[data-title="' + e.lang + '"]');
    return unitElement(e.unit);
  }

  function unitElement(unit) {
    return unit ? document.querySelector('[data-unit="' + unit + '"]') : null;
  }

  function entryAt(t) {
    var found = null;
    for (var i = 0; i < state.entries.length; i++) {
      if (state.entries[i].start <= t + 0.001) found = i;
      else break;
    }
    return found;
  }

  function findEntry(lang, para, sent) {
    for (var i = 0; i < state.entries.length; i++) {
      var e = state.entries[i];
      if (e.lang === lang && String(e.para) === String(para) && String(e.sent) === String(sent)) return i;
    }
    return null;
  }

  // ---------------------------------------------------------------- tracks

  function trackLabel(t) {
    if (LABELS[t.kind]) return LABELS[t.kind];
    if (t.kind === "drill") {
      var title = String(t.title || "");
      var at = title.indexOf("Drill ");
      return at >= 0 ? title.slice(at) : title || t.file;
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
    buildTimeline(track);
    var start = opts.time || 0;
    if (opts.find) {
      var i = findEntry(opts.find.lang, opts.find.para, opts.find.sent);
      if (i !== null) start = state.entries[i].start;
    } else if (opts.unit && state.ranges[opts.unit]) {
      start = state.ranges[opts.unit].start;
    }
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
    state.entry = entryAt(start);
    if (state.loop) setLoopRange();
    setMediaSession();
    update();
  }

  function trackWith(test) {
    var order = ["alternating", "sentences", "english", "chinese", "glossary", "drill", "pair", "paragraph"];
    for (var k = 0; k < order.length; k++) {
      for (var i = 0; i < tracks.length; i++) {
        if (tracks[i].kind === order[k] && (tracks[i].segments || []).some(test)) return i;
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

  function seekTo(t) {
    pendingStart = null;
    audio.currentTime = t;
    state.entry = entryAt(t);
    if (state.loop) setLoopRange();
    update();
  }

  function jumpToEntry(i) {
    if (i === null || !state.entries[i]) return;
    seekTo(state.entries[i].start);
    play();
  }

  function jumpToUnit(unit) {
    if (!state.ranges[unit]) {
      var other = trackWith(function (s) { return unitOf(s) === unit; });
      if (other === null) return;
      selectTrack(other, { unit: unit, play: true });
      return;
    }
    seekTo(state.ranges[unit].start);
    play();
  }

  function jumpToSentence(lang, para, sent) {
    var i = findEntry(lang, para, sent);
    if (i !== null) { jumpToEntry(i); return; }
    var other = trackWith(function (s) {
      if (s.lang !== lang || String(s.paragraph) !== String(para)) return false;
      if (s.sentences && s.sentences.length) return s.sentences.some(function (x) { return String(x.index) === String(sent); });
      return s.role === "sentence" ? String(s.sentence) === String(sent) : String(sent) === "0";
    });
    if (other !== null) selectTrack(other, { find: { lang: lang, para: para, sent: sent }, play: true });
  }

  function step(delta) {  // sentence by sentence
    var n = state.entries.length;
    if (!n) return;
    var i = state.entry === null ? (delta > 0 ? -1 : n) : state.entry;
    var e = state.entries[i];
    if (delta < 0 && e && audio.currentTime - e.start > 1.0) { jumpToEntry(i); return; }  // restart this one first
    jumpToEntry(Math.max(0, Math.min(n - 1, i + delta)));
  }

  function stepPair(delta) {
    var units = Object.keys(state.ranges).sort(function (a, b) { return state.ranges[a].start - state.ranges[b].start; });
    if (!units.length) return;
    var i = units.indexOf(state.unit);
    if (i === -1) i = delta > 0 ? -1 : units.length;
    if (delta < 0 && i >= 0 && state.unit && audio.currentTime - state.ranges[state.unit].start > 1.5) {
      jumpToUnit(state.unit);  // like a CD player: the first "previous" restarts the current pair
      return;
    }
    jumpToUnit(units[Math.max(0, Math.min(units.length - 1, i + delta))]);
  }

  // ---------------------------------------------------------------- loops

  function setLoopRange() {
    var e = state.entries[state.entry === null ? entryAt(audio.currentTime || 0) : state.entry];
    if (!e) { state.loopRange = null; return; }
    if (state.loop === "sentence") state.loopRange = { start: e.start, end: e.end };
    else if (state.loop === "pair" && e.unit && state.ranges[e.unit]) state.loopRange = state.ranges[e.unit];
    else state.loopRange = { start: e.start, end: e.end };
  }

  function setLoop(mode) {
    state.loop = state.loop === mode ? null : mode;
    if (state.loop) setLoopRange(); else state.loopRange = null;
    loopBtn.setAttribute("aria-pressed", state.loop === "pair" ? "true" : "false");
    loopSentBtn.setAttribute("aria-pressed", state.loop === "sentence" ? "true" : "false");
    document.body.classList.toggle("loop-on", !!state.loop);
    update();
  }

  function checkLoop() {
    var r = state.loopRange;
    if (!state.loop || !r) return;
    if (audio.currentTime >= r.end - 0.02 || audio.ended) {
      var ended = audio.ended;
      audio.currentTime = r.start;
      state.loops += 1;
      if (ended) play();
    }
  }

  // ---------------------------------------------------------------- listen first

  function hidden(node) {
    return state.listenFirst && node && node.classList.contains("sent") && node.getAttribute("data-lang") === learning &&
           !node.classList.contains("revealed");
  }

  function setListenFirst(on) {
    state.listenFirst = on;
    document.body.classList.toggle("listen-first", on);
    document.body.setAttribute("data-hide", on ? learning : "");
    firstBtn.setAttribute("aria-pressed", on ? "true" : "false");
    revealBtn.hidden = !on;
    if (!on) document.querySelectorAll(".sent.revealed").forEach(function (n) { n.classList.remove("revealed"); });
    try { localStorage.setItem("listen:listen-first", on ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  function reveal(node) {
    if (node) node.classList.add("revealed");
  }

  // ---------------------------------------------------------------- display

  var shownUnit = null, shownEl = null, shownCounter = [], lastTouch = 0;

  function fmt(s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = ("0" + (s % 60)).slice(-2);
    return h ? h + ":" + ("0" + m).slice(-2) + ":" + sec : m + ":" + sec;
  }

  function describe(e) {
    if (!e) return "";
    var unit = e.unit || "";
    var text = "";
    if (unit === "t") text = "Title";
    else if (unit.charAt(0) === "p") text = "Pair " + (Number(unit.slice(1)) + 1) + " / " + pairCount;
    else if (unit.charAt(0) === "g") text = "Glossary " + (Number(unit.slice(1)) + 1);
    if (e.sent !== null && e.sent !== undefined && e.role !== "title" && e.role !== "glossary")
      text += " \u00b7 " + (e.lang === "en" ? "sentence " : "\u53e5 ") + (Number(e.sent) + 1);
    return text;
  }

  function inGap(t) {
    // A pause the learner fills: in a drill that shadows or asks for a translation, a silence of
    // a second or more between two things said.
    var track = tracks[state.track];
    var options = (track && track.options) || {};
    var fills = track && track.kind === "drill" && (options.shadow || String(options.pattern || "").indexOf("gap") !== -1);
    if (!fills) return false;
    var i = entryAt(t);
    if (i === null) return false;
    var e = state.entries[i], next = state.entries[i + 1];
    return t > e.end + 0.05 && next && next.start - e.end >= 1.0 && t < next.start - 0.05;
  }

  function update() {
    var t = audio.currentTime || 0;
    var i = entryAt(t);
    var e = i === null ? null : state.entries[i];
    state.entry = i;
    if (e && e.unit) state.unit = e.unit;
    if (state.unit !== shownUnit) {
      var old = unitElement(shownUnit);
      if (old) old.classList.remove("active");
      var now = unitElement(state.unit);
      if (now) now.classList.add("active");
      shownUnit = state.unit;
    }
    var speaking = e && t < e.end;
    var node = speaking ? entryElement(e) : null;
    if (node !== shownEl) {
      if (shownEl) shownEl.classList.remove("now");
      shownCounter.forEach(function (n) { n.classList.remove("counter"); });
      shownCounter = [];
      if (node) {
        node.classList.add("now");
        var bead = node.getAttribute("data-bead");
        if (bead) {
          document.querySelectorAll('.sent[data-bead="' + bead + '"]').forEach(function (n) {
            if (n !== node && n.getAttribute("data-lang") !== node.getAttribute("data-lang")) {
              n.classList.add("counter");
              shownCounter.push(n);
            }
          });
        }
        if (!audio.paused && Date.now() - lastTouch > 4000) follow(node);
      }
      shownEl = node;
    }
    var cue = inGap(t);
    if (cue !== state.cue) {
      state.cue = cue;
      cueEl.hidden = !cue;
      if (cue) {
        var options = tracks[state.track].options || {};
        cueEl.textContent = options.shadow ? "Your turn \u2014 say it" : "Your turn \u2014 translate it";
      }
      document.body.classList.toggle("your-turn", cue);
    }
    document.querySelectorAll(".looping").forEach(function (n) { n.classList.remove("looping"); });
    if (state.loop === "pair") { var l = unitElement(state.unit); if (l) l.classList.add("looping"); }
    if (state.loop === "sentence" && shownEl) shownEl.classList.add("looping");
    var loopNote = state.loop === "pair" ? " \u00b7 looping pair" : state.loop === "sentence" ? " \u00b7 looping sentence" : "";
    whereEl.textContent = describe(e) + loopNote;
    el("time").textContent = fmt(t);
    if (!seeking) seek.value = String(t);
    document.body.classList.toggle("playing", !audio.paused);
    playBtn.setAttribute("aria-label", audio.paused ? "Play" : "Pause");
  }

  function follow(node) {
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

  function onSentenceTap(event) {
    var node = event.currentTarget;
    event.stopPropagation();
    if (hidden(node)) { reveal(node); return; }  // listen first: the first tap shows the text
    jumpToSentence(node.getAttribute("data-lang"), node.getAttribute("data-para"), node.getAttribute("data-sent"));
  }

  document.querySelectorAll(".sent").forEach(function (node) {
    node.setAttribute("tabindex", "0");
    node.addEventListener("click", onSentenceTap);
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); onSentenceTap({ currentTarget: node, stopPropagation: function () {} }); }
    });
  });
  document.querySelectorAll("[data-unit]").forEach(function (node) {
    node.addEventListener("click", function () { jumpToUnit(node.getAttribute("data-unit")); });
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === node) { e.preventDefault(); jumpToUnit(node.getAttribute("data-unit")); }
    });
  });

  playBtn.addEventListener("click", function () { if (audio.paused) play(); else audio.pause(); });
  el("prev").addEventListener("click", function () { stepPair(-1); });
  el("next").addEventListener("click", function () { stepPair(1); });
  el("prev-sent").addEventListener("click", function () { step(-1); });
  el("next-sent").addEventListener("click", function () { step(1); });
  loopBtn.addEventListener("click", function () { setLoop("pair"); });
  loopSentBtn.addEventListener("click", function () { setLoop("sentence"); });
  firstBtn.addEventListener("click", function () { setListenFirst(!state.listenFirst); });
  revealBtn.addEventListener("click", function () {
    document.querySelectorAll('.sent[data-lang="' + learning + '"]').forEach(reveal);
  });
  trackSelect.addEventListener("change", function () {
    var e = state.entries[state.entry];
    var opts = e && e.sent !== null && e.sent !== undefined ? { find: { lang: e.lang, para: e.para, sent: e.sent } } : { unit: state.unit };
    selectTrack(Number(trackSelect.value), opts);
  });
  speedSelect.addEventListener("change", function () {
    var rate = Number(speedSelect.value) || 1;
    audio.defaultPlaybackRate = rate;
    audio.playbackRate = rate;
    setPitch();
    try { localStorage.setItem("listen:speed", String(rate)); } catch (e) { /* private mode */ }
  });
  seek.addEventListener("input", function () { seeking = true; el("time").textContent = fmt(Number(seek.value)); });
  seek.addEventListener("change", function () { seeking = false; seekTo(Number(seek.value)); });

  audio.addEventListener("timeupdate", function () { checkLoop(); update(); });
  audio.addEventListener("play", function () {
    if (!raf) raf = requestAnimationFrame(tick);
    update();
    if (shownEl && Date.now() - lastTouch > 4000) follow(shownEl);  // playing what is off screen brings it into view
  });
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
    var key = e.key;
    if (key === " " && tag !== "button") { e.preventDefault(); playBtn.click(); }
    else if (key === "ArrowLeft") { e.preventDefault(); if (e.shiftKey) stepPair(-1); else step(-1); }
    else if (key === "ArrowRight") { e.preventDefault(); if (e.shiftKey) stepPair(1); else step(1); }
    else if (key === "ArrowUp") { e.preventDefault(); stepPair(-1); }
    else if (key === "ArrowDown") { e.preventDefault(); stepPair(1); }
    else if (key === "l" || key === "L") setLoop("pair");
    else if (key === "s" || key === "S") setLoop("sentence");
    else if (key === "f" || key === "F") setListenFirst(!state.listenFirst);
    else if (key === "r" || key === "R") { reveal(entryElement(state.entries[state.entry])); }
    else if (key === "a" || key === "A") revealBtn.click();
    else if ((key === "j" || key === "J") && !romanBtn.hidden) romanBtn.click();
  });


  // ---------------------------------------------------------------- romanisation

  var romanBtn = el("roman");
  var romanSystem = (function () {
    var zh = (manifest.paragraphs && manifest.paragraphs.zh) || [];
    for (var i = 0; i < zh.length; i++) {
      var r = zh[i] && zh[i].romanisation;
      if (r && r.length && r[0].system) return r[0].system;
    }
    return null;
  })();

  function setRoman(on) {
    state.roman = on;
    document.body.classList.toggle("roman", on);
    romanBtn.setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem("listen:roman", on ? "1" : "0"); } catch (e) { /* private mode */ }
  }

  if (romanSystem && document.querySelector(".sent rt")) {
    romanBtn.hidden = false;
    romanBtn.textContent = romanSystem === "jyutping" ? "\u7cb5 Jyutping" : "\u62fc Pinyin";
    romanBtn.addEventListener("click", function () { setRoman(!state.roman); });
    var savedRoman = null;
    try { savedRoman = localStorage.getItem("listen:roman"); } catch (e) { savedRoman = null; }
    setRoman(savedRoman === null ? learning === "zh" : savedRoman === "1");  // on by default when learning Chinese
  } else {
    state.roman = false;
  }

  // ---------------------------------------------------------------- the glossary at hand

  var card = el("gloss-card"), glossAudio = el("gloss-audio");
  state.glossCard = null;   // index of the glossary entry shown
  state.glossClip = null;   // {file, start, end} of its spoken term

  function termClip(k) {
    // The term (and its Chinese gloss right after it) as spoken in the glossary track, else in a
    // track that says it (the entry's own file).
    var prefix = "glossary-" + ("0" + (k + 1)).slice(-2) + "-";
    var order = ["glossary", "paragraph", "alternating", "english"];
    for (var o = 0; o < order.length; o++) {
      for (var i = 0; i < tracks.length; i++) {
        if (tracks[i].kind !== order[o]) continue;
        var segs = tracks[i].segments || [];
        var term = segs.filter(function (s) { return s.id === prefix + "term"; })[0];
        if (!term) continue;
        var zh = segs.filter(function (s) { return s.id === prefix + "zh"; })[0];
        return { file: tracks[i].file, start: term.start_s, end: zh ? zh.end_s : term.end_s };
      }
    }
    return null;
  }

  function playTerm() {
    var clip = state.glossClip;
    if (!clip) return;
    var url = fileUrl(clip.file);
    var start = function () {
      glossAudio.currentTime = clip.start;
      audio.pause();  // one voice at a time
      var p = glossAudio.play();
      if (p && p.catch) p.catch(function () { /* refused: the button plays it */ });
    };
    if (glossAudio.getAttribute("data-file") !== clip.file) {
      glossAudio.setAttribute("data-file", clip.file);
      glossAudio.src = url;
      glossAudio.addEventListener("loadedmetadata", start, { once: true });
      glossAudio.load();
    } else {
      start();
    }
  }

  glossAudio.addEventListener("timeupdate", function () {
    if (state.glossClip && glossAudio.currentTime >= state.glossClip.end) glossAudio.pause();
  });

  function openGloss(k) {
    var g = glossary[k];
    if (!g) return;
    state.glossCard = k;
    state.glossClip = termClip(k);
    el("gc-term").textContent = g.term;
    el("gc-zh").textContent = g.zh || "";
    el("gc-def").textContent = g.definition || "";
    el("gc-play").hidden = !state.glossClip;
    card.hidden = false;
    document.querySelectorAll(".term.open").forEach(function (n) { n.classList.remove("open"); });
    document.querySelectorAll('.term[data-term="' + k + '"]').forEach(function (n) { n.classList.add("open"); });
    playTerm();
  }

  function closeGloss() {
    card.hidden = true;
    state.glossCard = null;
    glossAudio.pause();
    document.querySelectorAll(".term.open").forEach(function (n) { n.classList.remove("open"); });
  }

  document.querySelectorAll(".term").forEach(function (node) {
    var k = Number(node.getAttribute("data-term"));
    node.addEventListener("click", function (e) {
      e.stopPropagation();
      var sent = node.closest(".sent");
      if (sent && hidden(sent)) { reveal(sent); return; }  // listen first: a hidden sentence shows first
      openGloss(k);
    });
    node.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); openGloss(k); }
    });
  });
  el("gc-play").addEventListener("click", playTerm);
  el("gc-close").addEventListener("click", closeGloss);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && !card.hidden) closeGloss(); });

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
    if (localStorage.getItem("listen:listen-first") === "1") setListenFirst(true);
  } catch (e) { /* private mode */ }
  fillTracks();
  var first = preferredTrack();
  if (first.index !== null) selectTrack(first.index, { time: first.time });
  document.body.classList.add("ready");
})();
