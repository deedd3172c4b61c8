import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runContext, type Context } from "../../action/src/github/context.js";
import { sameSuite } from "../../action/src/base.js";
import { badgeUrl, profileUrl } from "../../action/src/edge.js";

const payload = (file: string) => JSON.parse(readFileSync(`fixtures/github/${file}`, "utf8")) as Context["payload"];
const context = (over: Partial<Context>): Context => ({
  eventName: "push",
  payload: {},
  ref: "refs/heads/main",
  runId: 99,
  runAttempt: 1,
  serverUrl: "https://github.com",
  ...over,
});

describe("run context", () => {
  it("a pull request: stored under refs/pull/N/merge, compared with the base branch", () => {
    const ctx = runContext(
      context({
        eventName: "pull_request",
        payload: payload("pull_request.synchronize.json"),
        ref: "refs/pull/7/merge",
      }),
      "agtest-demo/ping-agent",
    );
    expect(ctx).toEqual({
      owner: "agtest-demo",
      repo: "ping-agent",
      eventName: "pull_request",
      pr: { number: 7, baseRef: "main", fork: false },
      ref: "refs/pull/7/merge",
      baseRef: "main",
      runUrl: "https://github.com/agtest-demo/ping-agent/actions/runs/99",
    });
  });

  it("pull_request_target from a fork: still refs/pull/N/merge, never the base branch GITHUB_REF names", () => {
    const ctx = runContext(
      context({
        eventName: "pull_request_target",
        payload: payload("pull_request.fork.json"),
        ref: "refs/heads/main",
        runAttempt: 2,
      }),
      "agtest-demo/ping-agent",
    );
    expect(ctx.pr).toEqual({ number: 8, baseRef: "main", fork: true });
    expect(ctx.ref).toBe("refs/pull/8/merge");
    expect(ctx.runUrl).toBe("https://github.com/agtest-demo/ping-agent/actions/runs/99/attempts/2");
  });

  it("a push: the branch name, compared with its own last run; a tag keeps its full ref", () => {
    expect(runContext(context({}), "o/r")).toMatchObject({ ref: "main", baseRef: "main" });
    expect(runContext(context({ ref: "refs/tags/v1.2.0" }), "o/r")).toMatchObject({ ref: "refs/tags/v1.2.0" });
  });

  it("no GITHUB_REPOSITORY: an error saying so", () => {
    expect(() => runContext(context({}), "")).toThrow(/GITHUB_REPOSITORY is not set/);
  });

  it("edge URLs encode the ref as one path segment", () => {
    expect(profileUrl({ url: "https://edge.example" }, "o", "r", "refs/pull/3/merge")).toBe(
      "https://edge.example/v1/profiles/o/r/refs%2Fpull%2F3%2Fmerge",
    );
    expect(badgeUrl({ url: "https://edge.example" }, "o", "r", "main", "json")).toBe(
      "https://edge.example/v1/badges/o/r/main.json",
    );
  });

  it("suite versions of one suite compare; other suites do not", () => {
    expect(sameSuite("urn:agtest:suite:fipa:1.0.0", "urn:agtest:suite:fipa:1.1.0")).toBe(true);
    expect(sameSuite("urn:agtest:suite:other:1.0.0", "urn:agtest:suite:fipa:1.0.0")).toBe(false);
  });
});
