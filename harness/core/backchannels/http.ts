import type { Backchannel, ActResult } from "../backchannel.js";

/** Options of {@link httpBackchannel}. */
export type HttpBackchannelOptions = {
  /** Per-request limit in ms (default 10 s); a backchannel that hangs is broken. */
  timeout?: number;
  fetch?: typeof fetch;
};

/**
 * agact over HTTP in the shape of the Aries Agent Test Harness backchannel:
 * `POST {base}/agent/command/agact/{action}` with `{"data": {"params": [...]}}`.
 * 2xx -> 0; 404 or 501 -> 127 (unsupported); anything else, or no answer -> 1 (broken).
 *
 * @see https://github.com/hyperledger/aries-agent-test-harness (backchannel API)
 */
export function httpBackchannel(base: string, options: HttpBackchannelOptions = {}): Backchannel {
  const { timeout = 10_000, fetch: fetcher = fetch } = options;
  const root = base.replace(/\/+$/, "");
  return {
    kind: "http",
    async act(action, params, signal): Promise<ActResult> {
      const url = `${root}/agent/command/agact/${encodeURIComponent(action)}`;
      const limit = AbortSignal.timeout(timeout);
      let res: Response;
      try {
        res = await fetcher(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ data: { params } }),
          signal: signal ? AbortSignal.any([signal, limit]) : limit,
        });
      } catch (error) {
        const why = limit.aborted
          ? `no answer within ${timeout} ms`
          : error instanceof Error
            ? error.message
            : String(error);
        return { code: 1, detail: `POST ${url}: ${why}` };
      }
      const text = (await res.text().catch(() => "")).slice(0, 300);
      if (res.ok) return { code: 0 };
      if (res.status === 404 || res.status === 501) return { code: 127, detail: `HTTP ${res.status}` };
      return { code: 1, detail: `POST ${url}: HTTP ${res.status}${text ? ` ${text}` : ""}` };
    },
  };
}
