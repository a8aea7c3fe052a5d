import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnTransfer, nextRefreshAt, parseDuration, planRetention, type SnapshotRecord } from '../runtime/cache/index.js';
import { parseSchedule, ScheduleError } from '../runtime/cache/schedule.js';
import type { CacheSpec } from '../runtime/manifest.js';

test('durations: 30s, 5m, 1h, 2d, 1w, 500ms and a bare number of seconds', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('2d'), 172_800_000);
  assert.equal(parseDuration('1w'), 604_800_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  for (const bad of ['', 'm', '5 minutes', '-5m', '0s', '5y']) assert.equal(parseDuration(bad), undefined, bad);
});

test('schedule: an interval counts from the last success', () => {
  const schedule = parseSchedule('5m');
  assert.equal(schedule.kind, 'interval');
  const last = new Date('2024-05-01T10:00:00Z');
  assert.equal(nextRefreshAt(schedule, last).toISOString(), '2024-05-01T10:05:00.000Z');
});

test('schedule: a cron expression gives the next tick; a tick missed while down is due at once', () => {
  const schedule = parseSchedule('*/15 * * * *');
  assert.equal(schedule.kind, 'cron');
  const now = new Date('2024-05-01T10:07:00Z');
  assert.equal(nextRefreshAt(schedule, new Date('2024-05-01T10:01:00Z'), now).toISOString(), '2024-05-01T10:15:00.000Z');
  assert.equal(nextRefreshAt(schedule, new Date('2024-05-01T09:40:00Z'), now).toISOString(), now.toISOString(), 'the 09:45 and 10:00 ticks were missed');
  const seconds = parseSchedule('*/10 * * * * *');
  assert.equal(nextRefreshAt(seconds, now, now).toISOString(), '2024-05-01T10:07:10.000Z', 'six fields: seconds first');
});

test('schedule: anything else is refused with a message naming both forms', () => {
  assert.throws(() => parseSchedule('often'), (err: unknown) => err instanceof ScheduleError && /interval \(30s, 5m, 1h, 2d\)/.test(err.message));
  assert.throws(() => parseSchedule('61 * * * *'), (err: unknown) => err instanceof ScheduleError && /not a valid cron/.test(err.message));
});

function record(id: number, table: string | undefined, status: SnapshotRecord['status'], hoursAgo: number, now: Date): SnapshotRecord {
  const at = new Date(now.getTime() - hoursAgo * 3_600_000);
  return {
    id, endpoint: 'e', cacheTable: 's.t', physicalTable: table, mode: 'full', trigger: 'schedule', status,
    startedAt: at, finishedAt: at, rowsWritten: 1, rowCount: 1, highWaterMark: undefined, error: undefined, prunedAt: undefined,
  };
}

const spec = (retention?: CacheSpec['retention']): CacheSpec => ({
  enabled: true, table: 't', schema: 's', primaryKey: [], mode: 'full', ...(retention ? { retention } : {}),
});

test('retention: keep-last-snapshots keeps the newest tables, the served one always', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const records = [
    record(5, undefined, 'failed', 1, now),
    record(4, 't__v4', 'succeeded', 2, now),
    record(3, 't__v3', 'succeeded', 3, now),
    record(2, 't__v2', 'succeeded', 4, now),
    record(1, 't__v1', 'succeeded', 5, now),
  ];
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 2 }), now).dropTables, ['t__v2', 't__v1']);
  assert.deepEqual(planRetention(records, spec(), now).dropTables, ['t__v2', 't__v1'], 'default: the served table and the one before');
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 1 }), now).dropTables, ['t__v3', 't__v2', 't__v1']);
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 10, maxSnapshotAge: '3h' }), now).dropTables, ['t__v2', 't__v1'], 'older than 3h');
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 10, maxSnapshotAge: '1m' }), now).dropTables, ['t__v3', 't__v2', 't__v1'], 'the served table survives any age');
  const plan = planRetention(records, spec({ keepLastSnapshots: 1 }), now);
  assert.deepEqual(plan.prunedIds, [3, 2, 1]);
});

test('retention: append and merge reuse one table, aged by its newest refresh', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const records = [record(3, 't__v1', 'succeeded', 1, now), record(2, 't__v1', 'succeeded', 50, now), record(1, 't__v1', 'succeeded', 100, now)];
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 1, maxSnapshotAge: '1d' }), now).dropTables, []);
  assert.deepEqual(planRetention(records, spec({ keepLastSnapshots: 1, maxSnapshotAge: '1d' }), now).removeIds, [], 'records of a live table stay');
});

test('retention: records beyond the history limit go, unless their table is live', () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const records = Array.from({ length: 120 }, (_, i) => record(120 - i, undefined, 'failed', i / 100, now));
  records.push(record(0, 't__v0', 'succeeded', 10, now));
  const plan = planRetention(records, spec(), now);
  assert.equal(plan.removeIds.length, 20);
  assert.ok(!plan.removeIds.includes(0), 'the served snapshot keeps its record');
});

test('PostgreSQL column types map to DuckDB types, with conversions where the text forms differ', () => {
  const t = (dataTypeID: number, dataTypeModifier = -1) => columnTransfer({ name: 'c', dataTypeID, dataTypeModifier });
  assert.equal(t(23).type, 'INTEGER');
  assert.equal(t(20).type, 'BIGINT');
  assert.equal(t(1184).type, 'TIMESTAMPTZ');
  assert.equal(t(1700, ((12 << 16) | 2) + 4).type, 'DECIMAL(12,2)');
  assert.equal(t(1700).type, 'DOUBLE', 'unconstrained numeric');
  assert.equal(t(1700, ((60 << 16) | 2) + 4).type, 'DOUBLE', 'beyond DuckDB precision');
  assert.deepEqual([t(17).type, t(17).exportExpr, t(17).loadExpr], ['BLOB', "encode($, 'hex')", 'unhex($)']);
  assert.deepEqual([t(1007).type, t(1007).exportExpr], ['INTEGER[]', 'array_to_json($)']);
  assert.equal(t(3802).type, 'JSON');
  assert.equal(t(99999).type, 'VARCHAR', 'enums and unknown types travel as text');
});
