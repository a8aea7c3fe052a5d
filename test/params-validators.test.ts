import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ValidatorSpec } from '../runtime/manifest.js';
import { compileCheck, Invalid, type RawScalar } from '../runtime/params/index.js';

function accepts(spec: ValidatorSpec | ValidatorSpec[], raw: RawScalar): unknown {
  const result = compileCheck(Array.isArray(spec) ? spec : [spec])(raw);
  assert.ok(!(result instanceof Invalid), `${JSON.stringify(raw)} should pass ${JSON.stringify(spec)}: ${result instanceof Invalid ? result.message : ''}`);
  return result;
}

function refuses(spec: ValidatorSpec | ValidatorSpec[], raw: RawScalar): string {
  const result = compileCheck(Array.isArray(spec) ? spec : [spec])(raw);
  assert.ok(result instanceof Invalid, `${JSON.stringify(raw)} should fail ${JSON.stringify(spec)}, got ${String(result)}`);
  return result.message;
}

describe('int', () => {
  const int: ValidatorSpec = { type: 'int', min: -5, max: 100 };
  it('parses plain decimal integers to numbers', () => {
    assert.equal(accepts(int, '42'), 42);
    assert.equal(accepts(int, '-5'), -5);
    assert.equal(accepts(int, 7), 7);
  });
  it('refuses exotic number forms', () => {
    for (const raw of ['1e3', '0x10', '1.0', ' 1', '1 ', '+1', '', '1_000', 'Infinity', 'NaN', '٣', '1\u0000', '0b1', '1.5']) refuses(int, raw);
    refuses(int, 1.5);
    refuses(int, true);
  });
  it('enforces min and max', () => {
    assert.match(refuses(int, '101'), /between -5 and 100/);
    refuses(int, '-6');
  });
  it('gives a bigint beyond 2^53 and refuses beyond 64 bits', () => {
    const big = { type: 'int' } as const;
    assert.equal(accepts(big, '9007199254740991'), 9007199254740991);
    assert.equal(accepts(big, '9007199254740993'), 9007199254740993n);
    assert.equal(accepts(big, '-9223372036854775808'), -9223372036854775808n);
    refuses(big, '9223372036854775808');
    refuses(big, '1'.repeat(100));
    refuses(big, 2 ** 60);
  });
});

describe('number', () => {
  const num: ValidatorSpec = { type: 'number', min: 0, max: 10 };
  it('accepts decimals and exponents', () => {
    assert.equal(accepts(num, '2.5'), 2.5);
    assert.equal(accepts(num, '1e1'), 10);
    assert.equal(accepts(num, '.5'), 0.5);
    assert.equal(accepts(num, 3), 3);
  });
  it('refuses what is no finite decimal number', () => {
    for (const raw of ['0x1', 'Infinity', '-Infinity', 'NaN', ' 1', '1,5', '', '1e999']) refuses({ type: 'number' }, raw);
    refuses(num, '10.01');
    refuses(num, '-0.1');
  });
});

describe('boolean', () => {
  it('accepts true/false/1/0 only', () => {
    assert.equal(accepts({ type: 'boolean' }, 'true'), true);
    assert.equal(accepts({ type: 'boolean' }, 'FALSE'), false);
    assert.equal(accepts({ type: 'boolean' }, '1'), true);
    assert.equal(accepts({ type: 'boolean' }, '0'), false);
    assert.equal(accepts({ type: 'boolean' }, false), false);
    for (const raw of ['yes', 'on', '2', '', 't']) refuses({ type: 'boolean' }, raw);
  });
});

describe('string', () => {
  it('matches the whole value against the regex', () => {
    const s: ValidatorSpec = { type: 'string', regex: '[A-Z]{3}' };
    assert.equal(accepts(s, 'JFK'), 'JFK');
    refuses(s, 'JFKX');
    refuses(s, "JFK' OR 1=1 --");
    refuses(s, 'jfk');
  });
  it('counts length in characters', () => {
    const s: ValidatorSpec = { type: 'string', min: 2, max: 3 };
    assert.equal(accepts(s, '😀😀😀'), '😀😀😀');
    refuses(s, 'a');
    refuses(s, 'abcd');
    refuses(s, 'x'.repeat(100_000));
  });
  it('turns body scalars into text', () => {
    assert.equal(accepts({ type: 'string' }, 12), '12');
  });
});

describe('enum, email, uuid', () => {
  it('enum', () => {
    const e: ValidatorSpec = { type: 'enum', allowedValues: ['asc', 'desc'] };
    assert.equal(accepts(e, 'asc'), 'asc');
    assert.match(refuses(e, 'ASC'), /asc, desc/);
    refuses(e, 'asc; DROP TABLE x');
  });
  it('email', () => {
    assert.equal(accepts({ type: 'email' }, 'a.b+c@example.co.uk'), 'a.b+c@example.co.uk');
    for (const raw of ['a@b', 'a b@c.de', '@c.de', "x'@y.z'", 'a@b..c']) refuses({ type: 'email' }, raw);
  });
  it('uuid', () => {
    assert.ok(accepts({ type: 'uuid' }, '123e4567-e89b-12d3-a456-426614174000'));
    refuses({ type: 'uuid' }, '123e4567e89b12d3a456426614174000');
    refuses({ type: 'uuid' }, '123e4567-e89b-12d3-a456-42661417400g');
  });
});

describe('date and time', () => {
  it('date checks the calendar and bounds', () => {
    const d: ValidatorSpec = { type: 'date', min: '2024-01-01', max: '2024-12-31' };
    assert.equal(accepts(d, '2024-02-29'), '2024-02-29');
    refuses({ type: 'date' }, '2023-02-29');
    refuses({ type: 'date' }, '2024-13-01');
    refuses({ type: 'date' }, '2024-1-1');
    refuses({ type: 'date' }, '2024-01-01T00:00');
    assert.match(refuses(d, '2023-12-31'), /between 2024-01-01 and 2024-12-31/);
    refuses(d, '2025-01-01');
  });
  it('time accepts HH:MM and HH:MM:SS within bounds', () => {
    const t: ValidatorSpec = { type: 'time', min: '08:00', max: '17:30:00' };
    assert.equal(accepts(t, '08:00'), '08:00');
    assert.equal(accepts(t, '17:30:00'), '17:30:00');
    refuses(t, '17:30:01');
    refuses(t, '07:59:59');
    for (const raw of ['24:00', '12:60', '1:00', '12:00:60', '12']) refuses({ type: 'time' }, raw);
  });
});

describe('several validators', () => {
  it('must all pass; the first typed one sets the type', () => {
    const both: ValidatorSpec[] = [{ type: 'string', regex: '\\d+' }, { type: 'int', max: 50 }];
    assert.equal(accepts(both, '42'), 42);
    refuses(both, '51');
    refuses(both, '-1');
  });
});
