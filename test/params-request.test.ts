import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParamSpec } from '../runtime/manifest.js';
import { compileParams, type RequestInput } from '../runtime/params/index.js';

const server = { defaultLimit: 10, maxLimit: 50 };

function input(partial: Partial<RequestInput>): RequestInput {
  return { query: {}, path: {}, headers: {}, body: undefined, ...partial };
}

const params: ParamSpec[] = [
  { name: 'id', in: 'path', required: true, validators: [{ type: 'int', min: 1 }] },
  { name: 'region', in: 'query', required: false, default: 'EU', validators: [{ type: 'enum', allowedValues: ['EU', 'US'] }] },
  { name: 'X-Api-Version', in: 'header', required: false, validators: [{ type: 'int' }] },
  { name: 'active', in: 'body', required: false, validators: [{ type: 'boolean' }] },
  { name: 'since', in: 'query', required: true, validators: [{ type: 'date' }] },
];

describe('compileParams', () => {
  const parser = compileParams({ params, pagination: false, requestFieldsValidation: false }, server);

  it('reads every location and types the values', () => {
    const result = parser.parse(
      input({ path: { id: '7' }, query: { since: '2024-05-01' }, headers: { 'x-api-version': '2' }, body: { active: true } }),
    );
    assert.deepEqual(result, { ok: true, values: { id: 7, region: 'EU', 'X-Api-Version': 2, active: true, since: '2024-05-01' } });
    assert.equal(parser.needsBody, true);
  });

  it('reports every failing field at once', () => {
    const result = parser.parse(
      input({ path: { id: '0' }, query: { region: 'APAC' }, headers: { 'x-api-version': 'v2' }, body: { active: 'maybe' } }),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.errors.map((e) => e.field), ['id', 'region', 'X-Api-Version', 'active', 'since']);
    assert.equal(result.errors.find((e) => e.field === 'since')?.message, 'is required');
    assert.ok(result.errors.every((e) => e.message.length > 0));
  });

  it('refuses repeated query values and non-scalar body values', () => {
    const result = parser.parse(input({ path: { id: '1' }, query: { since: ['2024-01-01', '2024-01-02'] }, body: { active: [true] } }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors.map((e) => e.field), ['active', 'since']);
  });

  it('lets unknown parameters through unless request-fields-validation is on', () => {
    const loose = parser.parse(input({ path: { id: '1' }, query: { since: '2024-01-01', other: 'x' } }));
    assert.equal(loose.ok, true);
    const strict = compileParams({ params, pagination: false, requestFieldsValidation: true }, server, { reservedQueryKeys: ['format'] });
    const result = strict.parse(input({ path: { id: '1' }, query: { since: '2024-01-01', other: 'x', format: 'csv' }, body: { extra: 1 } }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.deepEqual(result.errors.map((e) => e.field), ['other', 'extra']);
  });

  it('adds limit and offset with defaults and a maximum when paginated', () => {
    const paged = compileParams({ params: [], pagination: true, requestFieldsValidation: true }, server);
    assert.deepEqual(paged.parse(input({})), { ok: true, values: { limit: 10, offset: 0 } });
    assert.deepEqual(paged.parse(input({ query: { limit: '50', offset: '100' } })), { ok: true, values: { limit: 50, offset: 100 } });
    const bad = paged.parse(input({ query: { limit: '51', offset: '-1' } }));
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.deepEqual(bad.errors.map((e) => e.field), ['limit', 'offset']);
  });

  it('refuses an invalid default when the endpoint is built', () => {
    assert.throws(
      () => compileParams({ params: [{ name: 'n', in: 'query', required: false, default: 'abc', validators: [{ type: 'int' }] }], pagination: false, requestFieldsValidation: false }, server),
      /default of parameter "n"/,
    );
  });

  it('reads own properties only', () => {
    const odd = compileParams({ params: [{ name: 'constructor', in: 'body', required: false, validators: [] }, { name: 'toString', in: 'query', required: true, validators: [] }], pagination: false, requestFieldsValidation: false }, server);
    const result = odd.parse(input({ body: {}, query: Object.create(null) as Record<string, string> }));
    assert.deepEqual(result, { ok: false, errors: [{ field: 'toString', message: 'is required' }] });
  });

  it('keeps the raw text of parameters without validators', () => {
    const plain = compileParams({ params: [{ name: 'q', in: 'body', required: false, validators: [] }], pagination: false, requestFieldsValidation: false }, server);
    assert.deepEqual(plain.parse(input({ body: { q: 12 } })), { ok: true, values: { q: '12' } });
  });
});
