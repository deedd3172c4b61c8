import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  BackchannelBroken,
  BackchannelLies,
  memoryChannel,
  probeBackchannel,
  runSuite,
} from "../../harness/core/index.js";
import { commandBackchannel, splitCommand } from "../../harness/node/backchannels/command.js";
import { fipa } from "../../suites/fipa/index.js";
import { fakeAgent } from "./helpers/fake-agent.js";

const dir = mkdtempSync(join(tmpdir(), "agtest-agact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real shell script in the temp dir. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

const log = join(dir, "calls.log");
// An honest agact: logs every call, supports setup and teardown, 127 for anything else.
const honest = script("honest.sh", `echo "$@" >> '${log}'\ncase "$1" in setup|teardown) exit 0;; *) exit 127;; esac`);

describe("the agact command backchannel", () => {
  it("maps exit 0, 1 and 127, passing the action and parameters as they are", async () => {
    const args = join(dir, "args.log");
    const bc = commandBackchannel(
      script(
        "codes.sh",
        `printf '%s|' "$@" > '${args}'\ncase "$1" in ok) exit 0;; broken) echo 'socket closed' >&2; exit 1;; *) exit 127;; esac`,
      ),
    );
    expect(await bc.act("ok", ["a b", "$HOME", "'q'"])).toEqual({ code: 0 });
    expect(readFileSync(args, "utf8")).toBe("ok|a b|$HOME|'q'|");
    expect(await bc.act("broken", [])).toMatchObject({ code: 1, detail: expect.stringContaining("socket closed") });
    expect(await bc.act("fly", [])).toMatchObject({ code: 127 });
  });

  it("any other exit code, a command that cannot start, or one that hangs is broken", async () => {
    expect(await commandBackchannel(script("three.sh", "exit 3")).act("x", [])).toMatchObject({
      code: 1,
      detail: expect.stringContaining("exited 3"),
    });
    expect(await commandBackchannel(join(dir, "missing.sh")).act("x", [])).toMatchObject({
      code: 1,
      detail: expect.stringContaining("ENOENT"),
    });
    expect(await commandBackchannel(script("hang.sh", "sleep 5"), { timeout: 100 }).act("x", [])).toMatchObject({
      code: 1,
      detail: expect.stringContaining("did not exit within 100 ms"),
    });
  });

  it("the probe passes an honest script, and stops one that says yes to everything", async () => {
    await expect(probeBackchannel(commandBackchannel(honest))).resolves.toBeUndefined();
    await expect(probeBackchannel(commandBackchannel(script("yes.sh", "exit 0")))).rejects.toThrow(BackchannelLies);
    await expect(probeBackchannel(commandBackchannel(script("yes.sh", "exit 0")))).rejects.toThrow(
      /said yes to `agtest-probe-[0-9a-f]+`, an action that does not exist; it would fake results/,
    );
    await expect(probeBackchannel(commandBackchannel(script("one.sh", "exit 1")))).rejects.toThrow(BackchannelBroken);
  });

  it("runs setup (with the test id) before and teardown after every test", async () => {
    writeFileSync(log, "");
    const channel = memoryChannel(fakeAgent());
    const report = await runSuite(fipa, {
      channel,
      backchannel: commandBackchannel(honest),
      features: ["core.passive"],
    });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    const tests = fipa.tests.filter((t) => t.junction === "core.passive").map((t) => t.id);
    expect(calls[0]).toMatch(/^agtest-probe-/);
    expect(calls.slice(1)).toEqual(tests.flatMap((id) => [`setup ${id}`, "teardown"]));
    expect(report.junctions[0]?.score).toBe("interoperable");
  });

  it("splits a command line like a shell, without expansion", () => {
    expect(splitCommand(`node "my agact.js" --x 'a b' c\\ d`)).toEqual(["node", "my agact.js", "--x", "a b", "c d"]);
    expect(splitCommand(`a "" b`)).toEqual(["a", "", "b"]);
  });
});
