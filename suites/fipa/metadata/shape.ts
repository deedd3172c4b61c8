import {
  InteropProfileSchema,
  type AclMessage,
  type InteropProfile,
  type TestContext,
} from "../../../harness/core/index.js";

/**
 * The answers of an agent-metadata inform: one entry per item of the request's `what`, in order
 * (HIPE 0015's batch), each `{"interop-profile": PROFILE}` or `{"interop-profile": null}` when
 * the agent has no profile for that suite. Fails unless the content has that shape.
 */
export function entries(t: TestContext, inform: AclMessage, count: number): unknown[] {
  const content = inform.content;
  const shape = `an array of ${count} {"interop-profile": profile or null}`;
  if (!Array.isArray(content) || content.length !== count)
    return t.fail(`the answer is not ${shape}`, { expected: { content: shape }, received: inform });
  return content.map((entry: unknown) => {
    if (entry === null || typeof entry !== "object" || !("interop-profile" in entry))
      return t.fail(`an entry of the answer is not {"interop-profile": ...}`, {
        expected: { content: shape },
        received: inform,
      });
    return (entry as Record<string, unknown>)["interop-profile"];
  });
}

/** `value` as an interop profile for `uri`; fails naming what is wrong with it. */
export function profileFor(t: TestContext, value: unknown, uri: string, inform: AclMessage): InteropProfile {
  const parsed = InteropProfileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return t.fail(
      `the interop profile is not valid (${issue ? `${issue.path.join(".") || "profile"}: ${issue.message}` : "schema"})`,
      {
        expected: { test_suite: uri, profile: { "junction.side": "interoperable | constrained (N of M) | divergent" } },
        received: inform,
      },
    );
  }
  t.assert(parsed.data.test_suite === uri, "the interop profile is for another suite than the one asked for", {
    expected: { test_suite: uri },
    received: value,
  });
  return parsed.data;
}
