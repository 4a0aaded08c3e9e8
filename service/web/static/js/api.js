// The REST API from the browser: JSON in and out, the bearer token in a header (never in a
// URL), the server's own error message on every refusal, and patience with 429.

/** A refusal of the server, in its one error shape {"error": {code, message, details}}. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The refusal as a person reads it: the status, the code and the server's message. */
  describe() {
    let text = `${this.status} ${this.code}: ${this.message}`;
    const first = this.details && Array.isArray(this.details.errors) && this.details.errors[0];
    if (first && first.message) {
      const where = Array.isArray(first.loc) ? first.loc.join(".") : "";
      text += ` (${where ? where + ": " : ""}${first.message}${first.allowed ? "; allowed: " + first.allowed : ""})`;
    }
    const lines = this.details && Array.isArray(this.details.red_lines) ? this.details.red_lines.filter((rl) => rl && rl.label) : [];
    if (lines.length) text += ` — red lines: ${lines.map((rl) => `“${rl.label}”`).join(", ")}`;
    return text;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds to wait after a 429, from Retry-After (one second when it says nothing). */
function retryAfter(response) {
  const value = Number(response.headers.get("Retry-After"));
  return Number.isFinite(value) && value > 0 ? Math.min(value, 30) : 1;
}

/**
 * A client for one token. onBusy(seconds) is told when the server asks to slow down (429);
 * a request is retried up to `retries` times before its refusal reaches the caller.
 */
export function makeApi({ token = null, onBusy = () => {}, retries = 3 } = {}) {
  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
      if (response.status === 429 && attempt < retries) {
        const seconds = retryAfter(response);
        onBusy(seconds);
        await sleep(seconds * 1000);
        continue;
      }
      const text = await response.text();
      let data = null;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = { error: { code: "not_json", message: text.slice(0, 200) } };
        }
      }
      if (!response.ok) {
        const error = (data && data.error) || {};
        throw new ApiError(
          response.status,
          error.code || `http_${response.status}`,
          error.message || response.statusText || "the request failed",
          error.details,
        );
      }
      return data;
    }
  }
  return {
    token,
    get: (path) => call("GET", path),
    post: (path, body = {}) => call("POST", path, body),
    put: (path, body) => call("PUT", path, body),
    patch: (path, body) => call("PATCH", path, body),
  };
}

/** Path segments escaped for a URL. */
export function path(...parts) {
  return "/" + parts.map((part) => encodeURIComponent(String(part))).join("/");
}
