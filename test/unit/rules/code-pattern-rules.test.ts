/**
 * Table-driven tests of the rules that read hand-written code patterns and runtime set-up
 * (frozenbn-no-eps, adain-unbiased-std, instancenorm-defaults, syncbn-misuse), through the real
 * analyzer: Python text in, the rule's findings, messages and quick-fix results out.
 */
import assert from 'node:assert/strict';
import {
  ParserFactory,
  SourceAnalyzer,
  type Finding,
  type TextEdit,
} from '../../../src/core/index';
import { nodeModulesWasmLoader } from '../helpers/wasm';

const analyzer = new SourceAnalyzer(new ParserFactory(nodeModulesWasmLoader));

interface SourceCase {
  readonly name: string;
  readonly lines: readonly string[];
  readonly torchVersion?: string;
  /** `severity@line` of each expected finding of the rule (0-based lines). */
  readonly expect: readonly string[];
  readonly messageHas?: readonly string[];
  /** The line each fix's first edit produces (the edited line), in order. */
  readonly fixed?: readonly string[];
}

/** The line an edit produces, for one-line edits. */
function editedLine(lines: readonly string[], edit: TextEdit): string {
  const line = lines[edit.range.start.line] ?? '';
  return (
    line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character)
  );
}

const at = (f: Finding): string =>
  `${f.severity}@${f.location.type === 'text' ? f.location.range.start.line : -1}`;

function describeSourceRule(rule: string, cases: readonly SourceCase[]): void {
  describe(`rule ${rule} on Python sources`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const report = await analyzer.analyzePython(`${c.lines.join('\n')}\n`, {
          ...(c.torchVersion ? { python: { torchVersion: c.torchVersion } } : {}),
        });
        const findings = report.findings.filter((f) => f.rule === rule);
        const message = findings.map((f) => f.message).join('\n');
        assert.deepEqual(findings.map(at), c.expect, message);
        for (const part of c.messageHas ?? []) {
          assert.ok(message.includes(part), `message lacks "${part}": ${message}`);
        }
        if (c.fixed) {
          const edits = findings.flatMap((f) => f.fixes).map((fix) => fix.edits[0]);
          assert.deepEqual(
            edits.map((edit) => (edit ? editedLine(c.lines, edit).trim() : '')),
            c.fixed,
          );
        }
        for (const finding of findings) {
          assert.ok(
            finding.related.every((r) => r.range !== undefined),
            'related information links to lines',
          );
        }
      });
    }
  });
}

const FROZEN_HEAD = [
  'import torch',
  'class FrozenBatchNorm2d(torch.nn.Module):',
  '    def __init__(self, n, eps=1e-5):',
  '        super().__init__()',
  '        self.eps = eps',
  '        self.register_buffer("running_var", torch.ones(n))',
  '    def forward(self, x):',
  '        w = self.weight.reshape(1, -1, 1, 1)',
];

describeSourceRule('frozenbn-no-eps', [
  {
    name: 'rv.rsqrt() of a reshaped running_var (early torchvision copy)',
    lines: [
      ...FROZEN_HEAD,
      '        rv = self.running_var.reshape(1, -1, 1, 1)',
      '        scale = w * rv.rsqrt()',
    ],
    expect: ['warning@9'],
    messageHas: ['rsqrt(rv) without epsilon', '316·γ'],
    fixed: ['scale = w * (rv + self.eps).rsqrt()'],
  },
  {
    name: 'torch.rsqrt(self.running_var) in a class without eps gets the literal default',
    lines: [
      'import torch',
      'class FrozenBN(torch.nn.Module):',
      '    def forward(self, x):',
      '        return x * self.weight * torch.rsqrt(self.running_var)',
    ],
    expect: ['warning@3'],
    fixed: ['return x * self.weight * torch.rsqrt(self.running_var + 1e-5)'],
  },
  {
    name: 'tuple assignment w, rv = … is followed',
    lines: [
      ...FROZEN_HEAD,
      '        b, rv = self.bias, self.running_var',
      '        scale = w * rv.rsqrt()',
    ],
    expect: ['warning@9'],
  },
  {
    name: 'torchvision’s (rv + self.eps).rsqrt() does not fire',
    lines: [
      ...FROZEN_HEAD,
      '        rv = self.running_var.reshape(1, -1, 1, 1)',
      '        scale = w * (rv + self.eps).rsqrt()',
    ],
    expect: [],
  },
  {
    name: 'eps added where rv is defined does not fire',
    lines: [
      ...FROZEN_HEAD,
      '        rv = self.running_var + self.eps',
      '        scale = w * rv.rsqrt()',
    ],
    expect: [],
  },
  {
    name: 'a clamped variance does not fire',
    lines: [...FROZEN_HEAD, '        scale = w * self.running_var.clamp(min=1e-5).rsqrt()'],
    expect: [],
  },
  {
    name: 'rsqrt of something else (a norm of activations) does not fire',
    lines: [...FROZEN_HEAD, '        r = x.pow(2).mean(-1).rsqrt()'],
    expect: [],
  },
  {
    name: 'rsqrt outside a class holding running_var does not fire',
    lines: ['def f(var):', '    return var.rsqrt()'],
    expect: [],
  },
]);

const CALC_MEAN_STD = [
  'def calc_mean_std(feat, eps=1e-5):',
  '    N, C = feat.size()[:2]',
  '    feat_var = feat.view(N, C, -1).var(dim=2) + eps',
  '    feat_std = feat_var.sqrt().view(N, C, 1, 1)',
  '    feat_mean = feat.view(N, C, -1).mean(dim=2).view(N, C, 1, 1)',
  '    return feat_mean, feat_std',
];

const ADAIN = [
  'def adaptive_instance_normalization(content_feat, style_feat):',
  '    size = content_feat.size()',
  '    style_mean, style_std = calc_mean_std(style_feat)',
  '    content_mean, content_std = calc_mean_std(content_feat)',
  '    normalized = (content_feat - content_mean.expand(size)) / content_std.expand(size)',
  '    return normalized * style_std.expand(size) + style_mean.expand(size)',
];

describeSourceRule('adain-unbiased-std', [
  {
    name: 'calc_mean_std var(dim=2) re-scaled by adaptive_instance_normalization',
    lines: [...CALC_MEAN_STD, ...ADAIN],
    expect: ['info@2'],
    messageHas: ['var(dim=2)', '1.33× on a 2×2', '1.07× on 4×4', 'NaN on a 1×1'],
    fixed: ['feat_var = feat.view(N, C, -1).var(dim=2, unbiased=False) + eps'],
  },
  {
    name: 'torch ≥ 2.0 gets correction=0',
    lines: [...CALC_MEAN_STD, ...ADAIN],
    torchVersion: '>=2.1',
    expect: ['info@2'],
    fixed: ['feat_var = feat.view(N, C, -1).var(dim=2, correction=0) + eps'],
  },
  {
    name: 'inline std over (2, 3) re-scaling in the same function',
    lines: [
      'def adain(x, style):',
      '    mu = x.mean(dim=(2, 3), keepdim=True)',
      '    sigma = x.std(dim=(2, 3), keepdim=True)',
      '    return (x - mu) / sigma * style[0] + style[1] * sigma',
    ],
    expect: ['info@2'],
    messageHas: ['std(dim=(2, 3))', 'square root for std'],
  },
  {
    name: 'unbiased=False does not fire',
    lines: [
      ...CALC_MEAN_STD.map((l) => l.replace('var(dim=2)', 'var(dim=2, unbiased=False)')),
      ...ADAIN,
    ],
    expect: [],
  },
  {
    name: 'correction=0 does not fire',
    lines: [
      ...CALC_MEAN_STD.map((l) => l.replace('var(dim=2)', 'var(dim=2, correction=0)')),
      ...ADAIN,
    ],
    expect: [],
  },
  {
    name: 'statistics never used to re-scale features do not fire',
    lines: CALC_MEAN_STD,
    expect: [],
  },
  {
    name: 'a batch variance (dim=0) does not fire',
    lines: ['def f(x, g, b):', '    s = x.var(dim=0)', '    return x * s + b'],
    expect: [],
  },
]);

const NET = (norm: string, conv = 'nn.Conv2d(3, 64, 3, bias=False)', extra: string[] = []) => [
  'import torch.nn as nn',
  'class Net(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  `        self.conv = ${conv}`,
  `        self.norm = ${norm}`,
  ...extra,
  '    def forward(self, x):',
  '        return self.norm(self.conv(x))',
];

describeSourceRule('instancenorm-defaults', [
  {
    name: 'conv with bias=False before InstanceNorm2d(64) (a BatchNorm swap)',
    lines: NET('nn.InstanceNorm2d(64)'),
    expect: ['info@5'],
    messageHas: ['affine=False and track_running_stats=False', 'bias=False'],
    fixed: ['self.norm = nn.InstanceNorm2d(64, affine=True)'],
  },
  {
    name: 'the code reads the running statistics and weight',
    lines: NET('nn.InstanceNorm2d(64)', 'nn.Conv2d(3, 64, 3)', [
      '        nn.init.constant_(self.norm.weight, 1)',
      '        print(self.norm.running_mean)',
    ]),
    expect: ['info@5'],
    messageHas: ['weight, running_mean, which are None'],
    fixed: [
      'self.norm = nn.InstanceNorm2d(64, affine=True)',
      'self.norm = nn.InstanceNorm2d(64, track_running_stats=True)',
    ],
  },
  {
    name: 'style-transfer InstanceNorm after a biased conv does not fire',
    lines: NET('nn.InstanceNorm2d(64)', 'nn.Conv2d(3, 64, 3)'),
    expect: [],
  },
  {
    name: 'an explicit affine=False does not fire',
    lines: NET('nn.InstanceNorm2d(64, affine=False)'),
    expect: [],
  },
  {
    name: 'a None check on weight does not fire',
    lines: NET('nn.InstanceNorm2d(64)', 'nn.Conv2d(3, 64, 3)', [
      '        if self.norm.weight is not None:',
      '            nn.init.ones_(self.norm.weight)',
    ]),
    expect: [],
  },
  {
    name: 'BatchNorm2d does not fire',
    lines: NET('nn.BatchNorm2d(64)'),
    expect: [],
  },
]);

const SYNC = [
  'import torch',
  'import torch.nn as nn',
  'model = nn.Sequential(nn.Conv2d(3, 64, 3), nn.SyncBatchNorm(64))',
];

describeSourceRule('syncbn-misuse', [
  {
    name: 'SyncBatchNorm in a training script without a process group',
    lines: [...SYNC, 'loss = model(x).sum()', 'loss.backward()'],
    expect: ['info@2'],
    messageHas: ['no process group', 'plain BatchNorm statistics'],
  },
  {
    name: 'torch 1.13 raises without a process group',
    lines: [...SYNC, 'loss = model(x).sum()', 'loss.backward()'],
    torchVersion: '1.13.1',
    expect: ['info@2'],
    messageHas: ['torch 1.13.1 raises in training'],
  },
  {
    name: 'DataParallel: several GPUs in one process',
    lines: [...SYNC, 'model = nn.DataParallel(model)'],
    expect: ['info@2'],
    messageHas: ['DataParallel replicates the model'],
  },
  {
    name: 'DistributedDataParallel over two devices per process',
    lines: [
      ...SYNC,
      'torch.distributed.init_process_group("nccl")',
      'model = nn.parallel.DistributedDataParallel(model, device_ids=[0, 1])',
    ],
    expect: ['info@2'],
    messageHas: ['drives 2 devices from one process'],
  },
  {
    name: 'moved to the CPU',
    lines: ['import torch.nn as nn', 'norm = nn.SyncBatchNorm(64).cpu()'],
    expect: ['warning@1'],
    messageHas: ['expected input tensor to be on GPU'],
  },
  {
    name: 'device="cpu" on the constructor',
    lines: ['import torch.nn as nn', 'norm = nn.SyncBatchNorm(64, device="cpu")'],
    expect: ['warning@1'],
  },
  {
    name: 'convert_sync_batchnorm in a single-process training script',
    lines: [
      'import torch.nn as nn',
      'model = nn.SyncBatchNorm.convert_sync_batchnorm(model)',
      'loss.backward()',
    ],
    expect: ['info@1'],
    messageHas: ['convert_sync_batchnorm in a training script'],
  },
  {
    name: 'DDP with one GPU per process (world size > 1) does not fire',
    lines: [
      ...SYNC,
      'torch.distributed.init_process_group("nccl")',
      'model = nn.parallel.DistributedDataParallel(model.cuda(rank), device_ids=[rank])',
      'loss.backward()',
    ],
    expect: [],
  },
  {
    name: 'a process group set up by a helper does not fire',
    lines: [...SYNC, 'utils.init_distributed_mode(args)', 'loss.backward()'],
    expect: [],
  },
  {
    name: 'a model file that does not train does not fire',
    lines: SYNC,
    expect: [],
  },
]);

describe('code-pattern findings and settings', () => {
  it('a rule set to off reports nothing, and a configured severity applies to file-level hits', async () => {
    const text = `${[...FROZEN_HEAD, '        scale = w * self.running_var.rsqrt()'].join('\n')}\n`;
    const off = await analyzer.analyzePython(text, {
      rules: { 'frozenbn-no-eps': { severity: 'off' } },
    });
    assert.equal(off.findings.filter((f) => f.rule === 'frozenbn-no-eps').length, 0);
    const error = await analyzer.analyzePython(text, {
      rules: { 'frozenbn-no-eps': { severity: 'error' } },
    });
    assert.deepEqual(
      error.findings.filter((f) => f.rule === 'frozenbn-no-eps').map((f) => f.severity),
      ['error'],
    );
  });

  it('inline suppression silences a file-level hit', async () => {
    const text = `${[...FROZEN_HEAD, '        scale = w * self.running_var.rsqrt()  # normlens: ignore[frozenbn-no-eps]'].join('\n')}\n`;
    const report = await analyzer.analyzePython(text);
    assert.equal(report.findings.filter((f) => f.rule === 'frozenbn-no-eps').length, 0);
  });

  it('incremental sessions carry the code facts too', async () => {
    const session = await analyzer.openPython('import torch\n');
    const text = `${[...CALC_MEAN_STD, ...ADAIN].join('\n')}\n`;
    const report = session.update(text);
    assert.deepEqual(report.findings.filter((f) => f.rule === 'adain-unbiased-std').map(at), [
      'info@2',
    ]);
    session.dispose();
  });
});
