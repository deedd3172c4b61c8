import { SELF } from "cloudflare:test";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { api } from "./api.js";

const profile = {
  test_suite: "urn:agtest:suite:fipa:1.0.0",
  profile: {
    "core.passive": "interoperable",
    "protocols.fipa-request.passive": "constrained (4 of 5)",
    "core.active": "divergent",
  },
  suite_digest: `sha256-${"a".repeat(64)}`,
  subject: { name: "ping", version: "1" },
  results: [{ test: "core.passive.reply-echoes-conversation-id", status: "pass", ms: 1.2 }],
};

const put = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  api(`/v1/profiles/${path}`, {
    method: "PUT",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the profile store", () => {
  it("stores a profile by owner/repo/ref and serves the latest", async () => {
    const repo = `repo-${crypto.randomUUID().slice(0, 6)}`;
    const first = await put(`acme/${repo}/main`, profile);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ owner: "acme", repo, ref: "main", test_suite: profile.test_suite });
    const second = await put(`acme/${repo}/main`, { ...profile, profile: { "core.passive": "interoperable" } });
    expect(second.status).toBe(200);
    const got = await api(`/v1/profiles/acme/${repo}/main`);
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ profile: { "core.passive": "interoperable" } });
  });

  it("accepts refs with slashes, URL-encoded or not", async () => {
    const repo = `repo-${crypto.randomUUID().slice(0, 6)}`;
    expect((await put(`acme/${repo}/${encodeURIComponent("refs/pull/3/merge")}`, profile)).status).toBe(201);
    expect((await api(`/v1/profiles/acme/${repo}/refs/pull/3/merge`)).status).toBe(200);
  });

  it("refuses a PUT without the token, an invalid profile with the key named, and 404s an unknown ref", async () => {
    const unauthenticated = await SELF.fetch("http://agtest.test/v1/profiles/acme/x/main", {
      method: "PUT",
      body: JSON.stringify(profile),
    });
    expect(unauthenticated.status).toBe(401);
    const bad = await put("acme/x/main", { ...profile, profile: { "core.passive": "constrained" } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "INVALID_REQUEST", message: expect.stringMatching(/^profile\.profile\.core\.passive: /) },
    });
    expect((await api("/v1/profiles/acme/never-published/main")).status).toBe(404);
  });
});

describe("badges", () => {
  it("serves a valid SVG and shields.io JSON for a stored profile, publicly", async () => {
    const repo = `repo-${crypto.randomUUID().slice(0, 6)}`;
    expect((await put(`acme/${repo}/main`, profile)).status).toBe(201);
    const svg = await SELF.fetch(`http://agtest.test/v1/badges/acme/${repo}/main.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    const text = await svg.text();
    expect(text).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).toContain("interop");
    expect(text).toContain("1/3");
    expect(XMLValidator.validate(text)).toBe(true);
    expect(svg.headers.get("cache-control")).toBe("public, max-age=300");
    const json = await SELF.fetch(`http://agtest.test/v1/badges/acme/${repo}/main.json`);
    expect(await json.json()).toEqual({ schemaVersion: 1, label: "interop", message: "1/3", color: "red" });
  });

  it("never breaks a README: a ref with no profile is a grey `interop | unknown` badge, 200, not cached", async () => {
    const repo = `repo-${crypto.randomUUID().slice(0, 6)}`;
    const svg = await SELF.fetch(`http://agtest.test/v1/badges/acme/${repo}/nope.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get("cache-control")).toBe("no-cache");
    const text = await svg.text();
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).toContain("<title>interop: unknown</title>");
    const json = await SELF.fetch(`http://agtest.test/v1/badges/acme/${repo}/nope.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get("cache-control")).toBe("no-cache");
    expect(await json.json()).toEqual({ schemaVersion: 1, label: "interop", message: "unknown", color: "lightgrey" });
    // Publishing turns it live.
    expect((await put(`acme/${repo}/nope`, profile)).status).toBe(201);
    expect(await (await SELF.fetch(`http://agtest.test/v1/badges/acme/${repo}/nope.json`)).json()).toMatchObject({
      message: "1/3",
      color: "red",
    });
  });

  it("a ref with slashes works URL-encoded", async () => {
    const repo = `repo-${crypto.randomUUID().slice(0, 6)}`;
    expect(
      (
        await put(`acme/${repo}/${encodeURIComponent("refs/pull/7/merge")}`, {
          ...profile,
          profile: { "core.passive": "interoperable" },
        })
      ).status,
    ).toBe(201);
    const json = await SELF.fetch(
      `http://agtest.test/v1/badges/acme/${repo}/${encodeURIComponent("refs/pull/7/merge")}.json`,
    );
    expect(await json.json()).toMatchObject({ message: "1/1", color: "brightgreen" });
  });
});
