import { mkdirSync, readFileSync } from "node:fs";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";

const token = "dashboard-token";
const auth = { authorization: `Bearer ${token}` };
/** Screenshots land here (git-ignored); CI keeps them as artifacts. */
const ARTIFACTS = "test-artifacts";

/** Debian's Chromium, with the flags this machine's closed network needs. */
function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

describe("the dashboard in headless Chromium", () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  let context: BrowserContext;
  let runId = "";

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    runtime = await startRuntime({ port: 0, token, persistTo: false });
    for (const name of ["ping", "echo", "spin"]) {
      const res = await fetch(`${runtime.url}/v1/agents?name=${name}`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/wasm" },
        body: readFileSync(`fixtures/agents/${name}.wasm`),
      });
      expect(res.status).toBe(201);
    }
    // spin is terminated by its fuel budget: the pages must show why.
    await fetch(`${runtime.url}/v1/messages?wait=5000`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ performative: "request", sender: "harness", receiver: "spin", content: "go" }),
    });
    const run = await fetch(`${runtime.url}/v1/runs`, { method: "POST", headers: auth, body: JSON.stringify({ agent: "ping" }) });
    expect(run.status).toBe(201);
    runId = ((await run.json()) as { id: string }).id;
    // A profile published by the GitHub Action for a repository.
    const published = await fetch(`${runtime.url}/v1/profiles/acme/weather-agent/main`, {
      method: "PUT",
      headers: auth,
      body: JSON.stringify({
        test_suite: ((await (await fetch(`${runtime.url}/v1/profiles/hosted/ping/runtime`, { headers: auth })).json()) as { test_suite: string }).test_suite,
        profile: { "core.passive": "constrained (12 of 13)", "core.active": "divergent" },
      }),
    });
    expect(published.status).toBe(201);
    browser = await launch();
    // No JavaScript: every page must work without it.
    context = await browser.newContext({ httpCredentials: { username: "me", password: token }, javaScriptEnabled: false });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await runtime?.stop();
  });

  it("refuses the pages without credentials", async () => {
    expect((await fetch(`${runtime.url}/`)).status).toBe(401);
    expect((await fetch(`${runtime.url}/matrix`, { headers: { authorization: `Basic ${btoa("me:wrong")}` } })).status).toBe(401);
  });

  it("/ lists the hosted agents with state, version and the termination reason", async () => {
    const page = await context.newPage();
    await page.goto(`${runtime.url}/`);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(3);
    expect(await page.locator("tbody tr", { hasText: "spin" }).locator("td").first().innerText()).toBe("failed (CpuLimitExceeded)");
    expect(await page.locator("tbody tr", { hasText: "ping" }).locator("td").first().innerText()).toBe("running");
    expect(await page.locator("tbody tr", { hasText: "ping" }).locator("img").getAttribute("src")).toBe("/v1/badges/hosted/ping/runtime.svg");
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-home.png`, fullPage: true });
  });

  it("/matrix shows every stored profile's scores, cell by cell", async () => {
    const page = await context.newPage();
    await page.goto(`${runtime.url}/matrix?suite=fipa`);
    const stored = {
      ping: (await (await fetch(`${runtime.url}/v1/profiles/hosted/ping/runtime`, { headers: auth })).json()) as { profile: Record<string, string> },
      "acme/weather-agent@main": (await (await fetch(`${runtime.url}/v1/profiles/acme/weather-agent/main`, { headers: auth })).json()) as {
        profile: Record<string, string>;
      },
    };
    expect(await page.locator("#matrix tbody tr").count()).toBe(2);
    for (const [label, profile] of Object.entries(stored)) {
      const cells = page.locator(`#matrix tbody tr[data-agent="${label}"] td`);
      const count = await cells.count();
      expect(count).toBeGreaterThan(2);
      for (let i = 0; i < count; i++) {
        const cell = cells.nth(i);
        const junction = (await cell.getAttribute("data-junction")) as string;
        expect(await cell.getAttribute("data-score")).toBe(profile.profile[junction] ?? "");
        const text = await cell.innerText();
        const score = profile.profile[junction];
        if (score === undefined) expect(text).toBe("—");
        else if (score.startsWith("constrained")) expect(text).toBe(score.replace(/^constrained \((\d+) of (\d+)\)$/, "$1 of $2"));
        else expect(text).toBe(score);
      }
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-matrix.png`, fullPage: true });
  });

  it("/agents/:name shows the profile history, runs and a sequence diagram of the last conversations", async () => {
    const page = await context.newPage();
    await page.goto(`${runtime.url}/agents/ping`);
    expect(await page.locator("#history").count()).toBe(1);
    expect(await page.locator(`a[href="/runs/${runId}"]`).count()).toBe(1);
    expect(await page.locator("figure svg[role=img]").count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-agent.png`, fullPage: true });
    await page.goto(`${runtime.url}/agents/spin`);
    expect(await page.locator("dt:text-is(\"Termination reason\") + dd").innerText()).toContain("CpuLimitExceeded");
  });

  it("/runs/:id lists every test with its status and, for failures, what was expected and received", async () => {
    const stored = (await (await fetch(`${runtime.url}/v1/runs/${runId}`, { headers: auth })).json()) as {
      report: { results: { test: string; status: string; failure?: { message: string } }[] };
    };
    const page = await context.newPage();
    await page.goto(`${runtime.url}/runs/${runId}`);
    const rows = page.locator("#results tbody tr");
    expect(await rows.count()).toBe(stored.report.results.length);
    for (const [i, result] of stored.report.results.entries()) {
      expect(await rows.nth(i).getAttribute("data-status")).toBe(result.status);
      if (result.failure) expect(await rows.nth(i).innerText()).toContain(result.failure.message);
    }
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-run.png`, fullPage: true });
  });
});
