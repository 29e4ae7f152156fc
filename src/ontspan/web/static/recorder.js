// A therapist records one phrase at a time: the microphone's samples are kept as they come,
// written as a 16-bit WAV (which the server reads without extra codecs) and uploaded.
"use strict";
(function () {
  const form = document.getElementById("voice-form");
  if (!form) return;
  const lang = form.dataset.lang;
  const csrf = form.querySelector("input[name=csrf]").value;
  let active = null;

  function wav(chunks, rate) {
    const length = chunks.reduce((n, c) => n + c.length, 0);
    const view = new DataView(new ArrayBuffer(44 + length * 2));
    const text = (at, s) => { for (let i = 0; i < s.length; i++) view.setUint8(at + i, s.charCodeAt(i)); };
    text(0, "RIFF"); view.setUint32(4, 36 + length * 2, true); text(8, "WAVE");
    text(12, "fmt "); view.setUint32(16, 16, true); view.setUint16(20, 1, true);
    view.setUint16(22, 1, true); view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true);
    view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, "data"); view.setUint32(40, length * 2, true);
    let at = 44;
    for (const chunk of chunks) {
      for (const sample of chunk) {
        const s = Math.max(-1, Math.min(1, sample));
        view.setInt16(at, s < 0 ? s * 0x8000 : s * 0x7fff, true);
        at += 2;
      }
    }
    return new Blob([view], { type: "audio/wav" });
  }

  async function start(item, button) {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const context = new AudioContext();
    const source = context.createMediaStreamSource(stream);
    const node = context.createScriptProcessor(4096, 1, 1);
    const chunks = [];
    node.onaudioprocess = (e) => chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    source.connect(node);
    node.connect(context.destination);
    button.textContent = form.dataset.stop;
    button.setAttribute("aria-pressed", "true");
    active = { item, button, stream, context, node, chunks };
  }

  async function stop() {
    const { item, button, stream, context, node, chunks } = active;
    active = null;
    node.disconnect();
    stream.getTracks().forEach((t) => t.stop());
    const rate = context.sampleRate;
    await context.close();
    button.textContent = form.dataset.record;
    button.removeAttribute("aria-pressed");
    const body = new FormData();
    body.append("csrf", csrf);
    body.append("audio", wav(chunks, rate), "phrase.wav");
    const phrase = item.dataset.phrase;
    const response = await fetch(`/voice/${lang}/${encodeURIComponent(phrase)}`, { method: "POST", body });
    const problem = item.querySelector(".problem");
    if (!response.ok) { problem.textContent = await response.text(); return; }
    problem.textContent = "";
    let audio = item.querySelector("audio");
    const missing = item.querySelector(".missing");
    if (missing) missing.remove();
    if (!audio) {
      audio = document.createElement("audio");
      audio.controls = true;
      button.before(audio);
    }
    audio.src = `/voice/${lang}/${encodeURIComponent(phrase)}.wav?t=${Date.now()}`;
  }

  document.getElementById("phrases").addEventListener("click", async (event) => {
    const button = event.target.closest("button.record");
    if (!button) return;
    if (active && active.button === button) { await stop(); return; }
    if (active) await stop();
    try { await start(button.closest("li"), button); }
    catch (err) { button.closest("li").querySelector(".problem").textContent = String(err); }
  });
})();
