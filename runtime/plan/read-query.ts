/**
 * The SQL a read runs once paging and the row cap are applied. One function for every
 * surface, so a page never exceeds `limits.max-rows` and an unpaged read is cut off at
 * it whether HTTP, an MCP tool or an MCP resource asked.
 */
import type { ParamValue } from '../params/index.js';
import type { BoundValue, RenderedSql } from '../template/index.js';
import type { EndpointPlan } from './endpoint-plan.js';
import { pageSql, pageValues } from './pagination.js';

export interface ReadQuery {
  sql: string;
  values: BoundValue[];
  /** The page asked for, capped, when the endpoint pages (`outer`: applied here; `own`: by the template). */
  page?: { limit: number; offset: number };
}

/**
 * `cap` overrides the plan's row cap: an MCP tool asks for one row more than it shows, to
 * tell a cut-off result from one that fits.
 */
/**
 * The page asked for: an endpoint may declare `limit` / `offset` itself (flAPI projects
 * do), without defaults, so a request that names neither still gets the default page.
 */
function askedPage(plan: EndpointPlan, params: Readonly<Record<string, ParamValue>>): { limit: number; offset: number } {
  const limit = params['limit'] === undefined ? plan.defaultLimit : Math.min(Number(params['limit']), plan.maxLimit);
  const offset = params['offset'] === undefined ? 0 : Number(params['offset']);
  return { limit, offset };
}

/** The page a paged read returns: the one asked for, no larger than the row cap. */
export function readPage(plan: EndpointPlan, params: Readonly<Record<string, ParamValue>>, cap = plan.maxRows): { limit: number; offset: number } {
  const { limit: asked, offset } = askedPage(plan, params);
  return { limit: cap !== undefined && asked > cap ? cap : asked, offset };
}

export function readQuery(plan: EndpointPlan, rendered: RenderedSql, params: Readonly<Record<string, ParamValue>>, cap?: number): ReadQuery {
  const limitCap = cap ?? plan.maxRows;
  if (plan.paging === 'outer') {
    const page = readPage(plan, params, limitCap);
    return { sql: pageSql(rendered.sql, rendered.values.length), values: pageValues(rendered.values, page.limit, page.offset), page };
  }
  const out: ReadQuery = limitCap !== undefined && plan.isRead
    ? { sql: pageSql(rendered.sql, rendered.values.length), values: pageValues(rendered.values, limitCap, 0) }
    : { sql: rendered.sql, values: rendered.values };
  if (plan.paging === 'own') out.page = readPage(plan, params, limitCap);
  return out;
}
