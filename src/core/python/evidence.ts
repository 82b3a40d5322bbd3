/**
 * File-level evidence in PyTorch sources beyond data loaders: low precision (`torch.autocast`,
 * `.half()`, `dtype=torch.float16`), mode switches (`.eval()`, `.train()`, `requires_grad_(False)`,
 * `SyncBatchNorm.convert_sync_batchnorm(model)`) and batch-size hints (argparse `--batch-size`
 * defaults, config dicts, `batch_size = N`, example inputs such as `torch.randn(1, …)`).
 */
import type { Node } from 'web-tree-sitter';
import type { BatchSizeEvidence, ModeEvidence, PrecisionEvidence } from '../model';
import { splitArguments } from './arguments';
import type { FileScope } from './file-scope';
import { childOf, resolveCallee } from './file-scope';
import { dottedParts, qualify } from './imports';
import { rangeOf } from '../syntax/ranges';

/** Node types the evidence reads besides calls. */
export const EVIDENCE_NODE_TYPES = ['assignment', 'pair'] as const;

/** Qualified names of the half-precision dtypes. */
const LOW_PRECISION: ReadonlyMap<string, PrecisionEvidence['value']> = new Map([
  ['torch.float16', 'float16'],
  ['torch.half', 'float16'],
  ['torch.bfloat16', 'bfloat16'],
]);

const AUTOCASTS = new Set([
  'torch.autocast',
  'torch.amp.autocast',
  'torch.cuda.amp.autocast',
  'torch.cpu.amp.autocast',
]);

const CONVERT_SYNC = new Set([
  'torch.nn.SyncBatchNorm.convert_sync_batchnorm',
  'torch.nn.modules.batchnorm.SyncBatchNorm.convert_sync_batchnorm',
]);

const EXAMPLE_INPUTS = new Set(['torch.randn', 'torch.rand']);

/** Names and options that hold a batch size (`batch_size`, `BATCH_SIZE`, `--batch-size`, `--bs`). */
const BATCH_NAME = /^(?:-{0,2})(?:batch[-_]?size|bs)$/i;

/** Text that may hold a name {@link BATCH_NAME} accepts (a backslash may start an escape). */
const MAY_NAME_BATCH = /batch[-_]?size|bs|\\/i;

/** Methods whose calls are evidence whatever their receiver (`model.eval()`, `x.half()`). */
const EVIDENCE_METHODS = new Set([
  'half',
  'bfloat16',
  'eval',
  'train',
  'requires_grad_',
  'add_argument',
  'to',
]);

/**
 * True when a call of this callee can be evidence without a low-precision dtype argument (those
 * are checked separately): `qualifiedName` as resolved through the imports, `method` the last
 * part of an attribute callee.
 */
export function mayBeEvidence(
  qualifiedName: string | undefined,
  method: string | undefined,
): boolean {
  return (
    (method !== undefined && EVIDENCE_METHODS.has(method)) ||
    (qualifiedName !== undefined &&
      (AUTOCASTS.has(qualifiedName) ||
        CONVERT_SYNC.has(qualifiedName) ||
        EXAMPLE_INPUTS.has(qualifiedName)))
  );
}

/** Evidence collected from one file. */
export interface FileEvidence {
  readonly precision: PrecisionEvidence[];
  /** Mode switches, with the receiver as written; sites claim those on their own binding. */
  readonly modes: ModeEvidence[];
  readonly batchSizeHints: BatchSizeEvidence[];
  /** argparse destinations with a numeric default (`batch_size` → its hint). */
  readonly argparseDefaults: Map<string, BatchSizeEvidence>;
}

/** An empty evidence collection. */
export function emptyEvidence(): FileEvidence {
  return { precision: [], modes: [], batchSizeHints: [], argparseDefaults: new Map() };
}

/** Adds what `node` (a call, an assignment or a dict pair) says to `evidence`. */
export function collectEvidence(node: Node, scope: FileScope, evidence: FileEvidence): void {
  const type = node.type;
  if (type === 'call') {
    callEvidence(node, scope, evidence);
    return;
  }
  // The name is written in the node's text, unless a string spells it with escapes.
  if (!MAY_NAME_BATCH.test(scope.read(node))) {
    return;
  }
  const [target, value] =
    type === 'pair'
      ? [node.childForFieldName('key'), node.childForFieldName('value')]
      : [node.childForFieldName('left'), node.childForFieldName('right')];
  const name = target && nameText(target, scope);
  if (!name || !value || !BATCH_NAME.test(name) || name.startsWith('-')) {
    return;
  }
  const folded = scope.values.evaluate(value)?.value;
  if (typeof folded === 'number') {
    const origin = type === 'pair' ? `{'${name}': ${scope.read(value)}}` : scope.read(node);
    evidence.batchSizeHints.push(hint(folded, origin, node));
  }
}

function callEvidence(call: Node, scope: FileScope, evidence: FileEvidence): void {
  const callee = childOf(scope, call, 'function');
  if (!callee) {
    return;
  }
  const args = splitArguments(call.childForFieldName('arguments'), scope.read);
  const resolved = resolveCallee(call, scope)?.qualifiedName;
  const method =
    callee.type === 'attribute' ? scope.read(callee.childForFieldName('attribute') ?? callee) : '';
  const receiver = callee.type === 'attribute' ? callee.childForFieldName('object') : null;
  const dtype = args.keywords.get('dtype') ?? (method === 'to' ? args.positional[0] : undefined);
  const lowDtype = dtype && lowPrecision(dtype, scope);
  if (resolved && AUTOCASTS.has(resolved)) {
    const value =
      lowDtype ??
      autocastDefault(resolved, args.positional[0] ?? args.keywords.get('device_type'), scope);
    if (value) {
      evidence.precision.push(precision(value, scope.read(call), call));
    }
    return;
  }
  if (lowDtype) {
    evidence.precision.push(precision(lowDtype, scope.read(call), call));
  } else if ((method === 'half' || method === 'bfloat16') && args.positional.length === 0) {
    const value = method === 'half' ? 'float16' : 'bfloat16';
    evidence.precision.push(precision(value, scope.read(call), call));
  }
  if (resolved && CONVERT_SYNC.has(resolved)) {
    const [model] = args.positional;
    const target = model ? scope.read(model) : '';
    evidence.modes.push(mode('sync-batchnorm', target, call, scope));
  } else if (receiver && (method === 'eval' || method === 'train' || method === 'requires_grad_')) {
    const switched = switchedMode(
      method,
      args.positional[0] ?? args.keywords.get('mode') ?? args.keywords.get('requires_grad'),
      scope,
    );
    if (switched) {
      evidence.modes.push(mode(switched, scope.read(receiver), call, scope));
    }
  }
  if (method === 'add_argument') {
    argparseDefault(call, args.positional, args.keywords, scope, evidence);
  }
  if (resolved && EXAMPLE_INPUTS.has(resolved)) {
    exampleInput(call, args.positional, scope, evidence);
  }
}

/** The mode a `.eval()`, `.train(flag)` or `.requires_grad_(flag)` call sets, when known. */
function switchedMode(
  method: string,
  flag: Node | undefined,
  scope: FileScope,
): ModeEvidence['mode'] | undefined {
  const value = flag ? scope.values.evaluate(flag)?.value : true;
  if (method === 'eval') {
    return 'eval';
  }
  if (method === 'train') {
    return value === false ? 'eval' : value === true ? 'train' : undefined;
  }
  return value === false ? 'frozen' : undefined;
}

/** `parser.add_argument('--batch-size', type=int, default=32)`. */
function argparseDefault(
  call: Node,
  positional: readonly Node[],
  keywords: ReadonlyMap<string, Node>,
  scope: FileScope,
  evidence: FileEvidence,
): void {
  const options = positional
    .filter((node) => node.type === 'string')
    .map((node) => stringValue(node, scope))
    .filter((text): text is string => text !== undefined);
  const option = options.find((text) => BATCH_NAME.test(text));
  const fallback = keywords.get('default');
  const folded = fallback && scope.values.evaluate(fallback)?.value;
  if (!option || !fallback || typeof folded !== 'number') {
    return;
  }
  const destNode = keywords.get('dest');
  const longest = options.find((text) => text.startsWith('--')) ?? option;
  const dest =
    (destNode && stringValue(destNode, scope)) ?? longest.replace(/^-+/, '').replace(/-/g, '_');
  const found = hint(folded, `${option} default ${scope.read(fallback)}`, call);
  evidence.batchSizeHints.push(found);
  evidence.argparseDefaults.set(dest, found);
}

/** `torch.randn(1, 3, 224, 224)`: an example input whose first dim is the batch. */
function exampleInput(
  call: Node,
  positional: readonly Node[],
  scope: FileScope,
  evidence: FileEvidence,
): void {
  const [first] = positional;
  const batch = first && positional.length >= 2 ? scope.values.evaluate(first)?.value : undefined;
  if (typeof batch === 'number') {
    evidence.batchSizeHints.push({ ...hint(batch, scope.read(call), call), purpose: 'eval' });
  }
}

/** The low-precision dtype an expression names (`torch.float16`, `torch.half`), if any. */
function lowPrecision(node: Node, scope: FileScope): PrecisionEvidence['value'] | undefined {
  const parts = dottedParts(node, scope.read);
  const qualified = parts && qualify(parts, scope.imports);
  return qualified ? LOW_PRECISION.get(qualified) : undefined;
}

/** autocast without a dtype: float16 on CUDA (and `torch.cuda.amp`), bfloat16 on CPU. */
function autocastDefault(
  autocast: string,
  device: Node | undefined,
  scope: FileScope,
): PrecisionEvidence['value'] | undefined {
  if (autocast === 'torch.cuda.amp.autocast') {
    return 'float16';
  }
  if (autocast === 'torch.cpu.amp.autocast') {
    return 'bfloat16';
  }
  const type = device && scope.values.evaluate(device)?.value;
  return type === 'cuda' ? 'float16' : type === 'cpu' ? 'bfloat16' : undefined;
}

function nameText(target: Node, scope: FileScope): string | undefined {
  if (target.type === 'identifier') {
    return scope.read(target);
  }
  if (target.type === 'attribute') {
    const attribute = target.childForFieldName('attribute');
    return attribute ? scope.read(attribute) : undefined;
  }
  return target.type === 'string' ? stringValue(target, scope) : undefined;
}

function stringValue(node: Node, scope: FileScope): string | undefined {
  const value = scope.values.evaluate(node)?.value;
  return typeof value === 'string' ? value : undefined;
}

function hint(value: number, origin: string, node: Node): BatchSizeEvidence {
  return { value, origin, range: rangeOf(node), message: `batch size ${value} here` };
}

function precision(
  value: PrecisionEvidence['value'],
  origin: string,
  node: Node,
): PrecisionEvidence {
  return { value, origin, range: rangeOf(node), message: `${value} here` };
}

function mode(
  switched: ModeEvidence['mode'],
  target: string,
  node: Node,
  scope: FileScope,
): ModeEvidence {
  return { mode: switched, target, range: rangeOf(node), message: `${scope.read(node)} here` };
}
