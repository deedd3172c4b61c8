import { watch, type FSWatcher } from "node:fs";
import { mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

let sequence = 0;

/**
 * Writes one message as a new file in an agtalk folder (HIPE 0015): a hidden temp file renamed
 * into place, so a reader never sees a partial file. Names sort in creation order:
 * `<ms since epoch, 15 digits>-<sequence, 6 digits>-<random>.json`. Returns the file's name.
 */
export async function writeMessageFile(dir: string, bytes: string | Uint8Array): Promise<string> {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, "0")).join("");
  const name = `${String(Date.now()).padStart(15, "0")}-${String(sequence++ % 1_000_000).padStart(6, "0")}-${random}.json`;
  const temp = join(dir, `.${name}.tmp`);
  await writeFile(temp, bytes);
  await rename(temp, join(dir, name));
  return name;
}

/** A file waiting in an agtalk folder. */
export type FolderFile = { name: string; path: string; mtimeMs: number; size: number };

/**
 * The message files in `dir` in arrival order (modification time, then name). Hidden files
 * (temp files being written) are not messages.
 */
export async function listMessageFiles(dir: string): Promise<FolderFile[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith("."));
  const files = await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      const s = await stat(path).catch(() => undefined);
      return s?.isFile() ? { name, path, mtimeMs: s.mtimeMs, size: s.size } : undefined;
    }),
  );
  return files
    .filter((f) => f !== undefined)
    .sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Creates an agtalk folder if needed. */
export async function ensureFolder(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

/** What a {@link watchFolder} handler decides for a file: done with it, or look again later. */
export type FileVerdict = "done" | "later";

/**
 * Calls `handle` for every message file in `dir`, one at a time, in arrival order, as files
 * arrive: woken by `fs.watch`, with polling as a fallback (network drives, some containers).
 * `handle` deletes the files it is done with; a file it returns `later` for (still being
 * written, or not sendable yet) stops the pass, so order is kept.
 */
export function watchFolder(
  dir: string,
  handle: (file: FolderFile) => Promise<FileVerdict>,
  options: { interval?: number } = {},
): { close(): Promise<void> } {
  const { interval = 50 } = options;
  let closed = false;
  let again = false;
  let running: Promise<void> | null = null;
  let watcher: FSWatcher | undefined;
  const pass = async () => {
    do {
      again = false;
      const files = await listMessageFiles(dir).catch(() => []);
      for (const file of files) {
        if (closed) return;
        if ((await handle(file)) === "later") break;
      }
    } while (again && !closed);
  };
  const kick = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = pass().finally(() => {
      running = null;
    });
  };
  try {
    watcher = watch(dir, kick);
    watcher.on("error", () => watcher?.close());
  } catch {
    watcher = undefined; // polling alone
  }
  const timer = setInterval(kick, interval);
  kick();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      watcher?.close();
      await running;
    },
  };
}
