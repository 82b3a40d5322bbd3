import assert from 'node:assert/strict';
import { parseHostToPanel } from '../../../src/core/index';
import { isWorkerReply, isWorkerRequest } from '../../../webview/worker-messages';

describe('panel lead and worker messages', () => {
  it('keeps a valid lead on init and drops an invalid one', () => {
    assert.deepEqual(parseHostToPanel({ type: 'init', preset: {}, lead: 'weights' }), {
      type: 'init',
      preset: {},
      lead: 'weights',
    });
    assert.deepEqual(parseHostToPanel({ type: 'init', preset: {}, lead: '<b>' }), {
      type: 'init',
      preset: {},
    });
  });

  it('accepts only worker envelopes', () => {
    assert.ok(isWorkerReply({ id: 0, kind: 'ready' }));
    assert.ok(!isWorkerReply({ id: '0', kind: 'ready' }));
    assert.ok(!isWorkerReply({ id: 1, kind: 'eval' }));
    assert.ok(isWorkerRequest({ id: 1, kind: 'update', settings: {} }));
    assert.ok(!isWorkerRequest({ id: 1, kind: 'update' }));
  });
});
