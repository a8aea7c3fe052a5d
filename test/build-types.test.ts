import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientFunctionNames, endpointFileNames } from '../cli/build/code-names.js';
import { columnType, paramType } from '../cli/build/ts-types.js';
import type { EndpointSpec, ParamSpec } from '../runtime/manifest.js';
import { endpoint } from './serve-fixture.js';

const type = (t: string, nullable = false) => columnType({ name: 'c', type: t, nullable }).text;

describe('column types in generated code follow what the server serialises', () => {
  it('maps scalars', () => {
    assert.equal(type('INTEGER'), 'number');
    assert.equal(type('BOOLEAN'), 'boolean');
    assert.equal(type('BIGINT'), 'WideInteger');
    assert.equal(type('HUGEINT', true), 'WideInteger | null');
    assert.equal(type('DECIMAL(10,2)'), 'string');
    assert.equal(type('DOUBLE'), 'number | null', 'NaN and infinities arrive as null');
    assert.equal(type('DOUBLE', true), 'number | null');
    for (const t of ['VARCHAR', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIME', 'INTERVAL', 'UUID', 'BLOB', 'BIT']) assert.equal(type(t), 'string', t);
    assert.equal(type('JSON'), 'JsonValue');
    assert.equal(type('"NULL"'), 'JsonValue');
  });

  it('maps nested types, enums and unions', () => {
    assert.equal(type('INTEGER[]'), 'Array<number | null>');
    assert.equal(type('VARCHAR[3]', true), 'Array<string | null> | null');
    assert.equal(type('STRUCT(a INTEGER, "b c" VARCHAR[])'), '{ a: number | null; "b c": Array<string | null> | null }');
    assert.equal(type('MAP(VARCHAR, BIGINT)'), 'Record<string, WideInteger | null>');
    assert.equal(type("ENUM('a', 'it''s')"), "'a' | 'it\\'s'");
    assert.equal(type('UNION(n INTEGER, s VARCHAR)'), 'number | string');
    assert.deepEqual([...columnType({ name: 'c', type: 'STRUCT(x BIGINT, y JSON)', nullable: true }).uses].sort(), ['JsonValue', 'WideInteger']);
  });
});

describe('parameter types follow the validators', () => {
  const param = (validators: ParamSpec['validators']): ParamSpec => ({ name: 'p', in: 'query', required: false, validators });
  it('maps each validator', () => {
    assert.equal(paramType(param([{ type: 'int', min: 1 }])), 'number');
    assert.equal(paramType(param([{ type: 'number' }])), 'number');
    assert.equal(paramType(param([{ type: 'boolean' }])), 'boolean');
    assert.equal(paramType(param([{ type: 'enum', allowedValues: ['a', 'b'] }])), "'a' | 'b'");
    assert.equal(paramType(param([{ type: 'enum', allowedValues: ['a', 'b'] }, { type: 'enum', allowedValues: ['b', 'c'] }])), "'b'");
    for (const v of [{ type: 'date' }, { type: 'time' }, { type: 'email' }, { type: 'uuid' }, { type: 'string', regex: 'x' }] as const) {
      assert.equal(paramType(param([v])), 'string', v.type);
    }
    assert.equal(paramType(param([])), 'string');
  });
});

describe('names in generated code', () => {
  const endpoints: EndpointSpec[] = [
    { ...endpoint({ urlPath: '/flights/:id', sql: '' }), name: 'get_flights_id' },
    { ...endpoint({ urlPath: '/airports/:iata/delays', sql: '' }), name: 'get_airports_iata_delays' },
    { ...endpoint({ urlPath: '/orders', sql: '' }), name: 'post_orders', method: 'POST' },
    { ...endpoint({ urlPath: '/airports', sql: '' }), name: 'find_airports' },
    { ...endpoint({ urlPath: '/a/:x/b/:y', sql: '' }), name: 'get_a_x_b_y' },
    { ...endpoint({ urlPath: '/flights-by-id/:id', sql: '' }), name: 'get_flights_by_id_id' },
    { ...endpoint({ urlPath: '/flights/by/:id', sql: '' }), name: 'get_flights_by_id' },
  ];

  it('reads a derived name as a call and keeps an explicit one', () => {
    const names = clientFunctionNames(endpoints);
    assert.equal(names.get('get_flights_id'), 'getFlightsById');
    assert.equal(names.get('get_airports_iata_delays'), 'getAirportsDelaysByIata');
    assert.equal(names.get('post_orders'), 'postOrders');
    assert.equal(names.get('find_airports'), 'findAirports');
    assert.equal(names.get('get_a_x_b_y'), 'getABByXAndY');
  });

  it('keeps every name unique', () => {
    const names = clientFunctionNames(endpoints);
    assert.equal(new Set(names.values()).size, endpoints.length);
    // `/flights-by-id/:id` and `/flights/by/:id` would both read getFlightsByIdById / getFlightsByById: distinct either way.
    const files = endpointFileNames([...endpoints, { ...endpoints[0]!, name: 'get-flights-id' }, { ...endpoints[0]!, name: 'index' }]);
    assert.equal(files.get('get_flights_id'), 'get-flights-id');
    assert.equal(files.get('get-flights-id'), 'get-flights-id-2');
    assert.equal(files.get('index'), 'index-2');
  });
});
