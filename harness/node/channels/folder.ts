import { open, readFile, rm } from "node:fs/promises";
import { Inbox, inboundFromText, type Channel } from "../../core/index.js";
import { ensureFolder, watchFolder, writeMessageFile } from "../agtalk/files.js";
import { settled } from "../agtalk/settle.js";

/**
 * Largest inbox file read as a message (far above the runtime's 1 MiB message limit). A larger
 * one is not read at all: it becomes a "too large" arrival and is removed, so a runaway writer
 * can neither exhaust the harness's memory nor stall the inbox (a file past V8's string limit
 * could never be read, and would be retried forever).
 */
export const MAX_INBOX_FILE_BYTES = 16 * 1024 * 1024;

/** The first bytes of a file, as text, to show what a refused file held. */
async function head(path: string, bytes = 1024): Promise<string> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return "";
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(bytes), position: 0 });
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/** Options of {@link openFolderChannel}. */
export type FolderChannelOptions = {
  outbox: string;
  inbox: string;
  /** The agent's address. */
  agent: string;
  /** The harness's address as the agent sees it (default `agtest`; set it to the adapter's reply URL). */
  self?: string;
  /** Polling interval in ms, next to `fs.watch` (default 50). */
  interval?: number;
};

/**
 * Channel (c), agtalk folders (HIPE 0015): to send, write the message as a new file in the
 * outbox (an adapter sends files in creation order); to receive, read each file an adapter puts
 * in the inbox, in arrival order, and delete it. A file that is not a message becomes an error
 * for the test waiting on it, never a crash.
 */
export async function openFolderChannel(options: FolderChannelOptions): Promise<Channel> {
  const { outbox, inbox: inboxDir, agent, self = "agtest", interval = 50 } = options;
  await ensureFolder(outbox);
  await ensureFolder(inboxDir);
  const inbox = new Inbox();
  const watcher = watchFolder(
    inboxDir,
    async (file) => {
      if (file.size > MAX_INBOX_FILE_BYTES) {
        const raw = await head(file.path);
        await rm(file.path, { force: true });
        const problem = `file too large: ${file.size} bytes (the limit is ${MAX_INBOX_FILE_BYTES}); not read`;
        inbox.push({ ok: false, raw, json: false, problem, via: `inbox file ${file.name}` });
        return "done";
      }
      let text: string;
      try {
        text = await readFile(file.path, "utf8");
      } catch {
        return "done"; // gone already (someone else took it)
      }
      if (!settled(text, file.mtimeMs)) return "later";
      await rm(file.path, { force: true });
      inbox.push(inboundFromText(text, `inbox file ${file.name}`));
      return "done";
    },
    { interval },
  );
  return {
    kind: "agtalk",
    name: self,
    agent,
    inbox,
    async send(message) {
      await writeMessageFile(outbox, JSON.stringify(message));
      return { status: "sent" };
    },
    close: () => watcher.close(),
  };
}
