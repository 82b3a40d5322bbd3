/**
 * How a Python file runs its model, as far as SyncBatchNorm and InstanceNorm rules care:
 * distributed set-up (`DistributedDataParallel`, `init_process_group`, `DistributedSampler`, helper
 * calls such as `init_distributed_mode`),
 * single-process multi-GPU (`DataParallel`), training (`loss.backward()`), moves to the CPU, and
 * reads of a norm module's affine parameters or running statistics.
 */
import type { Node } from 'web-tree-sitter';
import type { RuntimeEvidence, StateRead } from '../model';
import { rangeOf, type ReadText } from '../syntax/ranges';
import { splitArguments } from './arguments';
import { calleeName, methodCall, oneLine } from './code-patterns-syntax';

/** Callee names that set up or use a process group. */
const DISTRIBUTED: Readonly<Record<string, RuntimeEvidence['kind']>> = {
  DistributedDataParallel: 'ddp',
  init_process_group: 'process-group',
  DistributedSampler: 'distributed-sampler',
  DataParallel: 'data-parallel',
};

/**
 * Other calls that imply a process group, often set up in a helper module
 * (`utils.init_distributed_mode(args)`, `dist.get_world_size()`, `setup_ddp(rank)`).
 */
const DISTRIBUTED_CALL = /distributed|^init_dist|world_size|^get_rank$|ddp/i;

/** `"cpu"` / `'cpu'` / `torch.device("cpu")`. */
const CPU = /^(?:torch\.device\()?\s*["']cpu["']\s*\)?$/;

/** Distributed set-up, training and CPU moves seen in the calls under `root`. */
export function findRuntimeEvidence(root: Node, read: ReadText): RuntimeEvidence[] {
  const found: RuntimeEvidence[] = [];
  for (const call of root.descendantsOfType('call')) {
    const evidence = call && runtimeOf(call, read);
    if (evidence) {
      found.push(evidence);
    }
  }
  return found;
}

function runtimeOf(call: Node, read: ReadText): RuntimeEvidence | undefined {
  const name = calleeName(call, read);
  const kind = name === undefined ? undefined : DISTRIBUTED[name];
  const range = rangeOf(call);
  const written = read(call.childForFieldName('function') ?? call);
  if (kind) {
    const devices = kind === 'ddp' ? deviceCount(call, read) : undefined;
    return {
      kind,
      range,
      message: `${written}(…) here`,
      ...(devices === undefined ? {} : { deviceCount: devices }),
    };
  }
  if (name !== undefined && DISTRIBUTED_CALL.test(name)) {
    return { kind: 'distributed-call', range, message: `${written}(…) here` };
  }
  const method = methodCall(call, read);
  if (method?.name === 'backward') {
    return { kind: 'backward', range, message: `${read(call)} here (training)` };
  }
  return method && movesToCpu(call, method.name, read)
    ? {
        kind: 'cpu',
        range,
        message: `${oneLine(read(call))} moves it to the CPU`,
        target: read(method.receiver),
        targetRange: rangeOf(method.receiver),
      }
    : undefined;
}

/** `x.cpu()`, `x.to("cpu")`, `x.to(device=torch.device("cpu"))`. */
function movesToCpu(call: Node, method: string, read: ReadText): boolean {
  const args = splitArguments(call.childForFieldName('arguments'), read);
  if (method === 'cpu') {
    return args.positional.length === 0 && args.keywords.size === 0;
  }
  const device = args.keywords.get('device') ?? args.positional[0];
  return method === 'to' && device !== undefined && CPU.test(read(device));
}

/** The entries of a literal `device_ids=[…]` list. */
function deviceCount(call: Node, read: ReadText): number | undefined {
  const ids = splitArguments(call.childForFieldName('arguments'), read).keywords.get('device_ids');
  return ids && ['list', 'tuple'].includes(ids.type) ? ids.namedChildren.length : undefined;
}

/** Module state that InstanceNorm's defaults leave `None`. */
const STATE = new Set<StateRead['attribute']>(['weight', 'bias', 'running_mean', 'running_var']);

/**
 * Reads of `<module>.weight`, `.bias`, `.running_mean`, `.running_var` under `root`, except on
 * `self` itself and for attributes the code checks for `None` anywhere (it expects them missing).
 */
export function findStateReads(root: Node, read: ReadText): StateRead[] {
  const found: StateRead[] = [];
  const guarded = new Set<string>();
  for (const node of root.descendantsOfType('attribute')) {
    const attribute = node?.childForFieldName('attribute');
    const object = node?.childForFieldName('object');
    const name = attribute ? read(attribute) : '';
    if (!node || !object || !isState(name) || read(object) === 'self') {
      continue;
    }
    if (guardedByNone(node, read)) {
      guarded.add(read(node));
      continue;
    }
    found.push({
      target: read(object),
      attribute: name,
      range: rangeOf(node),
      message: `${read(node)} is read here`,
    });
  }
  return found.filter((r) => !guarded.has(`${r.target}.${r.attribute}`));
}

function isState(name: string): name is StateRead['attribute'] {
  return (STATE as ReadonlySet<string>).has(name);
}

/** `m.weight is not None`, `if m.weight:`, `getattr`-style checks: the code allows `None`. */
function guardedByNone(node: Node, read: ReadText): boolean {
  const parent = node.parent;
  if (parent?.type === 'comparison_operator') {
    return /\bNone\b/.test(read(parent));
  }
  return parent?.type === 'if_statement' || parent?.type === 'boolean_operator';
}
