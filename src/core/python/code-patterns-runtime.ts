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

/**
 * Callee names that set up or use a process group. A map, so that a call named after an object
 * property (`x.toString()`, `constructor(…)`) is not taken for one.
 */
const DISTRIBUTED: ReadonlyMap<string, RuntimeEvidence['kind']> = new Map([
  ['DistributedDataParallel', 'ddp'],
  ['init_process_group', 'process-group'],
  ['DistributedSampler', 'distributed-sampler'],
  ['DataParallel', 'data-parallel'],
]);

/**
 * Other calls that imply a process group, often set up in a helper module
 * (`utils.init_distributed_mode(args)`, `dist.get_world_size()`, `setup_ddp(rank)`).
 */
const DISTRIBUTED_CALL = /distributed|^init_dist|world_size|^get_rank$|ddp/i;

/**
 * Code every call {@link findRuntimeEvidence} reports holds: a {@link DISTRIBUTED} name or a
 * {@link DISTRIBUTED_CALL} match, `backward`, or `cpu` (`x.cpu()`). A top-level statement without
 * any, and without a {@link CPU_DEVICE_TOKEN}, holds no runtime evidence.
 */
export const RUNTIME_TOKEN =
  /distributed|init_dist|world_size|get_rank|ddp|dataparallel|init_process_group|\bbackward\b|\bcpu\b/gi;

/** The string a move to the CPU names (`x.to("cpu")`). */
export const CPU_DEVICE_TOKEN = /["']cpu["']/g;

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
  const kind = name === undefined ? undefined : DISTRIBUTED.get(name);
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

/**
 * An attribute read of module state ({@link findStateReads}); the dot may be followed by a line
 * continuation, or by a newline and comments inside brackets. Most files with an InstanceNorm read
 * none, and a top-level statement without one holds no state read.
 */
export const STATE_READ = /\.(?:\s|\\|#[^\n]*\n)*(?:weight|bias|running_mean|running_var)\b/;

/** {@link STATE_READ}, for finding every one. */
export const STATE_READS = new RegExp(STATE_READ.source, 'g');

/**
 * True when the `.` at `dot` (of a {@link STATE_READ}) follows a plain `self`, as in
 * `x = self.weight` or `self.bias` at a line start, looking no further back than `from` (where the
 * statement starts). {@link findStateReads} skips those. Anything less plain (`x.self.weight`, a
 * dot, continuation or comment on the line above) is not.
 */
export function readsPlainSelf(source: string, dot: number, from = 0): boolean {
  const before = source.slice(Math.max(from, dot - 5), dot);
  if (!/(?:^|[^\w.])self$/.test(before)) {
    return false;
  }
  let at = dot - 5;
  while (at >= from && (source[at] === ' ' || source[at] === '\t')) {
    at--;
  }
  const previous = at < from ? undefined : source[at];
  if (previous === undefined) {
    return true;
  }
  if (previous === '.' || previous === '\\' || previous === '\r') {
    return false;
  }
  if (previous !== '\n') {
    return true;
  }
  // At a line start, the line above must not end in a dot or continuation, or hide one in a comment.
  const above = source.slice(Math.max(from, source.lastIndexOf('\n', at - 1) + 1), at).trimEnd();
  return !above.includes('#') && !above.endsWith('.') && !above.endsWith('\\');
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
