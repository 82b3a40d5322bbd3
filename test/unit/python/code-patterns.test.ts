/** The code-pattern finders: what each records, and that files without their tokens are not parsed. */
import assert from 'node:assert/strict';
import { findCodeFacts } from '../../../src/core/python/code-patterns';
import { pythonParser } from './parse';

async function facts(lines: readonly string[]) {
  return findCodeFacts(await pythonParser(), `${lines.join('\n')}\n`);
}

describe('Python code patterns', () => {
  it('a file with none of the tokens gives no facts', async () => {
    assert.equal(await facts(['import torch', 'x = torch.ones(3).mean()']), undefined);
  });

  it('records rsqrt without eps with its class, variance, definition and edit', async () => {
    const found = await facts([
      'class FrozenBN(nn.Module):',
      '    def forward(self, x):',
      '        rv = self.running_var.reshape(1, -1, 1, 1)',
      '        return x * rv.rsqrt()',
    ]);
    const [hit] = found?.rsqrtWithoutEps ?? [];
    assert.equal(hit?.className, 'FrozenBN');
    assert.equal(hit?.variance, 'rv');
    assert.equal(hit?.definition?.start.line, 2);
    assert.deepEqual(hit?.fix.range, {
      start: { line: 3, character: 19 },
      end: { line: 3, character: 29 },
    });
    assert.equal(hit?.fix.newText, '(rv + 1e-5).rsqrt()');
  });

  it('records unbiased spatial statistics with the re-scaling line', async () => {
    const found = await facts([
      'def stats(x):',
      '    s = x.std(dim=[2, 3], keepdim=True)',
      '    m = x.mean(dim=[2, 3], keepdim=True)',
      '    return m, s',
      'def adain(x, y):',
      '    ym, ys = stats(y)',
      '    return x * ys + ym',
    ]);
    const [hit] = found?.unbiasedInstanceStats ?? [];
    assert.equal(hit?.statistic, 'std');
    assert.equal(hit?.dims, 'dim=[2, 3]');
    assert.equal(hit?.functionName, 'stats');
    assert.equal(hit?.rescale.range.start.line, 6);
    assert.deepEqual(hit?.keywordAt?.start, { line: 1, character: 38 });
  });

  it('a multi-line statistics call offers no insertion point', async () => {
    const found = await facts([
      'def f(x, g, b):',
      '    s = x.var(',
      '        dim=(2, 3))',
      '    return x * s + b',
    ]);
    assert.equal(found?.unbiasedInstanceStats.length, 1);
    assert.equal(found?.unbiasedInstanceStats[0]?.keywordAt, undefined);
  });

  it('records runtime set-up for SyncBatchNorm files', async () => {
    const found = await facts([
      'norm = nn.SyncBatchNorm(8)',
      'm = DistributedDataParallel(model, device_ids=[0, 1, 2])',
      'norm.to("cpu")',
      'norm.to(device)',
      'loss.backward()',
      'utils.init_distributed_mode(args)',
    ]);
    assert.deepEqual(
      found?.runtime.map((r) => [r.kind, r.deviceCount ?? r.target ?? '']),
      [
        ['ddp', 3],
        ['cpu', 'norm'],
        ['backward', ''],
        ['distributed-call', ''],
      ],
    );
  });

  it('records state reads of InstanceNorm files, except self and None-checked attributes', async () => {
    const found = await facts([
      'self.norm = nn.InstanceNorm2d(8)',
      'nn.init.ones_(self.norm.weight)',
      'x = self.weight',
      'if self.norm.bias is not None:',
      '    nn.init.zeros_(self.norm.bias)',
      'print(self.norm.running_var)',
    ]);
    assert.deepEqual(
      found?.stateReads.map((r) => `${r.target}.${r.attribute}@${r.range.start.line}`),
      ['self.norm.weight@1', 'self.norm.running_var@5'],
    );
  });

  it('a call named after an object property is not distributed set-up', async () => {
    const found = await facts([
      'norm = nn.SyncBatchNorm(8)',
      'name = jna.Native.toString(buffer)',
      'obj = constructor(1)',
      'y = x.hasOwnProperty(2)',
    ]);
    assert.deepEqual(found?.runtime, []);
  });

  describe('facts about norm modules are only looked for when a site can use them', () => {
    const text = [
      'import torch.nn as nn',
      'import torch.distributed as dist',
      'norm = nn.InstanceNorm2d(64)',
      'print(norm.weight)',
      'sync = nn.SyncBatchNorm(64)',
      'model = nn.DataParallel(net)',
      '',
    ].join('\n');
    const cases: readonly {
      readonly instanceNorm: boolean;
      readonly syncBatchNorm: boolean;
      readonly reads: number;
      readonly runtime: number;
    }[] = [
      { instanceNorm: true, syncBatchNorm: true, reads: 1, runtime: 1 },
      { instanceNorm: true, syncBatchNorm: false, reads: 1, runtime: 0 },
      { instanceNorm: false, syncBatchNorm: true, reads: 0, runtime: 1 },
    ];
    for (const { instanceNorm, syncBatchNorm, reads, runtime } of cases) {
      it(`InstanceNorm sites ${instanceNorm}, SyncBatchNorm sites ${syncBatchNorm}`, async () => {
        const found = findCodeFacts(await pythonParser(), text, { instanceNorm, syncBatchNorm });
        assert.equal(found?.stateReads.length ?? 0, reads);
        assert.equal(found?.runtime.length ?? 0, runtime);
      });
    }

    it('a file whose only patterns serve absent sites is not parsed for them', async () => {
      const uses = { instanceNorm: false, syncBatchNorm: false };
      assert.equal(findCodeFacts(await pythonParser(), text, uses), undefined);
    });
  });
});
