/**
 * The routing work one handled message may cause: each delivery (a receiver of a message it
 * emitted, a bounce, an answer of an external agent) takes one; what is over the limit is refused
 * and counted. One budget is shared by everything routed on behalf of one handled message, so
 * multicast × sends × bounces is bounded by a single number.
 */
export class DeliveryBudget {
  used = 0;
  refused = 0;

  constructor(readonly limit: number) {}

  /** Takes one delivery: false (and counted) when the budget is spent. */
  take(): boolean {
    if (this.used >= this.limit) {
      this.refused++;
      return false;
    }
    this.used++;
    return true;
  }
}
