/**
 * How long a file that is not JSON may still be growing. Writers that follow agtalk rename a
 * finished temp file into place; others write in place, and a half-written file must not be
 * mistaken for garbage.
 */
export const SETTLE_MS = 500;

/** Whether `text` is complete JSON, or old enough that it never will be. */
export function settled(text: string, mtimeMs: number, now = Date.now()): boolean {
  if (now - mtimeMs >= SETTLE_MS) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
