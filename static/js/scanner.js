// The gate scanner: reads a ticket's QR code (or its manual code), asks the server, and
// shows a big coloured answer. When the network drops it checks the signature itself
// (WebCrypto Ed25519, with the keys and revocation list of the scanner bundle), keeps the
// scans on the phone, and uploads them to /api/v1/checkins/batch when the network returns.
// The ticket format is described in docs/ticket-codes.md.
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("scanner-config").textContent);
  const KEYS = {
    device: "exhibitions.scanner.device",
    bundle: "exhibitions.scanner.bundle",
    seen: "exhibitions.scanner.seen",
    checkpoint: "exhibitions.scanner.checkpoint",
  };
  const $ = (id) => document.getElementById(id);
  const load = (key, fallback) => {
    try {
      return JSON.parse(localStorage.getItem(key)) ?? fallback;
    } catch {
      return fallback;
    }
  };
  const save = (key, value) => {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full: only the offline duplicate check suffers; scans live in IndexedDB.
    }
  };

  // ---- ticket codes: base45 (RFC 9285) and the version 1 payload -------------------------
  const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

  function base45Decode(text) {
    const out = [];
    for (let i = 0; i < text.length; i += 3) {
      const chunk = text.slice(i, i + 3);
      const digits = [...chunk].map((c) => BASE45.indexOf(c));
      if (digits.includes(-1) || chunk.length === 1) return null;
      if (chunk.length === 3) {
        const n = digits[0] + digits[1] * 45 + digits[2] * 2025;
        if (n > 0xffff) return null;
        out.push(n >> 8, n & 0xff);
      } else {
        const n = digits[0] + digits[1] * 45;
        if (n > 0xff) return null;
        out.push(n);
      }
    }
    return new Uint8Array(out);
  }

  function readClaims(code) {
    const text = code.replace(/[\r\n]+$/, "").toUpperCase();
    if (!text.startsWith("EX")) return null;
    const raw = base45Decode(text.slice(2));
    if (!raw || raw.length !== 77 || raw[0] !== 1) return null;
    const view = new DataView(raw.buffer);
    const firstDay = new Date(Date.UTC(2020, 0, 1) + view.getUint16(10) * 86400000);
    const dayCount = raw[12];
    if (dayCount === 0) return null;
    return {
      keyId: raw[1],
      exhibitionId: view.getUint32(2),
      ticketId: view.getUint32(6),
      firstDay: firstDay.toISOString().slice(0, 10),
      lastDay: new Date(firstDay.getTime() + (dayCount - 1) * 86400000).toISOString().slice(0, 10),
      payload: raw.slice(0, 13),
      signature: raw.slice(13),
    };
  }

  function hexBytes(hex) {
    return new Uint8Array(hex.match(/../g).map((byte) => parseInt(byte, 16)));
  }

  async function signatureIsGenuine(claims, bundle) {
    const key = bundle.keys.find((k) => k.exhibition_id === claims.exhibitionId && k.key_id === claims.keyId);
    if (!key || !window.crypto?.subtle) return false;
    try {
      const publicKey = await crypto.subtle.importKey("raw", hexBytes(key.public_key), { name: "Ed25519" }, false, [
        "verify",
      ]);
      return await crypto.subtle.verify({ name: "Ed25519" }, publicKey, claims.signature, claims.payload);
    } catch {
      return false;
    }
  }

  // The exhibition's local date and HH:MM, whatever the phone's own time zone.
  function localNow(timeZone, when = new Date()) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(when)
        .map((part) => [part.type, part.value]),
    );
    return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  }

  // What this phone admitted offline is kept two days: enough for a ticket valid today.
  function forgetOldScans() {
    const cutoff = Date.now() - 2 * 86400000;
    const seen = load(KEYS.seen, {});
    save(KEYS.seen, Object.fromEntries(Object.entries(seen).filter(([, at]) => Date.parse(at) > cutoff)));
  }

  // The same rules the server applies (tickets/services/_checkin.py), with what a phone can
  // know offline: no capacity, and only this phone's own earlier scans.
  async function judgeOffline(code, checkpoint, direction, bundle) {
    const claims = readClaims(code);
    if (!claims) {
      // A manual code names a ticket only the server can look up; anything else is no ticket.
      const compact = code.replace(/[\s-]/g, "").toUpperCase();
      const { alphabet, length } = config.manual_code;
      const manual = compact.length === length && [...compact].every((c) => alphabet.includes(c));
      return { result: manual ? "unverified" : "invalid" };
    }
    if (!(await signatureIsGenuine(claims, bundle))) {
      const otherExhibition = claims.exhibitionId !== bundle.exhibition_id;
      return { result: otherExhibition ? "wrong_exhibition" : "invalid" };
    }
    if (bundle.revoked.includes(claims.ticketId)) return { result: "revoked" };
    if (direction === "out") return { result: "exited" };
    const now = localNow(bundle.time_zone);
    if (now.day < claims.firstDay || now.day > claims.lastDay) return { result: "not_valid_today" };
    const today = bundle.days.find((day) => day.day === now.day);
    if (!today || !today.opens_at || now.time < today.opens_at || now.time >= today.closes_at) {
      return { result: "checkpoint_closed" };
    }
    const scope = checkpoint.kind === "gate" ? "gates" : `checkpoint:${checkpoint.id}`;
    const slot = { once_per_day: now.day, once: "once" }[checkpoint.policy];
    if (slot) {
      const seen = load(KEYS.seen, {});
      const key = `${claims.ticketId}|${scope}|${slot}`;
      if (seen[key]) return { result: "offline_seen" };
      seen[key] = new Date().toISOString();
      save(KEYS.seen, seen);
    }
    return { result: "offline_admitted" };
  }

  // ---- the answer on screen, and a sound -----------------------------------------------
  let audio;
  function beep(colour) {
    try {
      audio ??= new AudioContext();
      const tones = { green: [880], orange: [440, 440], red: [220, 180] }[colour] ?? [440];
      tones.forEach((frequency, index) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        oscillator.connect(gain).connect(audio.destination);
        const start = audio.currentTime + index * 0.22;
        gain.gain.setValueAtTime(0.3, start);
        oscillator.start(start);
        oscillator.stop(start + 0.18);
      });
    } catch {
      // No sound on this phone: the colour still says it.
    }
    navigator.vibrate?.(colour === "green" ? 80 : [200, 80, 200]);
  }

  function show(answer) {
    const known = config.results[answer.result];
    const local = {
      offline_admitted: { text: config.texts.offline_admitted, colour: "green" },
      offline_seen: { text: config.texts.offline_seen, colour: "orange" },
      unverified: { text: config.texts.offline_unverified, colour: "orange" },
    }[answer.result];
    const { text, colour } = known ?? local ?? { text: answer.result, colour: "red" };
    const box = $("result");
    box.hidden = false;
    box.className = `scan-result scan-${colour}`;
    box.dataset.result = answer.result;
    $("result-text").textContent = text;
    $("result-holder").textContent = answer.holder_name ?? "";
    const details = [];
    if (answer.admitted_at) {
      // In the exhibition's time, like every clock at the venue, whatever the phone's own zone.
      const timeZone = load(KEYS.bundle, null)?.time_zone;
      const when = new Date(answer.admitted_at).toLocaleTimeString(config.lang, {
        hour: "2-digit",
        minute: "2-digit",
        timeZone,
      });
      details.push(`${when}${answer.admitted_by ? ` · ${answer.admitted_by}` : ""}`);
    }
    if (answer.offline) details.push(config.texts.queued);
    $("result-detail").textContent = details.join(" — ");
    beep(colour);
  }

  function message(text, kind = "alert") {
    const box = $("scanner-message");
    box.hidden = !text;
    box.className = kind;
    box.textContent = text ?? "";
  }

  // ---- the queue of offline scans ------------------------------------------------------
  // In IndexedDB, one record per scan: a busy gate offline for a day makes tens of
  // thousands, more than localStorage holds, and a scan must never be lost.
  const queueStore = idbKeyval.createStore("exhibitions-scanner", "queue");
  const UPLOAD_SIZE = 2000;

  async function queued() {
    const scans = await idbKeyval.values(queueStore);
    return scans.sort((a, b) => a.scanned_at.localeCompare(b.scanned_at));
  }

  async function setOffline(offline) {
    $("offline-banner").hidden = !offline;
    $("queue-count").textContent = String((await idbKeyval.keys(queueStore)).length);
    document.body.classList.toggle("is-offline", offline);
  }

  let syncing = false;
  async function sync() {
    if (syncing) return;
    syncing = true;
    let sent = 0;
    try {
      const scans = await queued();
      for (let start = 0; start < scans.length; start += UPLOAD_SIZE) {
        const response = await api("/api/v1/checkins/batch", { scans: scans.slice(start, start + UPLOAD_SIZE) });
        if (response.status === 401 || response.status === 403) {
          message(config.texts.token_refused);
          return;
        }
        if (!response.ok) return;
        const applied = (await response.json()).results.map((result) => result.nonce);
        await idbKeyval.delMany(applied, queueStore);
        sent += applied.length;
      }
      if (sent) {
        await setOffline(false);
        message(config.texts.synced.replace("%(count)s", String(sent)), "notice");
      }
    } catch {
      await setOffline(true);
    } finally {
      syncing = false;
    }
  }

  // ---- talking to the server -----------------------------------------------------------
  function device() {
    return load(KEYS.device, null);
  }

  function api(path, body) {
    return fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { Authorization: `Bearer ${device().token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
  }

  function nonce() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  let busy = false;
  async function check(code) {
    const bundle = load(KEYS.bundle, null);
    const checkpointId = Number($("checkpoint").value);
    const checkpoint = bundle?.checkpoints.find((c) => c.id === checkpointId);
    if (!code.trim() || !checkpoint || busy) return;
    busy = true;
    const direction = document.querySelector("input[name=direction]:checked").value;
    const scan = { code, checkpoint: checkpointId, direction, scanned_at: new Date().toISOString(), nonce: nonce() };
    try {
      const response = await api("/api/v1/checkins", scan);
      if (response.status === 401 || response.status === 403) {
        message(config.texts.token_refused);
      } else if (response.ok) {
        await setOffline(false);
        show(await response.json());
        sync();
      } else if (response.status >= 500) {
        await keepOffline(scan, checkpoint, bundle);
      } else {
        show({ result: "invalid" });
      }
    } catch {
      await keepOffline(scan, checkpoint, bundle);
    } finally {
      busy = false;
    }
  }

  async function keepOffline(scan, checkpoint, bundle) {
    const verdict = await judgeOffline(scan.code, checkpoint, scan.direction, bundle);
    // Every scan is kept, refusals too: the server's log must hold what the gate saw.
    await idbKeyval.set(scan.nonce, scan, queueStore);
    await setOffline(true);
    show({ ...verdict, offline: true });
  }

  async function loadBundle() {
    const current = device();
    try {
      const response = await api(`/api/v1/exhibitions/${encodeURIComponent(current.exhibition)}/scanner-bundle`);
      if (response.status === 401 || response.status === 403) {
        message(config.texts.token_refused);
        return null;
      }
      if (response.ok) save(KEYS.bundle, await response.json());
    } catch {
      setOffline(true);
    }
    return load(KEYS.bundle, null);
  }

  async function enrolFromLink() {
    const match = location.hash.match(/enrol=([^&]+)/);
    if (!match) return;
    // The secret leaves the address bar (and history) before anything else happens.
    history.replaceState(null, "", location.pathname + location.search);
    try {
      const response = await fetch("/api/v1/devices/enrol", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ secret: decodeURIComponent(match[1]) }),
      });
      if (response.status === 201) {
        const enrolled = await response.json();
        save(KEYS.device, { token: enrolled.token, name: enrolled.name, exhibition: enrolled.exhibition });
        localStorage.removeItem(KEYS.bundle);
        message(`${config.texts.enrolled} ${enrolled.exhibition}`, "notice");
      } else {
        message(config.texts.enrol_failed);
      }
    } catch {
      message(config.texts.network_error);
    }
  }

  // ---- the camera ----------------------------------------------------------------------
  async function detector() {
    if ("BarcodeDetector" in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) return new window.BarcodeDetector({ formats: ["qr_code"] });
    }
    // No native detector (Firefox, desktop Chromium): ZXing compiled to WebAssembly, self-hosted.
    await new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/vendor/barcode-detector/ponyfill.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
    window.BarcodeDetectionAPI.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) =>
          path.endsWith(".wasm") ? "/static/vendor/zxing-wasm/zxing_reader.wasm" : prefix + path,
      },
    });
    return new window.BarcodeDetectionAPI.BarcodeDetector({ formats: ["qr_code"] });
  }

  async function startCamera() {
    const video = $("camera-video");
    try {
      const reader = await detector();
      video.srcObject = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" },
        audio: false,
      });
      video.hidden = false;
      await video.play();
      $("camera-start").hidden = true;
      let last = { code: "", at: 0 };
      const tick = async () => {
        try {
          const [found] = await reader.detect(video);
          // A code held in front of the camera is one scan, not one per frame.
          if (found && (found.rawValue !== last.code || Date.now() - last.at > 3000)) {
            last = { code: found.rawValue, at: Date.now() };
            await check(found.rawValue);
          }
        } catch {
          // A frame that could not be read: try the next one.
        }
        setTimeout(tick, 150);
      };
      tick();
    } catch {
      message(config.texts.camera_unavailable);
    }
  }

  // ---- start ---------------------------------------------------------------------------
  async function start() {
    await enrolFromLink();
    const current = device();
    if (!current) {
      message(config.texts.not_enrolled);
      return;
    }
    $("device-line").hidden = false;
    $("device-name").textContent = current.name;
    $("device-exhibition").textContent = current.exhibition;
    const bundle = await loadBundle();
    if (!bundle) return;
    const select = $("checkpoint");
    select.replaceChildren(
      ...bundle.checkpoints.map((checkpoint) => new Option(checkpoint.name, String(checkpoint.id))),
    );
    const remembered = load(KEYS.checkpoint, null);
    if (bundle.checkpoints.some((checkpoint) => checkpoint.id === remembered)) select.value = String(remembered);
    select.addEventListener("change", () => save(KEYS.checkpoint, Number(select.value)));
    $("scanner-controls").hidden = false;
    $("manual-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("manual-code");
      // Not trimmed: a space is a base45 digit; the server ignores spaces in manual codes.
      await check(input.value.replace(/[\r\n]+/g, ""));
      input.value = "";
      input.focus();
    });
    $("camera-start").addEventListener("click", startCamera);
    window.addEventListener("online", sync);
    window.addEventListener("offline", () => setOffline(true));
    setInterval(sync, 10000);
    // New keys and revocations reach the phone while it is online, for when it is not.
    setInterval(loadBundle, 60000);
    forgetOldScans();
    await setOffline(!navigator.onLine);
    sync();
  }

  // Lets the page open again with no network (a phone that reloads it at the gate).
  navigator.serviceWorker?.register("/scanner-sw.js", { scope: "/scanner" }).catch(() => {});

  window.exhibitionsScanner = { base45Decode, readClaims, localNow, sync };
  start();
})();
