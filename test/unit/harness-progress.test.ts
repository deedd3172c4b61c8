import { describe, expect, it } from "vitest";
import type { ProgressEvent, TestResult } from "../../harness/core/index.js";
import { progressDisplay } from "../../harness/node/progress.js";

const result = (test: string, status: TestResult["status"]): TestResult => ({
  test,
  junction: "core.passive",
  status,
  ms: 1.5,
  essential: true,
});
const events: ProgressEvent[] = [
  { type: "start", total: 2, junctions: ["core.passive"] },
  { type: "test-start", test: "core.passive.a", index: 0, total: 2 },
  { type: "test-end", result: result("core.passive.a", "pass"), index: 0, total: 2 },
  { type: "test-start", test: "core.passive.b", index: 1, total: 2 },
  { type: "test-end", result: result("core.passive.b", "fail"), index: 1, total: 2 },
];

describe("progress display", () => {
  it("on a terminal: one live line, rewritten in place, cleared at the end", () => {
    let text = "";
    const display = progressDisplay({ isTTY: true, columns: 80, write: (t: string) => void (text += t) });
    for (const e of events) display.onProgress(e);
    display.done();
    expect(text).toBe("\r\x1b[2K[1/2] 0 passed · core.passive.a\r\x1b[2K[2/2] 1 passed · core.passive.b\r\x1b[2K");
    expect(text).not.toContain("\n");
  });

  it("elsewhere (CI): plain lines, one per finished test", () => {
    let text = "";
    const display = progressDisplay({ isTTY: false, write: (t: string) => void (text += t) });
    for (const e of events) display.onProgress(e);
    display.done();
    expect(text).toBe("running 2 tests: core.passive\npass  core.passive.a (1.5 ms)\nfail  core.passive.b (1.5 ms)\n");
  });
});
