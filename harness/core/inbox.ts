import { parseMessage, type AclMessage } from "../../protocol/index.js";

/**
 * One thing that arrived for the harness: a valid FIPA ACL message, or bytes that are not one
 * (`json` says whether they were JSON at all: garbage or a partial file is not, an agent's
 * malformed message usually is).
 */
export type Inbound =
  | { ok: true; message: AclMessage; via: string }
  | { ok: false; raw: string; json: boolean; problem: string; via: string };

/** Classifies a JSON value that arrived through `via` (a channel, file or URL). */
export function inboundFromValue(value: unknown, via: string): Inbound {
  const parsed = parseMessage(value);
  if (parsed.ok) return { ok: true, message: parsed.message, via };
  return { ok: false, raw: JSON.stringify(value) ?? String(value), json: true, problem: parsed.error.message, via };
}

/** Classifies text that arrived through `via`: JSON text of one message, or garbage. */
export function inboundFromText(text: string, via: string): Inbound {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, raw: text, json: false, problem: `not JSON (${reason})`, via };
  }
  const item = inboundFromValue(value, via);
  return item.ok ? item : { ...item, raw: text };
}

/** Options of {@link Inbox.take}. */
export type TakeOptions = { timeout: number; signal?: AbortSignal };

/**
 * The messages addressed to the harness, in arrival order. Channels `push`; tests and the message
 * backchannel `take` the first item that matches, waiting for it up to a timeout.
 */
export class Inbox {
  #items: Inbound[] = [];
  #wake = new Set<() => void>();
  #closed: Error | null = null;
  #ignored = new Set<string>();
  #listeners = new Set<(item: Inbound) => void>();

  /** Appends an arrival and wakes whoever waits (arrivals in ignored conversations are dropped). */
  push(item: Inbound): void {
    if (this.#isIgnored(item)) return;
    this.#items.push(item);
    for (const listen of this.#listeners) listen(item);
    for (const wake of [...this.#wake]) wake();
  }

  /** Calls `listen` with every later arrival (the silence oracle measures round trips so); returns how to stop. */
  listen(listen: (item: Inbound) => void): () => void {
    this.#listeners.add(listen);
    return () => this.#listeners.delete(listen);
  }

  /** Removes and returns everything queued. */
  drain(): Inbound[] {
    return this.#items.splice(0);
  }

  /**
   * Drops every queued and later message of a conversation the harness is done with (the
   * message backchannel's agact exchanges), so a late `inform` there never reaches a test.
   */
  ignore(conversationId: string): void {
    this.#ignored.add(conversationId);
    this.#items = this.#items.filter((item) => !this.#isIgnored(item));
  }

  #isIgnored(item: Inbound): boolean {
    return (
      item.ok && typeof item.message.conversation_id === "string" && this.#ignored.has(item.message.conversation_id)
    );
  }

  /** What is queued now, oldest first (not removed). */
  peek(): readonly Inbound[] {
    return this.#items;
  }

  /**
   * Marks the inbox dead (the channel's receiver failed): waiting `take`s and later ones reject
   * with `reason` once nothing queued matches.
   */
  close(reason: Error): void {
    this.#closed = reason;
    for (const wake of [...this.#wake]) wake();
  }

  /**
   * Removes and returns the first queued or arriving item that `match`es; `undefined` when none
   * came within `timeout` ms or the signal aborted.
   */
  async take(match: (item: Inbound) => boolean, { timeout, signal }: TakeOptions): Promise<Inbound | undefined> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const index = this.#items.findIndex(match);
      if (index >= 0) return this.#items.splice(index, 1)[0];
      if (this.#closed) throw this.#closed;
      const left = deadline - Date.now();
      if (left <= 0 || signal?.aborted) return undefined;
      await this.#next(left, signal);
    }
  }

  #next(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}
