// Server-sent events over fetch, so the token travels in the Authorization header (EventSource
// cannot send one, and a token in a query string would land in logs). It resumes with
// Last-Event-ID after a dropped connection, so nothing is missed and nothing arrives twice.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follow a summit's event stream. onEvent(event) for each event; onStatus(state, detail)
 * with state "live", "reconnecting", "ended" or "error". Returns {stop(), last()}.
 */
export function follow(url, { token = null, after = 0, onEvent, onStatus = () => {} }) {
  let last = after;
  let stopped = false;
  let controller = null;

  function dispatch(block) {
    let id = null;
    let type = "message";
    const data = [];
    for (const raw of block.split("\n")) {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "event") type = value;
      else if (field === "data") data.push(value);
    }
    if (type === "end") return true;
    if (data.length) {
      const event = JSON.parse(data.join("\n"));
      if (id !== null) last = Number(id);
      onEvent(event);
    }
    return false;
  }

  async function run() {
    let delay = 250;
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: "text/event-stream" };
        if (token) headers.Authorization = `Bearer ${token}`;
        if (last) headers["Last-Event-ID"] = String(last);
        const response = await fetch(url, {
          headers,
          signal: controller.signal,
          cache: "no-store",
          credentials: "omit",
          referrerPolicy: "no-referrer",
        });
        if (!response.ok) {
          if (response.status !== 429 && response.status < 500) {
            let message = response.statusText;
            try {
              message = (await response.json()).error.message;
            } catch {
              /* keep the status text */
            }
            onStatus("error", `${response.status}: ${message}`);
            return;
          }
          throw new Error(`status ${response.status}`);
        }
        onStatus("live");
        delay = 250;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        let ended = false;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          // Lines may end in CR LF, LF or CR; a CR at the end of a chunk waits for the next.
          buffer = (buffer + value).replace(/\r\n|\r(?!$)/g, "\n");
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            // After "end" the server closes the stream: read on to its close.
            if (dispatch(block)) ended = true;
          }
        }
        if (ended) {
          stopped = true;
          onStatus("ended");
          return;
        }
      } catch (error) {
        if (stopped) return;
      }
      onStatus("reconnecting");
      await sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }

  run();
  return {
    stop() {
      stopped = true;
      if (controller) controller.abort();
    },
    last: () => last,
  };
}
