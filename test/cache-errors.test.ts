import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError } from '../runtime/cache/index.js';

test('refresh errors shown at /_flapi/cache carry no credentials', () => {
  const url = describeError(new Error('could not connect to postgres://app:s3cret@db.internal:5432/shop\nat line 2'));
  assert.equal(url, 'could not connect to postgres://app:[redacted]@db.internal:5432/shop');
  const pair = describeError(Object.assign(new Error('bad connection string host=db password=hunter2 user=app'), { code: 'ECONNREFUSED' }));
  assert.doesNotMatch(pair, /hunter2/);
  assert.match(pair, /password=\[redacted\].*\(ECONNREFUSED\)/);
  const nested = describeError(new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:5432')], ''));
  assert.equal(nested, 'connect ECONNREFUSED 127.0.0.1:5432');
});
