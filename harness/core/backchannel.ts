import { BackchannelBroken, BackchannelLies } from "./errors.js";

/**
 * agact's answer (HIPE 0015, "Asking for Action"): `0` the instruction was passed on (agact does
 * not wait for its effect), `1` the backchannel is broken (the run stops), `127` the agent does
 * not support the action.
 */
export type ActCode = 0 | 1 | 127;

/** An agact answer with whatever the backchannel said about it (stderr, an HTTP body...). */
export type ActResult = { code: ActCode; detail?: string };

/**
 * How the harness asks the tested agent to act: `setup`, `teardown` and the suite's actions.
 * Implementations: an `agact` command, the Aries-shaped HTTP form, agact messages, and none.
 */
export interface Backchannel {
  /** `command`, `http`, `message`, `none`: shown in reports. */
  readonly kind: string;
  /** Asks for `action` with string `params` (the command line's shape) and reports the code. */
  act(action: string, params: readonly string[], signal?: AbortSignal): Promise<ActResult>;
  close?(): Promise<void>;
}

/** The exit code of an unsupported action (the shell's "command not found", as HIPE 0015 uses it). */
export const UNSUPPORTED = 127;

/** No backchannel: every action is unsupported, so active junctions are not run. */
export const noBackchannel: Backchannel = {
  kind: "none",
  async act() {
    return { code: 127, detail: "no backchannel configured" };
  },
};

/** A fresh action name no suite defines, for {@link probeBackchannel}. */
export function probeAction(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `agtest-probe-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/**
 * Asks for an action that does not exist; the only honest answer is 127. A backchannel that
 * says yes would say yes to anything and fake every active result, so the run must not start.
 * Throws {@link BackchannelLies} or {@link BackchannelBroken}.
 */
export async function probeBackchannel(backchannel: Backchannel, signal?: AbortSignal): Promise<void> {
  const action = probeAction();
  const result = await backchannel.act(action, [], signal);
  const said = result.detail ? ` (it said: ${result.detail})` : "";
  if (result.code === 0) {
    throw new BackchannelLies(
      `the ${backchannel.kind} backchannel said yes to \`${action}\`, an action that does not exist; it would fake results. ` +
        `It must answer 127 (unsupported) for actions it does not know${said}`,
    );
  }
  if (result.code === 1) {
    throw new BackchannelBroken(
      `the ${backchannel.kind} backchannel is broken: probing it with \`${action}\` failed${said}`,
    );
  }
}
