import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, deploy, send, uniqueName } from "./api.js";

type Transcript = {
  protocol: string | null;
  state: string;
  violations: number;
  messages: { message: Record<string, unknown> }[];
};

async function transcript(id: string): Promise<Transcript> {
  const res = await api(`/v1/conversations/${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Transcript;
}

describe("the seed's end-to-end negotiation (contract net through a mediator)", () => {
  it("buyer, mediator and two sellers agree on the cheaper seller's price", async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const [buyer, mediator, sellerA, sellerB] = ["buyer", "mediator", "seller-a", "seller-b"].map(
      (n) => `${n}-${tag}`,
    ) as [string, string, string, string];
    for (const [name, wasm] of [
      [buyer, env.FIXTURE_BUYER],
      [mediator, env.FIXTURE_MEDIATOR],
      [sellerA, env.FIXTURE_SELLER],
      [sellerB, env.FIXTURE_SELLER],
    ] as const) {
      expect((await deploy(name, wasm)).status).toBe(201);
    }
    const conversation_id = `deal-${uniqueName("c")}`;
    const request = {
      performative: "request",
      sender: "harness",
      receiver: buyer,
      protocol: "fipa-request",
      conversation_id,
      reply_with: "buy-1",
      content: { product: "product-123", mediator, sellers: [sellerA, sellerB] },
    };
    // The first reply is the buyer's agree; the deal's outcome follows in the same conversation.
    const agreed = await send(request, 10_000);
    expect(await agreed.json()).toMatchObject({ performative: "agree", sender: buyer, in_reply_to: "buy-1" });

    let outcome: Record<string, unknown> | undefined;
    for (let i = 0; i < 200 && !outcome; i++) {
      const t = await transcript(conversation_id);
      outcome = t.messages.map((m) => m.message).find((m) => m.performative === "inform" && m.sender === buyer);
      if (!outcome) await new Promise((r) => setTimeout(r, 25));
    }
    const content = outcome?.content as { agreed: boolean; price: number; seller: string; product: string };
    expect(content).toMatchObject({ agreed: true, product: "product-123" });
    expect(content.price).toBeGreaterThan(0);

    const deal = await transcript(conversation_id);
    expect(deal).toMatchObject({ protocol: "fipa-request", violations: 0 });
    expect(deal.state).toMatch(/^done/);

    // The contract net itself, as the runtime logged it: each seller proposed its own price.
    const cnp = await transcript(`${conversation_id}/broker/cnp`);
    expect(cnp).toMatchObject({ protocol: "fipa-contract-net", violations: 0 });
    expect(cnp.state).toMatch(/^done/);
    const acts = cnp.messages.map((m) => m.message.performative);
    expect(acts[0]).toBe("cfp");
    expect(acts.filter((a) => a === "propose")).toHaveLength(2);
    expect(acts).toContain("accept-proposal");
    expect(acts).toContain("reject-proposal");
    // The seller's inform follows the accept; the reject to the other seller is routed right after
    // the accept and may be logged before or after that inform (two agents, no order between them).
    expect(acts.lastIndexOf("inform")).toBeGreaterThan(acts.indexOf("accept-proposal"));
    expect(acts.filter((a) => a === "inform")).toHaveLength(1);
    const proposals = cnp.messages
      .map((m) => m.message)
      .filter((m) => m.performative === "propose")
      .map((m) => ({ seller: m.sender, price: (m.content as { price: number }).price }));
    const cheapest = [...proposals].sort((a, b) => a.price - b.price)[0];
    expect(new Set(proposals.map((p) => p.price)).size).toBe(2);
    expect(content).toMatchObject({ seller: cheapest?.seller, price: cheapest?.price });
  });
});
