/**
 * A rate limit: at most `max` requests per `interval` seconds per key, where the key is
 * the client address (`ip`), the verified user (`user`; unauthenticated callers share
 * one `anonymous` budget) or the user when there is one, else the address (`user-or-ip`).
 * The global limit counts every request; an endpoint's own limit counts that endpoint.
 */
import { createHash } from 'node:crypto';
import type { RateLimitSpec } from '../manifest.js';
import type { AuthContext } from './auth-context.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface RateLimitVerdict {
  limit: number;
  remaining: number;
  /** When the window closes (epoch milliseconds). */
  resetAt: number;
  exceeded: boolean;
}

/** Keys stay short and free of odd characters whatever a username contains. */
function keyPart(text: string): string {
  return /^[A-Za-z0-9._:@-]{1,64}$/.test(text) ? text : createHash('sha256').update(text).digest('base64url');
}

export class RateLimit {
  constructor(
    readonly spec: RateLimitSpec,
    /** `global` or the endpoint's name: budgets of different scopes never mix. */
    private readonly scope: string,
    private readonly store: RateLimitStore,
  ) {}

  keyFor(ip: string, auth: AuthContext): string {
    const user = auth.authenticated && auth.username !== undefined ? auth.username : undefined;
    switch (this.spec.key) {
      case 'user':
        return user !== undefined ? `u:${keyPart(user)}` : 'anonymous';
      case 'user-or-ip':
        return user !== undefined ? `u:${keyPart(user)}` : `ip:${keyPart(ip)}`;
      case 'ip':
        return `ip:${keyPart(ip)}`;
    }
  }

  async hit(ip: string, auth: AuthContext): Promise<RateLimitVerdict> {
    const windowMs = this.spec.interval * 1000;
    const { count, resetAt } = await this.store.hit(`${keyPart(this.scope)}:${this.keyFor(ip, auth)}`, windowMs);
    return {
      limit: this.spec.max,
      remaining: Math.max(0, this.spec.max - count),
      resetAt,
      exceeded: count > this.spec.max,
    };
  }
}

/** The verdict to report when several limits apply: an exceeded one, else the one with least left. */
export function tightest(verdicts: readonly RateLimitVerdict[]): RateLimitVerdict | undefined {
  let out: RateLimitVerdict | undefined;
  for (const v of verdicts) {
    if (out === undefined || (v.exceeded && !out.exceeded) || (v.exceeded === out.exceeded && v.remaining < out.remaining)) out = v;
  }
  return out;
}

/** `X-RateLimit-*` (reset as epoch seconds, as GitHub sends it) and, when exceeded, `Retry-After`. */
export function rateLimitHeaders(verdict: RateLimitVerdict, now = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(verdict.limit),
    'X-RateLimit-Remaining': String(verdict.remaining),
    'X-RateLimit-Reset': String(Math.ceil(verdict.resetAt / 1000)),
  };
  if (verdict.exceeded) headers['Retry-After'] = String(Math.max(1, Math.ceil((verdict.resetAt - now) / 1000)));
  return headers;
}
