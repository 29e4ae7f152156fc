// The live session in the browser: follows the same Timeline as the audio and the terminal.
"use strict";
(function () {
  const timeline = JSON.parse(document.getElementById("timeline").textContent);
  const player = document.getElementById("player");
  const speed = parseFloat(player.dataset.speed || "1");
  const audio = document.getElementById("audio");
  const $ = (id) => document.getElementById(id);
  const names = Object.fromEntries(timeline.groups.map((g) => [g.id, g.name]));
  // Phase names come from the same phrase file as the terminal's (data-words).
  const words = JSON.parse(player.dataset.words);

  let anchorTime = 0, anchorPos = 0, paused = false, running = false, wakeLock = null, timer = null;

  function position() {
    if (audio && !audio.paused) return audio.currentTime * 1000;
    if (paused || !running) return anchorPos;
    return anchorPos + (performance.now() - anchorTime) * speed;
  }
  function segmentAt(ms) {
    return timeline.segments.find((s) => s.start_ms <= ms && ms < s.end_ms) || timeline.segments[timeline.segments.length - 1];
  }
  function cueAt(ms) {
    return timeline.cues.find((c) => c.start_ms <= ms && ms < c.end_ms);
  }
  let lastCaption = "";
  function render() {
    const at = Math.min(position(), timeline.duration_ms);
    const seg = segmentAt(at);
    // The Timeline says where the feeling starts, where each countdown ends, and when the
    // next group's instruction is said (then the screen is already about that group).
    const coming = seg.next_at_ms !== null && at >= seg.next_at_ms;
    const group = coming ? seg.next_group : seg.group;
    const phase = coming ? "instruction" : seg.feel_start_ms !== null && at >= seg.feel_start_ms ? "feel" : seg.phase;
    $("phase").textContent = coming ? words.instruction.replace("{group}", names[group].toLowerCase()) : words[phase];
    let breath = "";
    if (seg.phase === "tense" && timeline.prefs.keep_breathing) breath = words.keep_breathing;
    else if (timeline.prefs.breathing && seg.phase === "tense") breath = words.breathe_in;
    else if (timeline.prefs.breathing && seg.phase === "release" && phase === "release") breath = words.breathe_out;
    $("breath").textContent = breath;
    const end = coming ? seg.end_ms : seg.countdown_end_ms;
    const left = end === null ? 0 : Math.ceil((end - at) / 1000);
    $("countdown").textContent = left > 0 ? left : "";
    $("group-name").textContent = group ? names[group] : "";
    const index = timeline.groups.findIndex((g) => g.id === group);
    $("progress").textContent = index >= 0 ? words.group_of.replace("{i}", index + 1).replace("{n}", timeline.groups.length) : "";
    document.querySelectorAll("#groups li").forEach((li, i) => {
      if (li.dataset.group === group) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.classList.toggle("done", index >= 0 ? i < index : seg.phase === "outro");
    });
    const areas = group ? timeline.areas[group] : [];
    document.querySelectorAll("#body [data-area]").forEach((el) => {
      const mine = el.dataset.area.split(" ");
      el.classList.toggle("active", mine.some((a) => areas.includes(a)));
    });
    const cue = cueAt(at);
    if (cue && cue.text !== lastCaption) { lastCaption = cue.text; $("caption").textContent = cue.text; }
    if (at >= timeline.duration_ms) finish("completed");
  }
  async function keepAwake() {
    try { if ("wakeLock" in navigator) wakeLock = await navigator.wakeLock.request("screen"); } catch (e) { wakeLock = null; }
  }
  function start() {
    $("before").hidden = true;
    $("live").hidden = false;
    $("before-value").value = $("tension-before").value;
    running = true; anchorTime = performance.now(); anchorPos = 0;
    if (audio) audio.play().catch(() => {});
    keepAwake();
    timer = setInterval(render, 100);
    render();
    $("pause").focus();
  }
  function togglePause() {
    const button = $("pause");
    if (!paused) {
      anchorPos = position(); paused = true;
      if (audio) audio.pause();
      button.textContent = player.dataset.resume;
    } else {
      // The voice starts the interrupted line again; time did not move while paused.
      const cue = cueAt(anchorPos);
      if (cue) anchorPos = cue.start_ms;
      paused = false; anchorTime = performance.now();
      if (audio) { audio.currentTime = anchorPos / 1000; audio.play().catch(() => {}); }
      button.textContent = player.dataset.paused;
    }
  }
  function finish(state) {
    if (!running) return;
    const at = Math.min(position(), timeline.duration_ms);
    running = false; clearInterval(timer);
    if (audio) audio.pause();
    if (wakeLock) wakeLock.release().catch(() => {});
    $("practiced-ms").value = Math.round(at);
    $("state").value = state;
    $("live").hidden = true;
    $("after").hidden = false;
    $("tension-after").focus();
  }
  $("start-session").addEventListener("click", start);
  $("pause").addEventListener("click", togglePause);
  $("stop").addEventListener("click", () => finish("stopped"));
})();
