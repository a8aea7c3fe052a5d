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
export function readQuery(plan: EndpointPlan, rendered: RenderedSql, params: Readonly<Record<string, ParamValue>>, cap?: number): ReadQuery {
  const limitCap = cap ?? plan.maxRows;
  if (plan.paging === 'outer') {
    const asked = Number(params['limit']);
    const limit = limitCap !== undefined && asked > limitCap ? limitCap : asked;
    const offset = Number(params['offset']);
    return { sql: pageSql(rendered.sql, rendered.values.length), values: pageValues(rendered.values, limit, offset), page: { limit, offset } };
  }
  const out: ReadQuery = limitCap !== undefined && plan.isRead
    ? { sql: pageSql(rendered.sql, rendered.values.length), values: pageValues(rendered.values, limitCap, 0) }
    : { sql: rendered.sql, values: rendered.values };
  if (plan.paging === 'own') {
    const asked = Number(params['limit']);
    out.page = { limit: limitCap !== undefined && asked > limitCap ? limitCap : asked, offset: Number(params['offset']) };
  }
  return out;
}
