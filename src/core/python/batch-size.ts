/** Batch-size evidence: `DataLoader(dataset, batch_size=N)` with N known statically. */
import type { Node } from 'web-tree-sitter';
import type { BatchSizeEvidence } from '../model';
import { splitArguments } from './arguments';
import type { FileScope } from './file-scope';
import { resolveCallee } from './file-scope';
import { rangeOf } from '../syntax/ranges';

/** Qualified names under which PyTorch's DataLoader is importable. */
const DATA_LOADERS = new Set([
  'torch.utils.data.DataLoader',
  'torch.utils.data.dataloader.DataLoader',
]);

/** Positions of `batch_size` and `drop_last` in `DataLoader`'s signature. */
const BATCH_SIZE_POSITION = 1;
const DROP_LAST_POSITION = 8;

/** Loader names that say they only feed evaluation, where BatchNorm uses running statistics. */
const EVAL_NAME = /(^|_|\b)(val|valid|validation|test|eval|evaluation|dev)(_|\b|loader|$)/i;
const TRAIN_NAME = /train/i;

/**
 * Evidence from a DataLoader call whose `batch_size` folds to a number, else undefined. A
 * `batch_size=args.batch_size` takes the default of the argparse option with that destination.
 */
export function batchSizeOf(
  call: Node,
  scope: FileScope,
  argparseDefaults: ReadonlyMap<string, BatchSizeEvidence> = new Map(),
): BatchSizeEvidence | undefined {
  const callee = resolveCallee(call, scope);
  if (!callee || !DATA_LOADERS.has(callee.qualifiedName)) {
    return undefined;
  }
  const args = splitArguments(call.childForFieldName('arguments'), scope.read);
  const argument = args.keywords.get('batch_size') ?? args.positional[BATCH_SIZE_POSITION];
  const folded = argument && foldBatchSize(argument, scope, argparseDefaults);
  if (!argument || !folded) {
    return undefined;
  }
  const definitions = folded.definitions;
  const written = `${callee.text}(batch_size=${scope.read(argument)})`;
  const dropLastArgument = args.keywords.get('drop_last') ?? args.positional[DROP_LAST_POSITION];
  const dropLast = dropLastArgument && scope.values.evaluate(dropLastArgument)?.value;
  const purpose = loaderPurpose(call, scope);
  return {
    value: folded.value,
    origin: [written, ...definitions].join(', '),
    range: rangeOf(call),
    message: `batch_size=${folded.value} here`,
    ...(purpose ? { purpose } : {}),
    ...(typeof dropLast === 'boolean' ? { dropLast } : {}),
  };
}

/** The batch size an argument folds to, with the definitions it was folded from. */
function foldBatchSize(
  argument: Node,
  scope: FileScope,
  argparseDefaults: ReadonlyMap<string, BatchSizeEvidence>,
): { readonly value: number; readonly definitions: readonly string[] } | undefined {
  const folded = scope.values.evaluate(argument);
  if (typeof folded?.value === 'number') {
    return { value: folded.value, definitions: folded.constants.map((constant) => constant.text) };
  }
  // `args.batch_size` after `args = parser.parse_args()`: the option's default.
  const attribute = argument.type === 'attribute' ? argument.childForFieldName('attribute') : null;
  const option = attribute ? argparseDefaults.get(scope.read(attribute)) : undefined;
  return option && { value: option.value, definitions: [option.origin] };
}

/** What the loader feeds, judged by the name it is assigned to (`val_loader = DataLoader(…)`). */
function loaderPurpose(call: Node, scope: FileScope): 'train' | 'eval' | undefined {
  const parent = call.parent;
  const target = parent?.type === 'assignment' ? parent.childForFieldName('left') : null;
  const name = target ? scope.read(target) : '';
  if (EVAL_NAME.test(name)) {
    return 'eval';
  }
  return TRAIN_NAME.test(name) ? 'train' : undefined;
}
