/** Batch-size evidence: `DataLoader(dataset, batch_size=N)` with N known statically. */
import type { Node } from 'web-tree-sitter';
import type { BatchSizeEvidence, SourceRange, TextEdit } from '../model';
import { splitArguments } from './arguments';
import { argumentRange, insertKeyword } from './edits';
import type { FileScope } from './file-scope';
import { resolveCallee } from './file-scope';
import { rangeOf } from '../syntax/ranges';

/** Qualified names under which PyTorch's DataLoader is importable. */
const DATA_LOADERS = new Set([
  'torch.utils.data.DataLoader',
  'torch.utils.data.dataloader.DataLoader',
]);

/** True when the qualified name is PyTorch's DataLoader. */
export function isDataLoader(qualifiedName: string): boolean {
  return DATA_LOADERS.has(qualifiedName);
}

/** Positions of `batch_size` and `drop_last` in `DataLoader`'s signature. */
const BATCH_SIZE_POSITION = 1;
const DROP_LAST_POSITION = 8;

/** Loader names that say they only feed evaluation, where BatchNorm uses running statistics. */
const EVAL_NAME = /(^|_|\b)(val|valid|validation|test|eval|evaluation|dev)(_|\b|loader|$)/i;
const TRAIN_NAME = /train/i;

/**
 * DataLoader evidence from a PyTorch source, with what a `drop_last=True` quick fix needs. Its
 * `range` (from {@link BatchSizeEvidence}) is the whole `DataLoader(…)` call; `dropLast` is set
 * when the written `drop_last` folds to a boolean.
 */
export interface LoaderBatchSizeEvidence extends BatchSizeEvidence {
  /** The loader's argument list, `(` to `)` inclusive: where a new keyword goes. */
  readonly argumentsRange: SourceRange;
  /**
   * The `drop_last` argument as written, when the call writes one: the whole `drop_last=False` for
   * a keyword, the value alone for the ninth positional argument.
   */
  readonly dropLastRange?: SourceRange;
  /** The `drop_last` value alone (`False`, `args.drop_last`), when written. */
  readonly dropLastValueRange?: SourceRange;
  /**
   * The edit that makes the loader drop its trailing short batch: the written value replaced by
   * `True`, or `, drop_last=True` inserted before the closing parenthesis. Absent when the value
   * already folds to `True`, when a `**kwargs` could set `drop_last` (an inserted keyword would then
   * raise a duplicate-argument error), or when the call has no closing parenthesis.
   */
  readonly enableDropLast?: TextEdit;
}

/** The loader facts of a batch-size evidence from a PyTorch source, else undefined. */
export function loaderFacts(evidence: BatchSizeEvidence): LoaderBatchSizeEvidence | undefined {
  return 'argumentsRange' in evidence ? (evidence as LoaderBatchSizeEvidence) : undefined;
}

/**
 * Evidence from a DataLoader call whose `batch_size` folds to a number, else undefined. A
 * `batch_size=args.batch_size` takes the default of the argparse option with that destination.
 */
export function batchSizeOf(
  call: Node,
  scope: FileScope,
  argparseDefaults: ReadonlyMap<string, BatchSizeEvidence> = new Map(),
): LoaderBatchSizeEvidence | undefined {
  const callee = resolveCallee(call, scope);
  if (!callee || !DATA_LOADERS.has(callee.qualifiedName)) {
    return undefined;
  }
  const argumentList = call.childForFieldName('arguments');
  const args = splitArguments(argumentList, scope.read);
  const argument = args.keywords.get('batch_size') ?? args.positional[BATCH_SIZE_POSITION];
  const folded = argument && foldBatchSize(argument, scope, argparseDefaults);
  if (!argument || !folded || !argumentList) {
    return undefined;
  }
  const definitions = folded.definitions;
  const written = `${callee.text}(batch_size=${scope.read(argument)})`;
  const dropLastArgument = args.keywords.get('drop_last') ?? args.positional[DROP_LAST_POSITION];
  const dropLast = dropLastArgument && scope.values.evaluate(dropLastArgument)?.value;
  const purpose = loaderPurpose(call, scope);
  const enableDropLast = dropLastArgument
    ? dropLast === true
      ? undefined
      : { range: rangeOf(dropLastArgument), newText: 'True' }
    : args.dictSplat
      ? undefined
      : insertKeyword(argumentList, 'drop_last=True');
  return {
    value: folded.value,
    origin: [written, ...definitions].join(', '),
    range: rangeOf(call),
    message: `batch_size=${folded.value} here`,
    ...(purpose ? { purpose } : {}),
    ...(typeof dropLast === 'boolean' ? { dropLast } : {}),
    argumentsRange: rangeOf(argumentList),
    ...(dropLastArgument
      ? {
          dropLastRange: argumentRange(dropLastArgument),
          dropLastValueRange: rangeOf(dropLastArgument),
        }
      : {}),
    ...(enableDropLast ? { enableDropLast } : {}),
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
