/**
 * The account's send pace: a token bucket. `burst` messages may go out at once; after that,
 * one every 60/perMinute seconds, so an agent in a loop slows down instead of getting the
 * account banned. The outbox holds sends back until the pace allows them.
 */
export class SendPacer {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /**
   * The outbox's way: takes one send now and answers 0, or takes nothing and answers the
   * milliseconds until one may go out (the send waits in the queue meanwhile).
   */
  reserve(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute));
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 60_000) * this.perMinute);
    this.last = t;
  }
}
