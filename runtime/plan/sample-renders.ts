/**
 * The SQL an endpoint plan renders for sample requests: a bare one (required parameters
 * and defaults) and one with every parameter set, each distinct text once. The compiler's
 * dry-run prepares these to check templates and describe their columns; the artifact
 * check prepares them to see that a downloaded file can serve every endpoint. Both use
 * this one function, so they check exactly what requests will run.
 */
import { dryRunParams, type ParamValue } from '../params/index.js';
import type { AuthContext } from '../security/auth-context.js';
import type { RenderedSql } from '../template/index.js';
import type { EndpointPlan } from './endpoint-plan.js';

/** A caller for sample renders: `auth.*` sections render, as they would for a signed-in user. */
export const SAMPLE_AUTH: Readonly<AuthContext> = Object.freeze({
  authenticated: true, username: 'user', email: 'user@example.com', roles: [], type: 'basic',
});

export type SampleRender = { ok: true; rendered: RenderedSql } | { ok: false; error: unknown };

export function sampleRenders(plan: EndpointPlan, defaultLimit: number): SampleRender[] {
  const paging = plan.endpoint.pagination ? { limit: defaultLimit } : undefined;
  const seen = new Set<string>();
  const out: SampleRender[] = [];
  for (const params of dryRunParams(plan.endpoint.params, paging)) {
    let rendered: RenderedSql;
    try {
      rendered = plan.render(params as Record<string, ParamValue>, SAMPLE_AUTH);
    } catch (error) {
      out.push({ ok: false, error });
      continue;
    }
    if (seen.has(rendered.sql)) continue;
    seen.add(rendered.sql);
    out.push({ ok: true, rendered });
  }
  return out;
}
