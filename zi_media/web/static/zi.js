// zi-media's pages: the unit's upload (one PUT per file, the body streamed, a progress bar)
// and the live state of a check. No framework, no network beyond this server.
"use strict";

function put(url, file, csrf, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new Error(said(xhr)));
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(file);
  });
}

function said(xhr) {
  try { return JSON.parse(xhr.responseText).error || String(xhr.status); } catch (e) { return String(xhr.status); }
}

async function post(url, csrf) {
  const r = await fetch(url, {method: "POST", headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"});
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || String(r.status));
  return body;
}

const form = document.getElementById("upload");
if (form) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const csrf = form.dataset.csrf, lang = form.dataset.lang;
    const files = Array.from(document.getElementById("files").files);
    const keep = document.getElementById("keep");
    const bar = document.getElementById("progress"), state = document.getElementById("upload-state");
    const send = document.getElementById("send");
    const total = files.reduce((n, f) => n + f.size, 0) || 1;
    let done = 0;
    send.disabled = true;
    bar.hidden = false;
    try {
      const made = await post("/api/submissions?lang=" + lang + (keep && keep.checked ? "&keep=1" : ""), csrf);
      for (const f of files) {
        state.textContent = form.dataset.uploading.replace("{name}", f.name);
        await put("/api/submissions/" + made.id + "/files/" + encodeURIComponent(f.name) + "?lang=" + lang, f, csrf,
                  (loaded) => { bar.value = (done + loaded) / total; });
        done += f.size;
      }
      bar.value = 1;
      const started = await post("/api/submissions/" + made.id + "/start?lang=" + lang, csrf);
      window.location = started.url;
    } catch (e) {
      state.textContent = form.dataset.cut.replace("{why}", e.message);
      state.className = "message";
      send.disabled = false;
    }
  });
}

const live = document.getElementById("state");
if (live && live.dataset.live === "1") {
  const poll = async () => {
    const r = await fetch("/api/submissions/" + live.dataset.sid + "?lang=" + live.dataset.lang,
                          {credentials: "same-origin"});
    if (!r.ok) return;
    const s = await r.json();
    live.textContent = s.shown;
    if (s.state === "done" || s.state === "error") window.location.reload();
    else setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}
