// The live session in the browser: follows the same Timeline as the audio and the terminal.
// With sound, each spoken line is a small cached clip (/clip/KEY.wav) scheduled on the Web
// Audio clock at its place in the Timeline: the first line plays at once, with no wait for a
// whole session to be rendered, and pause, skip and stop are exact.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const timeline = JSON.parse($("timeline").textContent);
  const player = $("player");
  const words = JSON.parse(player.dataset.words);
  const speed = parseFloat(player.dataset.speed || "1");
  const total = timeline.duration_ms;
  const names = Object.fromEntries(timeline.groups.map((g) => [g.id, g.name]));
  const AHEAD_MS = 15000;  // fetch and schedule this far ahead of the voice
  // The Timeline opens with a few seconds of silence (time to settle after pressing play in
  // an audio file); here pressing Start is that moment, so the voice begins half a second on.
  const first = timeline.cues.length ? timeline.cues[0].start_ms : 0;
  const OPENING_MS = Math.max(0, first - 500);

  let ctx = null;  // the AudioContext: with sound, its clock is the session's clock
  let base = 0, origin = 0, running = false, paused = false, pressedAt = 0, startedAt = 0;
  let timer = null, wakeLock = null, generation = 0;
  const buffers = new Map();  // clip key -> Promise of an AudioBuffer
  const playing = new Map();  // cue index -> source node (null while its clip loads)

  if (player.dataset.sound === "1" && timeline.clips && (window.AudioContext || window.webkitAudioContext)) {
    // Made now (it stays suspended until Start) so the first lines are fetched and decoded
    // while the person answers the question above the Start button.
    ctx = new (window.AudioContext || window.webkitAudioContext)();
    timeline.cues.forEach((cue, i) => { if (cue.start_ms < 8000) buffer(timeline.clips[i]); });
  }

  function now() { return ctx ? ctx.currentTime * 1000 : performance.now(); }
  function position() { return running && !paused ? Math.min(total, base + (now() - origin) * speed) : base; }
  function clock(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function buffer(key) {
    if (!buffers.has(key)) {
      const request = fetch("/clip/" + key + ".wav")
        .then((r) => { if (!r.ok) throw new Error("clip " + r.status); return r.arrayBuffer(); })
        .then((data) => new Promise((ok, fail) => ctx.decodeAudioData(data, ok, fail)));
      request.catch(() => buffers.delete(key));  // a later pass tries again
      buffers.set(key, request);
    }
    return buffers.get(key);
  }
  function schedule() {
    if (!ctx || !running || paused) return;
    const at = position();
    const epoch = generation;
    timeline.cues.forEach((cue, i) => {
      if (playing.has(i) || cue.end_ms <= at || cue.start_ms > at + AHEAD_MS) return;
      playing.set(i, null);
      buffer(timeline.clips[i]).then((buf) => {
        if (epoch !== generation || !running || paused) return;
        const wait = (cue.start_ms - position()) / 1000;
        const source = ctx.createBufferSource();
        source.buffer = buf;
        source.connect(ctx.destination);
        if (wait >= 0) source.start(ctx.currentTime + wait);
        else if (-wait < buf.duration) source.start(0, -wait);  // late: join the line where it is
        else return;
        playing.set(i, source);
        if (!player.dataset.firstSoundMs) {
          player.dataset.firstSoundMs = String(Math.round(performance.now() - pressedAt + Math.max(0, wait) * 1000));
        }
      }).catch(() => { if (epoch === generation) playing.delete(i); });
    });
  }
  function silence() {
    generation += 1;
    playing.forEach((source) => { if (source) { try { source.stop(); } catch (e) { /* already ended */ } } });
    playing.clear();
  }

  function segmentAt(ms) {
    return timeline.segments.find((s) => s.start_ms <= ms && ms < s.end_ms) || timeline.segments[timeline.segments.length - 1];
  }
  function cueAt(ms) { return timeline.cues.find((c) => c.start_ms <= ms && ms < c.end_ms); }

  let lastCaption = null;
  function render() {
    const at = position();
    const seg = segmentAt(at);
    // The Timeline says what the person is doing: the next group's instruction is said at the
    // end of a segment (from next_at_ms), and the feeling starts at feel_start_ms.
    const instructing = seg.next_at_ms != null && at >= seg.next_at_ms;
    const phase = instructing ? "instruction" : seg.feel_start_ms != null && at >= seg.feel_start_ms ? "feel" : seg.phase;
    const group = instructing ? seg.next_group : seg.group;
    $("phase").textContent = instructing ? words.instruction.replace("{group}", names[group] || "") : words[phase];
    let breath = "";
    if (phase === "tense" && timeline.prefs.keep_breathing) breath = words.keep_breathing;
    else if (timeline.prefs.breathing && phase === "tense") breath = words.breathe_in;
    else if (timeline.prefs.breathing && phase === "release") breath = words.breathe_out;
    $("breath").textContent = breath;
    const end = instructing ? seg.end_ms : seg.countdown_end_ms;
    const left = end == null ? 0 : Math.ceil((end - at) / 1000);
    $("countdown").textContent = left > 0 && phase !== "intro" && phase !== "outro" ? left : "";
    $("group-name").textContent = group && !instructing ? names[group] || "" : "";
    const index = timeline.groups.findIndex((g) => g.id === group);
    $("progress").textContent = index >= 0 ? words.group_of.replace("{i}", index + 1).replace("{n}", timeline.groups.length) : "";
    document.querySelectorAll("#groups li").forEach((li, i) => {
      if (li.dataset.group === group) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.classList.toggle("done", index >= 0 ? i < index : seg.phase === "outro");
    });
    light(group);
    const cue = cueAt(at);
    const caption = cue ? cue.text : "";
    if (caption !== lastCaption) { lastCaption = caption; $("caption").textContent = caption; }
    const percent = Math.round((at / total) * 100);
    $("bar").style.width = (at / total) * 100 + "%";
    $("track").setAttribute("aria-valuenow", String(percent));
    $("elapsed").textContent = clock(at);
    $("remaining").textContent = "−" + clock(total - at);
    if (running && at >= total) finish("completed");
  }
  function light(group) {
    const areas = group ? timeline.areas[group] || [] : [];
    const side = group && group.endsWith("-left") ? "left" : group && group.endsWith("-right") ? "right" : null;
    document.querySelectorAll("#body [data-area]").forEach((el) => {
      const mine = el.dataset.area.split(" ");
      const sideOk = !side || !el.dataset.side || el.dataset.side === side;
      el.classList.toggle("active", sideOk && mine.some((a) => areas.includes(a)));
    });
  }

  async function keepAwake() {
    try { if ("wakeLock" in navigator && !wakeLock) wakeLock = await navigator.wakeLock.request("screen"); } catch (e) { wakeLock = null; }
  }
  document.addEventListener("visibilitychange", () => {
    // The browser drops the wake lock when the page is hidden; take it again on return.
    if (document.visibilityState === "visible" && running) { wakeLock = null; keepAwake(); }
  });

  function tick() { schedule(); render(); }
  function start() {
    pressedAt = performance.now();
    startedAt = Date.now();
    $("before").hidden = true;
    $("live").hidden = false;
    $("before-value").value = $("tension-before").value;
    $("started-at").value = String(startedAt);
    player.classList.add("running");
    running = true; paused = false; base = OPENING_MS;
    if (ctx) {
      ctx.resume().catch(() => {});
      // No audio output (or it is refused): carry on silently on the page's own clock.
      setTimeout(() => { if (ctx && ctx.state !== "running" && running) { const at = position(); ctx = null; base = at; origin = now(); player.dataset.clock = "page"; } }, 1500);
    }
    player.dataset.clock = ctx ? "audio" : "page";
    origin = now();
    keepAwake();
    mediaSession("playing");
    timer = setInterval(tick, 100);
    tick();
    $("pause").focus();
  }
  function togglePause() {
    if (!running) return;
    if (!paused) {
      base = position(); paused = true;
      silence();
      $("pause").textContent = player.dataset.resume;
      mediaSession("paused");
    } else {
      // The voice starts the interrupted line again; time did not move while paused.
      const cue = cueAt(base);
      if (cue) base = cue.start_ms;
      paused = false; origin = now();
      $("pause").textContent = player.dataset.paused;
      mediaSession("playing");
      tick();
    }
  }
  function jump(ms) {
    silence();
    base = Math.max(0, Math.min(total, ms));
    origin = now();
    tick();
  }
  function skipGroup() {
    // "You may skip any part": on to the next group's instruction (or the ending).
    if (!running) return;
    const at = position();
    const seg = segmentAt(at);
    const current = seg.next_at_ms != null && at >= seg.next_at_ms ? seg.next_group : seg.group;
    // The next group begins where its instruction is said, at the end of a segment.
    const intro = timeline.segments.find((s) => s.next_at_ms != null && s.next_at_ms > at && s.next_group !== current);
    const outro = timeline.segments.find((s) => s.phase === "outro" && s.start_ms > at);
    const targets = [intro && intro.next_at_ms, outro && outro.start_ms].filter((t) => t != null);
    if (targets.length) jump(Math.min(...targets));
  }
  function finish(state) {
    if (!running) return;
    const at = position();
    running = false; clearInterval(timer);
    silence();
    if (ctx) ctx.suspend().catch(() => {});
    if (wakeLock) wakeLock.release().catch(() => {});
    wakeLock = null;
    mediaSession("none");
    $("practiced-ms").value = String(Math.round(at));
    $("state").value = state;
    $("live").hidden = true;
    player.classList.remove("running");
    player.classList.add("finished");
    $("after").hidden = false;
    $("tension-after").focus();
  }

  function mediaSession(state) {
    // Lock screen and headphone buttons: pause, play, skip a group, stop.
    if (!("mediaSession" in navigator)) return;
    const session = navigator.mediaSession;
    if (state === "playing" && !session.metadata && window.MediaMetadata) {
      session.metadata = new MediaMetadata({
        title: timeline.routine_name, artist: "ontspan",
        artwork: [{ src: "/static/icon-512.png", sizes: "512x512", type: "image/png" }],
      });
      const handlers = {
        play: () => { if (paused) togglePause(); }, pause: () => { if (!paused) togglePause(); },
        stop: () => finish("stopped"), nexttrack: skipGroup,
      };
      Object.entries(handlers).forEach(([action, handler]) => {
        try { session.setActionHandler(action, handler); } catch (e) { /* not supported here */ }
      });
    }
    session.playbackState = state;
  }

  $("start-session").addEventListener("click", start);
  $("pause").addEventListener("click", togglePause);
  $("skip").addEventListener("click", skipGroup);
  $("stop").addEventListener("click", () => finish("stopped"));
})();
