import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listenAddress } from '../cli/dev/listen-address.js';

const fromFile = { server: { port: 9000, host: '0.0.0.0' } } as Parameters<typeof listenAddress>[0];

describe('listenAddress', () => {
  it('prefers the flag, then FLAPI_PORT/FLAPI_HOST, then the file', () => {
    assert.deepEqual(listenAddress(fromFile, { port: '1234', host: '::1' }, { FLAPI_PORT: '5555', FLAPI_HOST: 'h' }), { port: 1234, host: '::1' });
    assert.deepEqual(listenAddress(fromFile, {}, { FLAPI_PORT: '5555', FLAPI_HOST: 'h' }), { port: 5555, host: 'h' });
    assert.deepEqual(listenAddress(fromFile, {}, {}), { port: 9000, host: '0.0.0.0' });
  });
  it('refuses a port that is no number', () => {
    assert.throws(() => listenAddress(fromFile, { port: '80a' }, {}), /--port/);
    assert.throws(() => listenAddress(fromFile, {}, { FLAPI_PORT: '70000' }), /FLAPI_PORT/);
  });
});
