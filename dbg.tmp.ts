import { readFileSync } from "node:fs";
import { startRuntime } from "./worker/local/runtime.js";
import { openRuntimeChannel } from "./harness/core/index.js";
const token = "t";
const rt = await startRuntime({ port: 0, token, persistTo: false, logLevel: "error" });
try {
  const h = { authorization: `Bearer ${token}` };
  console.log((await fetch(`${rt.url}/v1/agents?name=ping`, { method: "POST", headers: { ...h, "content-type": "application/wasm" }, body: readFileSync("fixtures/agents/ping.wasm") })).status);
  const ch = await openRuntimeChannel({ url: rt.url, token, agent: "ping" });
  console.log("name", ch.name);
  for (const content of ["ping", "x"]) {
    const t0 = Date.now();
    console.log(await ch.send({ performative: "request", sender: ch.name, receiver: "ping", content, reply_with: "r1", conversation_id: "c-" + content }));
    const item = await ch.inbox.take(() => true, { timeout: 3000 });
    console.log(Date.now() - t0, JSON.stringify(item));
  }
  await ch.close();
} finally { await rt.stop(); }
