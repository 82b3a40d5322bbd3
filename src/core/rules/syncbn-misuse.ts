/**
 * NORM030: SyncBatchNorm used where it cannot synchronize. It supports only
 * DistributedDataParallel with one GPU per process: on CPU tensors it raises (torch 1.13 in any
 * mode; later releases when it would synchronize), under `DataParallel` or DDP over several devices
 * per process it does not span them, and in a training script with no process group it either
 * raises (torch 1.13: `get_world_size()` without `init_process_group`) or falls back to plain
 * BatchNorm over this process's batch. Applies to `nn.SyncBatchNorm(…)` and to
 * `SyncBatchNorm.convert_sync_batchnorm(model)`.
 */
import type { Evidence, FileContext, NormSite, RuntimeEvidence, SourceRange } from '../model';
import { pythonContext } from '../python/index';
import { smallestTrainingBatch } from '../report-queries';
import { torchBelow } from './torch-version';
import type { FileRuleHit, Rule, RuleHit } from './types';

export const syncbnMisuse: Rule = {
  id: 'syncbn-misuse',
  catalogId: 'NORM030',
  title: 'SyncBatchNorm outside DistributedDataParallel with one GPU per process',
  defaultSeverity: 'info',
  appliesTo: ['pytorch'],
  thresholds: [],
  check(site, context): readonly RuleHit[] {
    if (site.variant !== 'SyncBatchNorm') {
      return [];
    }
    const cpu = cpuEvidence(site, context);
    return cpu ? [cpuHit(cpu, context)] : runtimeHits('SyncBatchNorm', context);
  },
  checkFile(context): readonly FileRuleHit[] {
    // convert_sync_batchnorm makes every BatchNorm of the model a SyncBatchNorm.
    return (context.modes ?? [])
      .filter((mode) => mode.mode === 'sync-batchnorm')
      .flatMap((mode) =>
        runtimeHits('convert_sync_batchnorm', context).map((hit) => ({
          ...hit,
          location: { type: 'text' as const, range: mode.range },
        })),
      );
  },
};

/** Evidence that the file runs under a process group (set up here or by a helper it calls). */
const DISTRIBUTED: ReadonlySet<RuntimeEvidence['kind']> = new Set([
  'ddp',
  'process-group',
  'distributed-sampler',
  'distributed-call',
]);

const SUPPORTED = 'SyncBatchNorm supports only DistributedDataParallel with one GPU per process';

/** `device='cpu'` on the constructor, or `.cpu()`/`.to('cpu')` on the layer or its binding. */
function cpuEvidence(site: NormSite, context: FileContext): Evidence | undefined {
  const device = site.params['device'];
  if (device?.source === 'literal' && device.value === 'cpu') {
    const range = device.origin;
    return { message: `device=${device.expression ?? "'cpu'"} here`, ...(range ? { range } : {}) };
  }
  const binding = pythonContext(site)?.binding;
  const range = site.location.type === 'text' ? site.location.range : undefined;
  return (context.codeFacts?.runtime ?? []).find(
    (r) =>
      r.kind === 'cpu' &&
      ((binding !== undefined && r.target === binding) ||
        (range !== undefined && r.targetRange !== undefined && sameRange(r.targetRange, range))),
  );
}

function cpuHit(cpu: Evidence, context: FileContext): RuleHit {
  const old = torchBelow(context.torchVersion, 2, 0);
  return {
    message:
      `SyncBatchNorm runs on the CPU: ${SUPPORTED}, and on CPU input it raises ` +
      `"ValueError: SyncBatchNorm expected input tensor to be on GPU"` +
      (old ? ' (torch 1.x checks this in every mode).' : ' when it synchronizes.') +
      ' Use BatchNorm for CPU runs.',
    severity: 'warning',
    related: [{ message: cpu.message, ...(cpu.range ? { range: cpu.range } : {}) }],
  };
}

/** Hits from how the file runs the model: several devices per process, or no process group. */
function runtimeHits(subject: string, context: FileContext): RuleHit[] {
  const runtime = context.codeFacts?.runtime ?? [];
  const dataParallel = runtime.find((r) => r.kind === 'data-parallel');
  const multiDevice = runtime.find((r) => r.kind === 'ddp' && (r.deviceCount ?? 1) > 1);
  const several = dataParallel ?? multiDevice;
  if (several) {
    const how = dataParallel
      ? 'DataParallel replicates the model over several GPUs in one process'
      : `DistributedDataParallel drives ${multiDevice?.deviceCount} devices from one process`;
    return [
      {
        message: `${subject}: ${how}, but ${SUPPORTED}; statistics are not synchronized across those GPUs.`,
        related: [evidenceOf(several)],
      },
    ];
  }
  const distributed = runtime.some((r) => DISTRIBUTED.has(r.kind));
  const training = runtime.find((r) => r.kind === 'backward');
  if (distributed || !training) {
    return [];
  }
  const batch = smallestTrainingBatch(context.batchSizes);
  const old = torchBelow(context.torchVersion, 2, 0);
  const batchNote = batch ? ` of ${batch.value} (${batch.origin})` : '';
  return [
    {
      message:
        `${subject} in a training script with no process group (no init_process_group or ` +
        `DistributedDataParallel in this file): ` +
        (old
          ? `torch ${context.torchVersion?.version} raises in training when it asks for the world size.`
          : `it computes plain BatchNorm statistics over this process's batch${batchNote}, ` +
            `not across GPUs (torch 1.13 raises instead).`) +
        ` ${SUPPORTED}.`,
      related: [
        evidenceOf(training),
        ...(batch ? [{ message: batch.message, range: batch.range }] : []),
      ],
    },
  ];
}

/** Just the message and range, for related information. */
function evidenceOf(runtime: RuntimeEvidence): Evidence {
  return { message: runtime.message, range: runtime.range };
}

function sameRange(a: SourceRange, b: SourceRange): boolean {
  return (
    a.start.line === b.start.line &&
    a.start.character === b.start.character &&
    a.end.line === b.end.line &&
    a.end.character === b.end.character
  );
}
