import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactScore } from "../../worker/pages/score.js";
import { type LocalRuntime, startRuntime } from "../../worker/local/runtime.js";
import { FIPA_JUNCTIONS } from "../../suites/fipa/index.js";
import { axeViolations, box, launch, overflow } from "./helpers/browser.js";

const token = "dashboard-token";
const auth = { authorization: `Bearer ${token}` };
/** Screenshots land here (git-ignored); CI keeps them as artifacts. */
const ARTIFACTS = "test-artifacts";
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Repositories that published a profile through the action: enough rows that the matrix scrolls inside its box on a phone. */
const PUBLISHED = 14;

type Stored = { profile: Record<string, string> };

describe("the dashboard in headless Chromium", () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  /** No JavaScript: every page must work without it. */
  let noScript: BrowserContext;
  const runs: Record<string, string> = {};
  let suiteUri = "";
  let pairUrl = "";
  const opened: BrowserContext[] = [];

  const api = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${runtime.url}${path}`, { headers: auth })).json()) as T;

  /** A page at a viewport size, scripts allowed so the test can measure and inject axe (the pages themselves have none). */
  async function open(
    path: string,
    viewport = LAPTOP,
    colorScheme: "light" | "dark" = "light",
  ): Promise<{ page: Page; status: number }> {
    const context = await browser.newContext({
      httpCredentials: { username: "me", password: token },
      viewport,
      colorScheme,
    });
    opened.push(context);
    const page = await context.newPage();
    const response = await page.goto(`${runtime.url}${path}`);
    return { page, status: response?.status() ?? 0 };
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    runtime = await startRuntime({ port: 0, token, persistTo: false });
    for (const name of ["ping", "echo", "spin", "reference"]) {
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
    // ping fails most of the suite (failures to list); the reference agent passes it (real conversations, interoperable cells).
    for (const agent of ["ping", "reference"]) {
      const run = await fetch(`${runtime.url}/v1/runs`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ agent }),
      });
      expect(run.status).toBe(201);
      runs[agent] = ((await run.json()) as { id: string }).id;
    }
    suiteUri = (await api<{ test_suite: string }>("/v1/profiles/hosted/ping/runtime")).test_suite;
    // Profiles published by the GitHub Action: a short one, and the widest cells there are (every
    // junction constrained with three-digit counts, every junction interoperable).
    const profiles: [string, Record<string, string>][] = [
      ["acme/weather-agent", { "core.passive": "constrained (12 of 13)", "core.active": "divergent" }],
      ["acme/all-constrained", Object.fromEntries(FIPA_JUNCTIONS.map((j) => [j, "constrained (118 of 120)"]))],
      [
        "acme/all-interoperable-with-a-long-repository-name",
        Object.fromEntries(FIPA_JUNCTIONS.map((j) => [j, "interoperable"])),
      ],
    ];
    for (let i = profiles.length; i < PUBLISHED; i++) {
      profiles.push([
        `team-${i}/agent`,
        Object.fromEntries(
          FIPA_JUNCTIONS.slice(0, i % 12).map((j, k) => [j, k % 3 === 0 ? "divergent" : "interoperable"]),
        ),
      ]);
    }
    for (const [repo, profile] of profiles) {
      const published = await fetch(`${runtime.url}/v1/profiles/${repo}/main`, {
        method: "PUT",
        headers: auth,
        body: JSON.stringify({ test_suite: suiteUri, profile }),
      });
      expect(published.status).toBe(201);
    }
    // An `agtest pair` report (as `agtest pair --post` stores it): six agents, the widest names the fixtures have.
    const agents = [
      "reference",
      "buyer",
      "mediator",
      "seller",
      "mutant-inform-before-agree",
      "mutant-proposes-after-reject",
    ];
    const outcome = (i: string, p: string) =>
      i === "reference" && p.startsWith("mutant-")
        ? {
            verdict: "fails",
            rule: "after-done",
            violation: true,
            by: "participant",
            detail: `agree from ${p}-p to ${i}-i: the conversation is already done`,
          }
        : ["buyer", "mediator", "seller"].some((a) => a === i || a === p)
          ? { verdict: "unsupported", by: "initiator", detail: "agact request: not-understood" }
          : { verdict: "works", conversation: "c", messages: 3 };
    const pair = await fetch(`${runtime.url}/v1/pairs`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        report: "urn:agtest:pair:1",
        suite: suiteUri,
        started_at: new Date().toISOString(),
        duration_ms: 21_000,
        agents: agents.map((name) => ({ name })),
        protocols: ["fipa-request", "fipa-query", "fipa-contract-net"].map((protocol) => ({
          protocol,
          title: protocol,
          expect: "the main success path",
          cells: agents.flatMap((i) => agents.map((p) => ({ initiator: i, participant: p, outcome: outcome(i, p) }))),
          unsupported: [{ agent: "seller", role: "initiator", why: "agact request: not-understood" }],
        })),
        oracle: null,
        notes: [],
      }),
    });
    expect(pair.status).toBe(201);
    pairUrl = ((await pair.json()) as { url: string }).url;
    browser = await launch();
    noScript = await browser.newContext({
      httpCredentials: { username: "me", password: token },
      javaScriptEnabled: false,
    });
    // Two whole suite runs at the edge: most of this file's time (about 30 s on an idle laptop).
  }, 240_000);

  afterAll(async () => {
    for (const context of opened) await context.close();
    await browser?.close();
    await runtime?.stop();
  });

  it("refuses the pages without credentials", async () => {
    expect((await fetch(`${runtime.url}/`)).status).toBe(401);
    expect(
      (await fetch(`${runtime.url}/matrix`, { headers: { authorization: `Basic ${btoa("me:wrong")}` } })).status,
    ).toBe(401);
  });

  it("/ lists the hosted agents with state, version and the termination reason", async () => {
    const page = await noScript.newPage();
    await page.goto(`${runtime.url}/`);
    expect(await page.locator("tbody tr").count()).toBe(4);
    expect(await page.locator("tbody tr", { hasText: "spin" }).locator("td").first().innerText()).toBe(
      "failed (CpuLimitExceeded)",
    );
    expect(await page.locator("tbody tr", { hasText: "ping" }).locator("td").first().innerText()).toBe("running");
    expect(await page.locator("tbody tr", { hasText: "ping" }).locator("img").getAttribute("src")).toBe(
      "/v1/badges/hosted/ping/runtime.svg",
    );
  });

  it("/matrix shows every stored profile's scores in compact cells, the full score for tooltips and screen readers", async () => {
    const page = await noScript.newPage();
    await page.goto(`${runtime.url}/matrix?suite=fipa`);
    expect(await page.locator("#matrix tbody tr").count()).toBe(2 + PUBLISHED);
    const stored: Record<string, Stored> = {
      ping: await api<Stored>("/v1/profiles/hosted/ping/runtime"),
      reference: await api<Stored>("/v1/profiles/hosted/reference/runtime"),
      "acme/weather-agent@main": await api<Stored>("/v1/profiles/acme/weather-agent/main"),
      "acme/all-constrained@main": await api<Stored>("/v1/profiles/acme/all-constrained/main"),
    };
    // The reference agent passes every junction an edge run claims; transports.* are left out.
    expect(Object.values(stored.reference?.profile ?? {}).filter((s) => s === "interoperable").length).toBeGreaterThan(
      5,
    );
    for (const [label, { profile }] of Object.entries(stored)) {
      const cells = page.locator(`#matrix tbody tr[data-agent="${label}"] td`);
      expect(await cells.count()).toBe(FIPA_JUNCTIONS.length);
      for (const [i, junction] of FIPA_JUNCTIONS.entries()) {
        const cell = cells.nth(i);
        const score = profile[junction];
        expect(await cell.getAttribute("data-junction")).toBe(junction);
        expect(await cell.getAttribute("data-score")).toBe(score ?? "");
        const compact = compactScore(score);
        expect(await cell.locator(".compact").textContent()).toBe(
          compact.short ? `${compact.icon} ${compact.short}` : compact.icon,
        );
        expect(await cell.locator(".vh").textContent()).toBe(score ?? "not claimed");
        expect(await cell.getAttribute("title")).toBe(`${junction}: ${score ?? "not claimed"}`);
      }
    }
    expect(
      await page
        .locator('#matrix tbody tr[data-agent="acme/weather-agent@main"] td')
        .first()
        .locator(".compact")
        .textContent(),
    ).toBe("◐ 12 of 13");
    // The legend says what each mark means, the dash included.
    const legend = await page.locator(".legend").innerText();
    for (const words of ["interoperable", "constrained", "divergent", "not claimed"]) expect(legend).toContain(words);
    expect(await page.locator(".legend dt", { hasText: "—" }).count()).toBe(1);
  });

  it("/matrix: all 12 junction columns fit a 1280 px viewport, and the page does not scroll sideways", async () => {
    const { page } = await open("/matrix?suite=fipa", LAPTOP);
    const headers = page.locator("#matrix thead th[data-junction]");
    expect(await headers.count()).toBe(12);
    expect(FIPA_JUNCTIONS.length).toBe(12);
    const region = await box(page.locator(".matrix-box"));
    for (let i = 0; i < 12; i++) {
      const b = await box(headers.nth(i));
      expect(b.x, `column ${i + 1}`).toBeGreaterThanOrEqual(0);
      expect(b.right, `column ${i + 1}`).toBeLessThanOrEqual(LAPTOP.width);
      expect(b.right, `column ${i + 1}`).toBeLessThanOrEqual(region.right);
    }
    // Nothing hidden to the right inside the box either, with the widest cells there are.
    expect((await overflow(page.locator(".matrix-box"))).x).toBeLessThanOrEqual(0);
    expect((await overflow(page.locator("html"))).x).toBeLessThanOrEqual(0);
  });

  it("/matrix on a phone: the table scrolls in its own box, the header row and the agents' column stay in view", async () => {
    const { page } = await open("/matrix?suite=fipa", PHONE);
    const region = page.locator(".matrix-box");
    expect((await overflow(page.locator("html"))).x).toBeLessThanOrEqual(0);
    const room = await overflow(region);
    expect(room.x).toBeGreaterThan(0);
    expect(room.y).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/matrix-390x844.png` });
    const start = await box(region);
    const firstRowHeader = page.locator("#matrix tbody th").first();
    const lastColumn = page.locator("#matrix thead th[data-junction]").last();
    await region.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
      el.scrollTop = el.scrollHeight;
    });
    // Scrolled to the far right and bottom: the last column is in the box, the corner and the
    // header row still at the box's top left edge (within its 1 px border).
    const last = await box(lastColumn);
    expect(last.right).toBeLessThanOrEqual(start.right);
    expect(last.x).toBeGreaterThanOrEqual(start.x);
    expect(Math.abs((await box(page.locator("#matrix thead"))).y - start.y)).toBeLessThanOrEqual(1);
    expect(Math.abs((await box(page.locator("#matrix .corner"))).x - start.x)).toBeLessThanOrEqual(1);
    const lastRowHeader = await box(page.locator("#matrix tbody th").last());
    expect(Math.abs(lastRowHeader.x - start.x)).toBeLessThanOrEqual(1);
    expect(lastRowHeader.bottom).toBeLessThanOrEqual(start.bottom);
    // The first row has scrolled up under the sticky header.
    expect((await box(firstRowHeader)).y).toBeLessThan(start.y);
    await page.screenshot({ path: `${ARTIFACTS}/matrix-390x844-scrolled.png` });
  });

  it("/agents/:name sets the harness's backchannel requests apart from the agent's own conversations", async () => {
    const page = await noScript.newPage();
    for (const agent of ["ping", "reference"]) {
      await page.goto(`${runtime.url}/agents/${agent}`);
      expect(await page.locator("#history").count()).toBe(1);
      expect(await page.locator(`a[href="/runs/${runs[agent]}"]`).count()).toBe(1);
      const drawn = await page.locator('[data-section="conversations"] figure code').allTextContents();
      const agact = await page
        .locator('[data-section="backchannel"] tr[data-conversation]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-conversation") ?? ""));
      expect(drawn.length, agent).toBeGreaterThan(0);
      expect(agact.length, agent).toBeGreaterThan(0);
      // Each side checked against the conversation log itself: agact requests are the ones with the agact ontology.
      const ontologies = async (id: string) =>
        (await api<{ messages: { message: { ontology?: string } }[] }>(`/v1/conversations/${id}`)).messages.map(
          (m) => m.message.ontology,
        );
      for (const id of drawn) expect(await ontologies(id), id).not.toContain("agact");
      for (const id of agact) expect(await ontologies(id), id).toContain("agact");
    }
    await page.goto(`${runtime.url}/agents/spin`);
    expect(await page.locator('dt:text-is("Termination reason") + dd').innerText()).toContain("CpuLimitExceeded");
  });

  it("/runs/:id lists the failures first, each linked to its row with what was expected and received", async () => {
    const stored = await api<{
      report: { results: { test: string; status: string; failure?: { message: string } }[] };
    }>(`/v1/runs/${runs.ping}`);
    const failed = stored.report.results.filter((r) => r.status === "fail" || r.status === "error");
    expect(failed.length).toBeGreaterThan(0);
    const page = await noScript.newPage();
    await page.goto(`${runtime.url}/runs/${runs.ping}`);
    const links = page.locator(".failures a");
    expect(await links.allTextContents()).toEqual(failed.map((r) => r.test));
    const rows = page.locator("#results tbody tr");
    expect(await rows.count()).toBe(stored.report.results.length);
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-status")));
    expect(statuses.slice(0, failed.length).every((s) => s === "fail" || s === "error")).toBe(true);
    expect(statuses.slice(failed.length).some((s) => s === "fail" || s === "error")).toBe(false);
    for (const [i, result] of failed.entries()) {
      const href = (await links.nth(i).getAttribute("href")) as string;
      const row = page.locator(`#results tbody tr[id="${href.slice(1)}"]`);
      expect(await row.count()).toBe(1);
      expect(await row.locator("th").innerText()).toContain(result.test);
      if (result.failure) expect(await row.innerText()).toContain(result.failure.message);
    }
    // The link works without script: following it targets the row.
    await links.first().click();
    expect(new URL(page.url()).hash).toBe(await links.first().getAttribute("href"));
  });

  it("an unknown run, agent or suite is an HTML 404 page", async () => {
    for (const path of ["/runs/run-nope", "/agents/nobody", "/matrix?suite=nope"]) {
      const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Basic ${btoa(`me:${token}`)}` } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const page = await noScript.newPage();
      await page.goto(`${runtime.url}${path}`);
      expect(await page.locator("h1").innerText()).toBe("Not found");
      expect(await page.locator("main").innerText()).toContain(
        path.includes("run") ? "run-nope" : path.includes("agent") ? "nobody" : "nope",
      );
    }
  });

  /** Every page, by name: `run` and `not-found` need the runs made in beforeAll, so paths are resolved late. */
  const PAGES: Record<string, () => string> = {
    home: () => "/",
    matrix: () => "/matrix?suite=fipa",
    agent: () => "/agents/reference",
    "agent-ping": () => "/agents/ping",
    run: () => `/runs/${runs.ping}`,
    "not-found": () => "/runs/run-nope",
    pairs: () => "/pairs",
    pair: () => pairUrl,
  };

  it.each(Object.keys(PAGES))(
    "axe-core finds no violation on %s (1280×800 light and dark, 390×844); the page does not scroll sideways",
    async (name) => {
      const found: Record<string, string[]> = {};
      // Colours are the same at every size, layouts the same in both schemes: three looks cover both.
      const looks = [
        ["1280x800", LAPTOP, "light"],
        ["1280x800", LAPTOP, "dark"],
        ["390x844", PHONE, "light"],
      ] as const;
      for (const [size, viewport, scheme] of looks) {
        const { page, status } = await open(PAGES[name]?.() ?? "", viewport, scheme);
        expect(status, await page.content()).toBe(name === "not-found" ? 404 : 200);
        // Every disclosure open, so axe sees what is inside (expected/received, the agact requests).
        await page.locator("details").evaluateAll((all) => {
          for (const d of all) d.setAttribute("open", "");
        });
        found[`${size} ${scheme}`] = await axeViolations(page);
        // Wide tables scroll in their own boxes, never the page.
        expect((await overflow(page.locator("html"))).x, `${size} ${scheme}`).toBeLessThanOrEqual(0);
        if (scheme === "light")
          await page.screenshot({ path: `${ARTIFACTS}/${name}-${size}.png`, fullPage: name !== "matrix" });
        await page.context().close();
      }
      expect(found).toEqual({ "1280x800 light": [], "1280x800 dark": [], "390x844 light": [] });
    },
    120_000,
  );
});
