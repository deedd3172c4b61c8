import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { module, section } from "../helpers/bytes.js";
import { agentModule, badMagic, emptyModule, importedMemory } from "../helpers/modules.js";
import { api, deploy, uniqueName } from "./api.js";

type ErrorBody = { error: { code: string; message: string } };

async function rejected(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as ErrorBody;
  expect(body.error.code).toBe(code);
  return body.error.message;
}

describe("deploy rejections, each with its code and a message naming the problem", () => {
  it("bad magic", async () => {
    expect(await rejected(await deploy(uniqueName("bad"), badMagic), 400, "INVALID_WASM")).toMatch(/magic/i);
  });

  it("truncated section", async () => {
    const ping = new Uint8Array(env.FIXTURE_PING);
    const message = await rejected(
      await deploy(uniqueName("trunc"), ping.slice(0, ping.length - 100)),
      400,
      "INVALID_WASM",
    );
    expect(message).toMatch(/truncat|overrun|unexpected end/i);
  });

  it("missing exports", async () => {
    expect(await rejected(await deploy(uniqueName("empty"), emptyModule), 400, "INVALID_WASM")).toMatch(
      /memory|export/i,
    );
  });

  it("forbidden import", async () => {
    const message = await rejected(
      await deploy(uniqueName("forbid"), env.FIXTURE_FORBIDDEN_IMPORT),
      400,
      "INVALID_WASM",
    );
    expect(message).toMatch(
      /forbidden import `wasi_snapshot_preview1\.path_open` \(WASI: the runtime implements only fd_write, /,
    );
  });

  it("imported memory", async () => {
    expect(await rejected(await deploy(uniqueName("impmem"), importedMemory), 400, "INVALID_WASM")).toMatch(
      /imported memory/i,
    );
  });

  it("memory over the limit", async () => {
    const message = await rejected(await deploy(uniqueName("bigmem"), agentModule(300)), 400, "INVALID_WASM");
    expect(message).toMatch(/300 pages.*256/);
  });

  it("accepts the same hand-made module under the limit", async () => {
    const res = await deploy(uniqueName("okmem"), agentModule(2));
    expect(res.status).toBe(201);
  });

  it("an over-size upload is 413 before the module is parsed", async () => {
    const huge = new Uint8Array(8 * 1024 * 1024 + 1);
    huge.set(new Uint8Array(env.FIXTURE_PING));
    const message = await rejected(await deploy(uniqueName("huge"), huge), 413, "PAYLOAD_TOO_LARGE");
    // What an oversized module usually is: a debug build (Rust's std brings megabytes of DWARF).
    expect(message).toMatch(/limit of 8388608 bytes; strip debug info: .*-C strip=debuginfo/);
  });

  it("a module over the manifest's module_bytes is 413 with the same hint", async () => {
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_PING]), "ping.wasm");
    form.set("manifest", JSON.stringify({ limits: { module_bytes: 1024 } }));
    const message = await rejected(
      await api(`/v1/agents?name=${uniqueName("small")}`, { method: "POST", body: form }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    expect(message).toMatch(/the limit is 1024; strip debug info/);
  });

  it("the instrumented size counts against the module limit: 413 naming both sizes", async () => {
    const ping = env.FIXTURE_PING.byteLength;
    const withLimit = (bytes: number): Promise<Response> => {
      const form = new FormData();
      form.set("module", new Blob([env.FIXTURE_PING]), "ping.wasm");
      form.set("manifest", JSON.stringify({ limits: { module_bytes: bytes } }));
      return api(`/v1/agents?name=${uniqueName("grown")}`, { method: "POST", body: form });
    };
    // The upload fits its limit exactly; the fuel checks make it larger than that.
    const message = await rejected(await withLimit(ping), 413, "PAYLOAD_TOO_LARGE");
    expect(message).toMatch(new RegExp(`module is ${ping} bytes, \\d+ once instrumented .*the limit is ${ping}`));
    expect((await withLimit(2 * ping)).status).toBe(201);
  });

  it("a reload counts the instrumented size against the agent's module limit too", async () => {
    const ping = new Uint8Array(env.FIXTURE_PING);
    const name = uniqueName("regrown");
    const deployWith = (bytes: number): Promise<Response> => {
      const form = new FormData();
      form.set("module", new Blob([ping]), "ping.wasm");
      form.set("manifest", JSON.stringify({ limits: { module_bytes: bytes } }));
      return api(`/v1/agents?name=${name}`, { method: "POST", body: form });
    };
    // The limit is ping's instrumented size, exactly: ping deploys, at its limit.
    const message = await rejected(await deployWith(ping.length), 413, "PAYLOAD_TOO_LARGE");
    const instrumented = Number(/(\d+) once instrumented/.exec(message)?.[1]);
    expect(instrumented).toBeGreaterThan(ping.length);
    expect((await deployWith(instrumented)).status).toBe(201);
    // Ping plus a custom section of 5 bytes (passed through as is): within the limit as uploaded,
    // 5 bytes over it once instrumented.
    const padded = new Uint8Array([...ping, ...section(0, [2, 0x61, 0x62])]);
    expect(padded.length).toBeLessThanOrEqual(instrumented);
    const reload = (bytes: Uint8Array<ArrayBuffer>) =>
      api(`/v1/agents/${name}`, { method: "PUT", headers: { "content-type": "application/wasm" }, body: bytes });
    expect(await rejected(await reload(padded), 413, "PAYLOAD_TOO_LARGE")).toMatch(
      new RegExp(
        `module is ${padded.length} bytes, ${instrumented + 5} once instrumented .*the limit is ${instrumented}`,
      ),
    );
    expect((await reload(ping)).status).toBe(200);
  });

  it("a module the engine would refuse to compile is 400 INVALID_WASM naming the function and the type error", async () => {
    const name = (t: string) => [t.length, ...new TextEncoder().encode(t)];
    const types = section(1, [2, 0x60, 1, 0x7f, 1, 0x7f, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]);
    const exports = section(7, [3, ...name("memory"), 0x02, 0, ...name("alloc"), 0x00, 0, ...name("handle"), 0x00, 1]);
    const handle = [0, 0x42, 0, 0x0b]; // i64.const 0 where `handle` returns i32
    const bytes = module(
      types,
      section(3, [2, 0, 1]),
      section(5, [1, 0, 1]),
      exports,
      section(10, [2, 4, 0, 0x41, 0, 0x0b, handle.length, ...handle]),
    );
    const message = await rejected(await deploy(uniqueName("mistyped"), bytes), 400, "INVALID_WASM");
    expect(message).toMatch(/^type error in function 1 \(`handle`\) at offset \d+: expected i32, found i64$/);
  });

  it("a duplicate name is 409 and the first agent keeps running", async () => {
    const name = uniqueName("dup");
    expect((await deploy(name, env.FIXTURE_PING)).status).toBe(201);
    await rejected(await deploy(name, env.FIXTURE_ECHO), 409, "AGENT_ALREADY_EXISTS");
    expect(((await (await api(`/v1/agents/${name}`)).json()) as { module: { bytes: number } }).module.bytes).toBe(
      env.FIXTURE_PING.byteLength,
    );
  });

  it("an invalid name, a wrong content type and a bad manifest", async () => {
    await rejected(await deploy("Bad Name", env.FIXTURE_PING), 400, "INVALID_REQUEST");
    await rejected(
      await api(`/v1/agents?name=${uniqueName("ct")}`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: "x",
      }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_PING]), "ping.wasm");
    form.set("manifest", JSON.stringify({ limits: { memory_bytes: 1024 * 1024 * 1024 } }));
    const message = await rejected(
      await api(`/v1/agents?name=${uniqueName("mf")}`, { method: "POST", body: form }),
      400,
      "INVALID_MANIFEST",
    );
    expect(message).toMatch(/memory_bytes/);
  });

  it("deploys with a multipart manifest and reports its limits and services", async () => {
    const name = uniqueName("mp");
    const form = new FormData();
    form.set("module", new Blob([env.FIXTURE_PING]), "ping.wasm");
    form.set(
      "manifest",
      JSON.stringify({
        name,
        limits: { memory_bytes: 4 * 1024 * 1024 },
        services: [{ name: "ping", protocols: ["fipa-request"] }],
      }),
    );
    const res = await api("/v1/agents", { method: "POST", body: form });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      name,
      state: "running",
      limits: { memory_bytes: 4 * 1024 * 1024 },
      services: [{ name: "ping", protocols: ["fipa-request"] }],
    });
  });
});
