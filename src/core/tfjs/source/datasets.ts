/**
 * Batch-size evidence from tf.data pipelines: `ds.batch(n)` where `ds` is built from `tf.data.*`
 * (through variables and chained `.map/.shuffle/.prefetch/…`), and which of those batches
 * `model.fitDataset` trains on (or `evaluateDataset` / `validationData` only evaluates).
 * A `.batch(n)` on anything else is not a dataset batch unless it flows into one of those calls.
 */
import type { Node } from 'web-tree-sitter';
import type { BatchSizeEvidence } from '../../model';
import { rangeOf } from '../../syntax/ranges';
import { argumentsOf } from './arguments';
import type { SourceScope } from './sites';
import { unwrap } from './syntax';
import type { VariableWrites } from './writes';

/** tf.data.Dataset methods that return a dataset with the same batch structure (or batch it). */
const PIPELINE_METHODS = new Set([
  'batch',
  'map',
  'mapAsync',
  'shuffle',
  'filter',
  'prefetch',
  'repeat',
  'take',
  'skip',
  'concatenate',
]);

/** How many variables and chained calls are followed from a use back to its `.batch(n)`. */
const MAX_HOPS = 24;

/** Dataset and loader names that say they only feed evaluation. */
const EVAL_NAME = /(^|_|\b)(val|valid|validation|test|eval|evaluation|dev)/i;

/** What a `.batch(n)` call is used for, and through which call. */
interface Flow {
  readonly purpose: 'train' | 'eval';
  /** e.g. `fitDataset(trainDs)`. */
  readonly via: string;
}

/** The dataset batches of one file, indexed by their `.batch(n)` calls. */
export class DatasetBatches {
  /** Per `.batch(n)` call id, the first training flow or else the first evaluation flow. */
  private readonly flows = new Map<number, Flow>();

  constructor(
    calls: readonly Node[],
    private readonly scope: SourceScope,
    private readonly writes: VariableWrites,
  ) {
    for (const call of calls) {
      const method = methodOf(call, scope);
      if (method !== 'fitDataset' && method !== 'evaluateDataset') {
        continue;
      }
      const args = argumentsOf(call);
      if (method === 'fitDataset' && args[0]) {
        this.record(args[0], { purpose: 'train', via: `fitDataset(${short(args[0], scope)})` });
        const config = args[1] && scope.values.entries(args[1]);
        const validation = config?.entries.get('validationData');
        if (validation) {
          const via = `fitDataset validationData ${short(validation.value, scope)}`;
          this.record(validation.value, { purpose: 'eval', via });
        }
      } else if (method === 'evaluateDataset' && args[0]) {
        this.record(args[0], { purpose: 'eval', via: `evaluateDataset(${short(args[0], scope)})` });
      }
    }
  }

  /**
   * The evidence of a `.batch(n)` call with a known size: fed to `fitDataset` (train), to
   * `evaluateDataset` or `validationData` (eval), or built on `tf.data.*` (purpose from the
   * variable's name). Undefined for any other call.
   */
  evidence(call: Node): BatchSizeEvidence | undefined {
    const callee = call.childForFieldName('function');
    const property =
      callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
    if (!property || this.scope.read(property) !== 'batch') {
      return undefined;
    }
    const flow = this.flows.get(call.id);
    if (!flow && !this.fromTfData(call, 0)) {
      return undefined;
    }
    const [size] = argumentsOf(call);
    const folded = size && this.scope.values.evaluate(size);
    if (!size || typeof folded?.value !== 'number') {
      return undefined;
    }
    const written = `.batch(${this.scope.read(size)})`;
    const purpose = flow?.purpose ?? namedPurpose(call, this.scope);
    return {
      value: folded.value,
      origin: flow ? `${flow.via} with ${written}` : `dataset${written}`,
      // From `batch` to the closing parenthesis: the part of the chain that sets the size.
      range: { start: rangeOf(property).start, end: rangeOf(call).end },
      message: `dataset batches of ${folded.value} here`,
      ...(purpose ? { purpose } : {}),
    };
  }

  /** Marks every `.batch(n)` that `dataset` may come from; training wins over evaluation. */
  private record(dataset: Node, flow: Flow): void {
    for (const batch of this.batchesOf(dataset, 0)) {
      const known = this.flows.get(batch.id);
      if (!known || (known.purpose === 'eval' && flow.purpose === 'train')) {
        this.flows.set(batch.id, flow);
      }
    }
  }

  /** The outermost `.batch(n)` calls a dataset expression comes from. */
  private batchesOf(raw: Node, hops: number): Node[] {
    const node = unwrap(raw);
    if (hops > MAX_HOPS) {
      return [];
    }
    if (node.type === 'identifier') {
      const write = this.writes.reaching(this.scope.read(node), node);
      return write ? this.batchesOf(write, hops + 1) : [];
    }
    if (node.type === 'ternary_expression') {
      return ['consequence', 'alternative'].flatMap((field) => {
        const branch = node.childForFieldName(field);
        return branch ? this.batchesOf(branch, hops + 1) : [];
      });
    }
    const method = methodOf(node, this.scope);
    if (method === 'batch') {
      return [node];
    }
    const object = node.childForFieldName('function')?.childForFieldName('object');
    return method !== undefined && PIPELINE_METHODS.has(method) && object
      ? this.batchesOf(object, hops + 1)
      : [];
  }

  /** True when the pipeline `node` ends starts at a `tf.data.*(…)` call. */
  private fromTfData(raw: Node, hops: number): boolean {
    const node = unwrap(raw);
    if (hops > MAX_HOPS) {
      return false;
    }
    if (node.type === 'identifier') {
      const write = this.writes.reaching(this.scope.read(node), node);
      return write !== undefined && this.fromTfData(write, hops + 1);
    }
    if (node.type !== 'call_expression') {
      return false;
    }
    const callee = node.childForFieldName('function');
    if (callee && this.scope.names.resolve(callee, this.scope.read)?.startsWith('tf.data.')) {
      return true;
    }
    const method = methodOf(node, this.scope);
    const object = callee?.childForFieldName('object');
    return method !== undefined && PIPELINE_METHODS.has(method) && object
      ? this.fromTfData(object, hops + 1)
      : false;
  }
}

/** Longest argument text quoted in an origin; longer ones read `…`. */
const SHORT = 24;

/** An argument as written when it is short and on one line (`trainDs`), else `…`. */
function short(node: Node, scope: SourceScope): string {
  const text = scope.read(node);
  return text.length <= SHORT && !text.includes('\n') ? text : '…';
}

/** The method name of `x.method(…)`, or undefined for other expressions. */
function methodOf(node: Node, scope: SourceScope): string | undefined {
  const callee = node.type === 'call_expression' ? node.childForFieldName('function') : null;
  const property =
    callee?.type === 'member_expression' ? callee.childForFieldName('property') : null;
  return property ? scope.read(property) : undefined;
}

/** `const valDs = ….batch(n)` feeds evaluation; `trainDs` training; other names say nothing. */
function namedPurpose(call: Node, scope: SourceScope): 'train' | 'eval' | undefined {
  let node: Node = call;
  while (node.parent && ['member_expression', 'call_expression'].includes(node.parent.type)) {
    node = node.parent;
  }
  const parent = node.parent;
  const target =
    parent?.type === 'variable_declarator'
      ? parent.childForFieldName('name')
      : parent?.type === 'assignment_expression'
        ? parent.childForFieldName('left')
        : null;
  const name = target ? scope.read(target) : '';
  if (EVAL_NAME.test(name)) {
    return 'eval';
  }
  return /train/i.test(name) ? 'train' : undefined;
}
