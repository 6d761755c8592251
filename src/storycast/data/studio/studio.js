// storycast studio: review who speaks each line, hear it, fix it, render, listen.
// Plain JavaScript, no build step. It talks to the studio's HTTP API only.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const UNCERTAIN_BELOW = 0.7; // as `storycast tag --review`
const NARRATOR = "narrator";
const $ = (id) => document.getElementById(id);

const studio = {
  script: null,
  version: "",
  segments: [], // by id
  rows: [], // what the script list shows: chapter titles and segments
  speakers: [], // the number keys' speakers, most lines first
  selected: null,
  undo: 0,
  rendering: false,
  cues: [],
};
window.studio = studio; // for tests and the benchmark

// --- the API ---------------------------------------------------------------

async function api(path, body) {
  const options = { headers: { "X-Storycast-Token": TOKEN } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get("Content-Type") || "";
  const data = type.startsWith("application/json") ? await response.json() : null;
  if (!response.ok) {
    const error = new Error((data && data.error) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

const withToken = (path) => `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(TOKEN)}`;

function say(message, isError = false) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// --- a list that draws only the rows on screen -----------------------------

class VirtualList {
  constructor(viewport, drawRow) {
    this.viewport = viewport;
    this.spacer = viewport.querySelector(".spacer");
    this.drawRow = drawRow;
    this.items = [];
    this.height = parseInt(getComputedStyle(document.documentElement).getPropertyValue("--row"), 10) || 30;
    this.pending = false;
    viewport.addEventListener("scroll", () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }
  setItems(items) {
    this.items = items;
    this.spacer.style.height = `${items.length * this.height}px`;
    this.draw();
  }
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }
  draw() {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 800;
    const first = Math.max(0, Math.floor(top / this.height) - 8);
    const last = Math.min(this.items.length, Math.ceil((top + height) / this.height) + 8);
    const rows = document.createDocumentFragment();
    for (let index = first; index < last; index++) {
      const row = this.drawRow(this.items[index], index);
      row.style.top = `${index * this.height}px`;
      rows.appendChild(row);
    }
    this.spacer.replaceChildren(rows);
  }
  reveal(index) {
    const top = index * this.height;
    const view = this.viewport;
    if (top < view.scrollTop || top + this.height > view.scrollTop + view.clientHeight) {
      view.scrollTop = top - view.clientHeight / 2; // out of sight: brought to the middle
    }
    this.draw();
  }
}

// --- the script ------------------------------------------------------------

const uncertain = (s) => (s.kind === "speech" || s.kind === "thought") && s.confidence < UNCERTAIN_BELOW;
const spoken = (s) => s.kind === "speech" || s.kind === "thought";
const label = (speaker) => (speaker === NARRATOR ? "Narrator" : speaker);

function colour(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360} 55% 42%)`;
}

async function loadScript() {
  const script = await api("api/script");
  studio.script = script;
  studio.version = script.version;
  studio.undo = script.undo;
  $("undo").disabled = !script.undo;
  studio.segments = [];
  const parts = [];
  if (script.front_matter) parts.push(["Front matter (not read by default)", script.front_matter]);
  for (const chapter of script.chapters) parts.push([chapter.title, chapter.segments]);
  if (script.back_matter) parts.push(["Back matter (not read)", script.back_matter]);
  studio.parts = parts;
  for (const [, segments] of parts) for (const s of segments) studio.segments[s.id] = s;
  $("title").textContent = script.title;
  document.title = `${script.title}: storycast studio`;
  chooseSpeakers();
  showRows();
  if (studio.selected !== null) showLine(studio.segments[studio.selected]);
}

function chooseSpeakers() {
  const counts = new Map();
  for (const s of studio.segments) {
    if (s && spoken(s) && s.speaker !== NARRATOR) counts.set(s.speaker, (counts.get(s.speaker) || 0) + 1);
  }
  for (const name of Object.keys(studio.script.cast.characters)) if (!counts.has(name)) counts.set(name, 0);
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = studio.speakers.filter((name) => counts.has(name)); // keys do not move under the fingers
  studio.speakers = [...kept, ...ranked.filter((name) => !kept.includes(name))];
  const legend = $("legend");
  legend.replaceChildren();
  const keyed = [...studio.speakers.slice(0, 9).map((name, i) => [String(i + 1), name]), ["0", NARRATOR]];
  for (const [key, name] of keyed) {
    const button = document.createElement("button");
    button.innerHTML = `<kbd>${key}</kbd>`;
    button.append(label(name));
    button.style.borderColor = name === NARRATOR ? "" : colour(name);
    button.addEventListener("click", () => setSpeaker(name));
    legend.appendChild(button);
  }
  $("speakers").replaceChildren(
    ...[...studio.speakers, NARRATOR].map((name) => Object.assign(document.createElement("option"), { value: name })),
  );
}

function showRows() {
  const onlyUncertain = $("only-uncertain").checked;
  const words = $("search").value.trim().toLowerCase();
  const wanted = (s) =>
    (!onlyUncertain || uncertain(s)) &&
    (!words || s.text.toLowerCase().includes(words) || s.speaker.toLowerCase() === words);
  const rows = [];
  let count = 0;
  for (const [title, segments] of studio.parts) {
    const kept = segments.filter(wanted);
    count += segments.filter(uncertain).length;
    if (kept.length) rows.push({ chapter: title }, ...kept);
  }
  studio.rows = rows;
  $("uncertain-count").textContent = count;
  scriptList.setItems(rows);
}

function drawScriptRow(item) {
  const row = document.createElement("div");
  if (item.chapter !== undefined) {
    row.className = "row chapter";
    row.textContent = item.chapter;
    return row;
  }
  row.className = `row ${item.kind}${uncertain(item) ? " uncertain" : ""}${item.id === studio.selected ? " selected" : ""}`;
  row.dataset.id = item.id;
  if (spoken(item)) row.style.setProperty("--speaker", colour(item.speaker));
  const chip = Object.assign(document.createElement("span"), { className: "chip", textContent: label(item.speaker) });
  const conf = Object.assign(document.createElement("span"), {
    className: `conf${uncertain(item) ? " low" : ""}`,
    textContent: spoken(item) ? item.confidence.toFixed(2) : "",
  });
  const rule = Object.assign(document.createElement("span"), { className: "rule", textContent: item.rule || item.kind });
  const text = Object.assign(document.createElement("span"), { className: "text", textContent: item.text });
  row.append(chip, conf, rule, text);
  return row;
}

function select(id, play = false) {
  studio.selected = id;
  const index = studio.rows.indexOf(studio.segments[id]);
  if (index >= 0) scriptList.reveal(index);
  else scriptList.draw();
  showLine(studio.segments[id]);
  if (play) playLine();
}

function showLine(segment) {
  $("line").hidden = false;
  $("line-meta").textContent =
    `#${segment.id} · ${segment.kind}` +
    (spoken(segment) ? ` · confidence ${segment.confidence.toFixed(2)} · rule ${segment.rule}` : "");
  $("line-text").textContent = segment.text;
  $("speaker").value = spoken(segment) ? segment.speaker : "";
  $("speaker-controls").hidden = !spoken(segment);
  const voiced = spoken(segment) ? segment.speaker : NARRATOR;
  $("voice-of").textContent = label(voiced);
  const voice = $("voice");
  if (voice.options.length !== studio.script.profiles.length) {
    voice.replaceChildren(...studio.script.profiles.map((name) => new Option(name, name)));
  }
  const current = studio.script.voices[voiced] || "";
  if (current && ![...voice.options].some((option) => option.value === current)) {
    // a default voice varied for a further character: shown, but not a profile to choose
    const varied = new Option(`${current} (a varied default)`, current);
    varied.disabled = true;
    voice.add(varied);
  }
  voice.value = current;
}

function playLine(voice) {
  if (studio.selected === null) return;
  const clip = $("clip");
  const asked = voice ? `&voice=${encodeURIComponent(voice)}` : "";
  clip.src = withToken(`api/clip/${studio.selected}?v=${studio.version}${asked}`);
  clip.play().catch((error) => say(`cannot play the line: ${error.message}`, true));
}

function step(direction, only = uncertain) {
  // Ids run in reading order, so "after the selected line" holds even when
  // the selected line has just left the filtered list.
  const rows = studio.rows;
  const selected = studio.selected;
  for (let i = direction > 0 ? 0 : rows.length - 1; i >= 0 && i < rows.length; i += direction) {
    const row = rows[i];
    if (row.id === undefined || !only(row)) continue;
    if (selected === null || (direction > 0 ? row.id > selected : row.id < selected)) return select(row.id);
  }
  say("no more such lines");
}

// --- edits -----------------------------------------------------------------

async function edit(path, body) {
  try {
    const answer = await api(path, { ...body, version: studio.version });
    studio.undo += 1;
    $("undo").disabled = false; // the server keeps the history: loadScript reads its length
    return answer;
  } catch (error) {
    say(error.message, true);
    if (error.status === 409 && !studio.rendering) await loadScript();
    return null;
  }
}

async function setSpeaker(name) {
  const segment = studio.segments[studio.selected];
  if (!segment || !spoken(segment) || !name) return;
  const changed = await edit(`api/segments/${segment.id}`, { speaker: name });
  if (!changed) return;
  Object.assign(segment, changed);
  studio.version = changed.version;
  studio.script.voices = changed.voices;
  chooseSpeakers();
  showRows();
  showLine(segment);
  say(`#${segment.id} is ${label(name)}'s now: render to hear it in the book`);
}

async function setVoice() {
  const segment = studio.segments[studio.selected];
  if (!segment) return;
  const who = spoken(segment) ? segment.speaker : NARRATOR;
  const changed = await edit(`api/characters/${encodeURIComponent(who)}`, { voice: $("voice").value });
  if (!changed) return;
  studio.version = changed.version;
  studio.script.voices = changed.voices;
  say(`${label(who)} speaks in ${changed.voice} now`);
}

async function undo() {
  try {
    const answer = await api("api/undo", { version: studio.version });
    await loadScript();
    say("undone");
  } catch (error) {
    say(error.message, true);
  }
}

// --- render ----------------------------------------------------------------

async function render() {
  try {
    await api("api/render", {});
  } catch (error) {
    if (error.status !== 409) return say(error.message, true);
  }
  watchRender();
}

async function watchRender() {
  const bar = $("render-progress");
  for (;;) {
    const job = await api("api/render");
    studio.rendering = job.state === "running";
    $("render").disabled = studio.rendering;
    bar.hidden = !studio.rendering;
    if (studio.rendering) {
      bar.max = Math.max(1, job.total);
      bar.value = job.done;
      say(`rendering: ${job.stage} ${job.done}/${job.total}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      continue;
    }
    if (job.state === "done") {
      say(`rendered in ${job.seconds.toFixed(1)} s: ${job.message}`);
      await loadBook(true);
    } else if (job.state === "failed") say(job.message, true);
    studio.lastJob = job;
    return job;
  }
}

// --- listen ----------------------------------------------------------------

async function loadBook(fresh = false) {
  let timing;
  try {
    timing = await api(`book/timing.json?v=${Date.now()}`);
  } catch (error) {
    return; // not rendered yet
  }
  $("player-empty").hidden = true;
  $("book-view").hidden = false;
  $("transcript").hidden = false;
  const audio = $("book");
  const file = timing.files.mp3 || timing.chapters[0].file;
  const source = withToken(`book/${encodeURIComponent(file)}?v=${fresh ? Date.now() : 0}`);
  if (fresh || !audio.src) audio.src = source;
  studio.cues = [];
  const chapters = $("chapters");
  chapters.replaceChildren();
  for (const chapter of timing.chapters) {
    const item = document.createElement("li");
    const button = Object.assign(document.createElement("button"), {
      textContent: `${chapter.title} (${clock(chapter.duration)})`,
    });
    button.addEventListener("click", () => seek(chapter.start));
    item.appendChild(button);
    chapters.appendChild(item);
    for (const cue of chapter.cues) {
      studio.cues.push({ ...cue, start: chapter.start + cue.start, end: chapter.start + cue.end });
    }
  }
  studio.current = -1;
  transcript.setItems(studio.cues);
}

function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function drawCue(cue, index) {
  const row = document.createElement("div");
  row.className = `row cue speech${index === studio.current ? " current" : ""}`;
  row.dataset.index = index;
  if (index === studio.current) row.setAttribute("aria-current", "true");
  row.style.setProperty("--speaker", cue.speaker === NARRATOR ? "#9ca3af" : colour(cue.speaker));
  const time = Object.assign(document.createElement("span"), { className: "time", textContent: clock(cue.start) });
  const chip = Object.assign(document.createElement("span"), { className: "chip", textContent: label(cue.speaker) });
  const text = Object.assign(document.createElement("span"), { className: "text", textContent: cue.text });
  row.append(time, chip, text);
  return row;
}

function seek(seconds) {
  const audio = $("book");
  audio.currentTime = seconds + 0.01;
  audio.play().catch(() => {}); // a seek still moves the highlight when play is refused
  follow();
}

function follow() {
  const time = $("book").currentTime;
  const cues = studio.cues;
  let low = 0;
  let high = cues.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (cues[middle].start <= time) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found === studio.current) return;
  studio.current = found;
  const cue = cues[found];
  $("now").textContent = cue ? `${label(cue.speaker)}: ${cue.text}` : "";
  if (found >= 0) transcript.reveal(found);
  else transcript.draw();
}

// --- wiring ----------------------------------------------------------------

const scriptList = new VirtualList($("script"), drawScriptRow);
const transcript = new VirtualList($("transcript"), drawCue);
studio.lists = { script: scriptList, transcript };

function typing(target) {
  // Keys meant for a field, or for the focused button or player (space clicks a button).
  return target instanceof Element && target.closest("input, select, textarea, button, audio") !== null;
}

document.addEventListener("keydown", (event) => {
  if (typing(event.target) || event.altKey || event.metaKey) return;
  if (event.ctrlKey && event.key !== "z") return;
  const key = event.key;
  if (key === "n") step(1);
  else if (key === "p") step(-1);
  else if (key === "ArrowDown") step(1, () => true);
  else if (key === "ArrowUp") step(-1, () => true);
  else if (key === " " || key === "Enter") playLine();
  else if (key === "u" || (event.ctrlKey && key === "z")) undo();
  else if (key === "0") setSpeaker(NARRATOR);
  else if (/^[1-9]$/.test(key)) setSpeaker(studio.speakers[Number(key) - 1]);
  else return;
  event.preventDefault();
});

$("script").addEventListener("click", (event) => {
  const row = event.target.closest(".row[data-id]");
  if (row) select(Number(row.dataset.id), true);
});
$("transcript").addEventListener("click", (event) => {
  const row = event.target.closest(".row[data-index]");
  if (row) seek(studio.cues[Number(row.dataset.index)].start);
});
$("only-uncertain").addEventListener("change", showRows);
$("search").addEventListener("input", showRows);
$("play").addEventListener("click", () => playLine());
$("set-speaker").addEventListener("click", () => setSpeaker($("speaker").value.trim()));
$("speaker").addEventListener("keydown", (event) => {
  if (event.key === "Enter") setSpeaker($("speaker").value.trim());
});
$("preview-voice").addEventListener("click", () => playLine($("voice").value));
$("set-voice").addEventListener("click", setVoice);
$("undo").addEventListener("click", undo);
$("render").addEventListener("click", render);
$("book").addEventListener("timeupdate", follow);
$("book").addEventListener("seeked", follow);

(async function start() {
  const began = performance.now();
  try {
    await loadScript();
    // read by benchmarks/studio_speed.py: from the script asked for, and from navigation
    studio.firstRender = performance.now() - began;
    studio.readyAt = performance.now();
    document.body.dataset.ready = "true";
    await loadBook();
    const job = await api("api/render");
    if (job.state === "running") watchRender();
  } catch (error) {
    say(error.message, true);
  }
})();
