/**
 * Where rate-limit counters live. Windows are fixed: a key's window opens with its first
 * request and lasts `windowMs`; every request in it counts, and the count starts over when
 * it closes. A store answers one atomic "count this request" per request, so instances
 * sharing a store (Redis) share one budget exactly.
 */
export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** When the current window closes (epoch milliseconds). */
  resetAt: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}
