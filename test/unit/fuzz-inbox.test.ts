import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { Channel, Inbound } from "../../harness/core/index.js";
import { MAX_INBOX_FILE_BYTES, openFolderChannel } from "../../harness/node/channels/folder.js";
import { parseMessage } from "../../protocol/index.js";

/**
 * Fuzzing the agtalk inbox reader (the folder channel over harness/node/agtalk/): whatever files
 * an agent's adapter leaves in the inbox — messages, garbage, partial writes, invalid UTF-8,
 * empty or huge files — each becomes exactly one arrival (a message, or a typed "not a message"
 * with the reason), in arrival order, and is removed. Never a crash, never a hang.
 */

const root = mkdtempSync(join(tmpdir(), "agtest-fuzz-inbox-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

function folders(): { inbox: string; outbox: string } {
  const dir = join(root, `run-${runs++}`);
  const inbox = join(dir, "inbox");
  const outbox = join(dir, "outbox");
  mkdirSync(inbox, { recursive: true });
  mkdirSync(outbox, { recursive: true });
  return { inbox, outbox };
}

/** Waits until `n` arrivals are queued (failing after `ms`); returns what arrived. */
async function arrivals(channel: Channel, n: number, ms: number): Promise<readonly Inbound[]> {
  await vi.waitFor(() => expect(channel.inbox.peek().length).toBeGreaterThanOrEqual(n), { timeout: ms, interval: 10 });
  return channel.inbox.peek();
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const valid = fc.record({
  performative: fc.constantFrom("inform", "request", "failure"),
  sender: fc.constantFrom("agent"),
  content: fc.jsonValue({ maxDepth: 2 }),
});
/** What may be in a file: a message, JSON that is no message, a cut-off message, garbage, nothing. */
const content = fc.oneof(
  valid.map((m) => utf8(JSON.stringify(m))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => utf8(JSON.stringify(v))),
  fc.tuple(valid, fc.nat()).map(([m, cut]) => {
    const text = JSON.stringify(m);
    return utf8(text.slice(0, cut % text.length));
  }),
  fc.uint8Array({ maxLength: 300 }),
  fc.constant(new Uint8Array([0xff, 0xfe, 0x7b, 0x22])), // invalid UTF-8 then `{"`
  fc.constant(new Uint8Array(0)),
);

describe("fuzz: the agtalk inbox reader (folder channel)", () => {
  it("any settled files: one arrival each, in arrival order, each judged like the bytes it held, every file removed", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(content, { minLength: 1, maxLength: 6 }), async (files) => {
        const dirs = folders();
        const old = Date.now() / 1000 - 60;
        files.forEach((bytes, i) => {
          const path = join(dirs.inbox, `f${String(i).padStart(2, "0")}.json`);
          writeFileSync(path, bytes);
          utimesSync(path, old + i, old + i); // long settled, arrived in this order
        });
        const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 10 });
        try {
          const got = await arrivals(channel, files.length, 5000);
          expect(got).toHaveLength(files.length);
          got.forEach((item, i) => {
            const text = new TextDecoder().decode(files[i]);
            let json: unknown;
            let isJson = true;
            try {
              json = JSON.parse(text);
            } catch {
              isJson = false;
            }
            const isMessage = isJson && parseMessage(json).ok;
            expect(item.ok).toBe(isMessage);
            if (!item.ok) {
              expect(item.json).toBe(isJson);
              expect(item.raw).toBe(text);
              expect(item.problem.length).toBeGreaterThan(0);
            }
          });
          expect(readdirSync(dirs.inbox)).toEqual([]);
        } finally {
          await channel.close();
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it("a fresh file that stays partial is judged once it has settled, not waited on forever", async () => {
    const dirs = folders();
    writeFileSync(join(dirs.inbox, "partial.json"), '{"performative": "inf');
    const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 10 });
    try {
      const [item] = await arrivals(channel, 1, 5000);
      expect(item).toMatchObject({ ok: false, json: false, problem: expect.stringMatching(/^not JSON/) });
    } finally {
      await channel.close();
    }
  });

  it("temp files being written (hidden) and folders are not messages, and are left alone", async () => {
    const dirs = folders();
    writeFileSync(join(dirs.inbox, ".000-m.json.tmp"), '{"performative":"inform"}');
    mkdirSync(join(dirs.inbox, "000-folder.json"));
    writeFileSync(join(dirs.inbox, "001-m.json"), '{"performative":"inform","sender":"agent"}');
    const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 10 });
    try {
      expect(await arrivals(channel, 1, 5000)).toHaveLength(1);
      // A message written after the first arrived is read by a later scan of the folder, which
      // lists the hidden file and the folder again: when it arrives, they were passed over.
      writeFileSync(join(dirs.inbox, "002-m.json"), '{"performative":"inform","sender":"agent"}');
      const got = await arrivals(channel, 2, 5000);
      expect(got).toHaveLength(2);
      expect(got.every((item) => item.ok)).toBe(true);
      expect(readdirSync(dirs.inbox).sort()).toEqual([".000-m.json.tmp", "000-folder.json"]);
    } finally {
      await channel.close();
    }
  });

  it.each([
    ["just over the limit", MAX_INBOX_FILE_BYTES + 1],
    ["600 MiB (more than a JavaScript string holds)", 600 * 1024 * 1024],
  ])(
    "a huge file (%s, sparse) is refused as too large without being read, and removed; later files still arrive",
    async (_, size) => {
      const dirs = folders();
      const huge = join(dirs.inbox, "000-huge.json");
      writeFileSync(huge, "{");
      truncateSync(huge, size);
      const old = Date.now() / 1000 - 60;
      utimesSync(huge, old, old);
      writeFileSync(join(dirs.inbox, "001-next.json"), '{"performative":"inform","sender":"agent"}');
      const started = Date.now();
      const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 10 });
      try {
        const got = await arrivals(channel, 2, 10_000);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(got[0]).toMatchObject({ ok: false, json: false, problem: expect.stringMatching(/too large/) });
        expect(got[0]?.ok === false && got[0].raw.length).toBeLessThanOrEqual(1024);
        expect(got[1]?.ok).toBe(true);
        expect(existsSync(huge)).toBe(false);
      } finally {
        await channel.close();
      }
    },
  );

  it("a large file under the limit (8 MiB of garbage) is read and judged", async () => {
    const dirs = folders();
    writeFileSync(join(dirs.inbox, "big.json"), Buffer.alloc(8 * 1024 * 1024, "x"));
    const channel = await openFolderChannel({ ...dirs, agent: "agent", interval: 10 });
    try {
      const [item] = await arrivals(channel, 1, 5000);
      expect(item).toMatchObject({ ok: false, json: false });
    } finally {
      await channel.close();
    }
  });
});
