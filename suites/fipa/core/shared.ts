import { receiversOf, type AclMessage, type TestContext } from "../../../harness/core/index.js";

/**
 * A request any FIPA agent must answer somehow (agree, refuse, inform, not-understood...): core
 * tests judge how it answers, not what. Its content means nothing to anyone.
 */
export function anyRequest(t: TestContext): AclMessage {
  return t.message({
    performative: "request",
    protocol: "fipa-request",
    ontology: "agtest-core",
    language: "application/json",
    content: { agtest: "core", test: t.id },
  });
}

/** Sends {@link anyRequest} and waits for the first answer. */
export async function askAnything(t: TestContext): Promise<{ request: AclMessage; reply: AclMessage }> {
  const request = anyRequest(t);
  await t.send(request);
  return { request, reply: await t.expect() };
}

/** Fails unless `message` lists `address` among its receivers; the failure shows the message. */
export function assertAddressedTo(t: TestContext, message: AclMessage, address: string, why: string): void {
  t.assert(receiversOf(message).includes(address), why, { expected: { receiver: address }, received: message });
}
