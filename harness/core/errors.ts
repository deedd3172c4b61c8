/**
 * Errors of the harness core. Each has a `name`, so the CLI can turn the expected ones into a
 * message and an exit code without a stack trace.
 */

/** A test's verdict that the agent did not behave: carries what was expected and what came. */
export class TestFailure extends Error {
  override readonly name = "TestFailure";
  /** What the test expected (a message, a filter, a value), when there is one to show. */
  readonly expected?: unknown;
  /** What the agent sent instead (a message, several, or a value). */
  readonly received?: unknown;
  constructor(message: string, details: { expected?: unknown; received?: unknown } = {}) {
    super(message);
    if ("expected" in details) this.expected = details.expected;
    if ("received" in details) this.received = details.received;
  }
}

/**
 * A test could not be evaluated (not the agent's fault as far as anyone can tell): garbage in
 * the inbox that is not even JSON, a transport error. Recorded as status `error`.
 */
export class TestError extends Error {
  override readonly name = "TestError";
  readonly received?: unknown;
  constructor(message: string, received?: unknown) {
    super(message);
    if (received !== undefined) this.received = received;
  }
}

/**
 * A test that cannot be exercised through this channel (e.g. an HTTP transport test over agtalk
 * folders): recorded as `skip` with the reason. A skip proves nothing, so it counts as not passed.
 */
export class TestSkipped extends Error {
  override readonly name = "TestSkipped";
}

/** The backchannel answered 127 for an action a test needed. */
export class ActionUnsupported extends Error {
  override readonly name = "ActionUnsupported";
  constructor(
    readonly action: string,
    detail?: string,
  ) {
    super(`the backchannel does not support action \`${action}\` (agact exit 127)${detail ? `: ${detail}` : ""}`);
  }
}

/** The backchannel is broken (agact exit 1, or anything unexpected): the run stops. */
export class BackchannelBroken extends Error {
  override readonly name = "BackchannelBroken";
}

/** The backchannel said yes to an action that does not exist: its results cannot be trusted. */
export class BackchannelLies extends Error {
  override readonly name = "BackchannelLies";
}

/** The tested agent cannot be reached at all (connection refused, runtime gone): the run stops. */
export class AgentUnreachable extends Error {
  override readonly name = "AgentUnreachable";
}

/** A suite definition is wrong (bad id, duplicate test, bad version): a bug in the suite. */
export class SuiteDefinitionError extends Error {
  override readonly name = "SuiteDefinitionError";
}

/** The run was cancelled through its `signal`. */
export class RunAborted extends Error {
  override readonly name = "RunAborted";
}
