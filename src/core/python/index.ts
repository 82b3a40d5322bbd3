/**
 * PyTorch source extraction: normalization sites with their effective parameters, and the file
 * context (batch sizes) that rules need. Reads a tree-sitter syntax tree; never runs user code.
 */
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type {
  AnalysisError,
  BatchSizeEvidence,
  FileContext,
  ModeEvidence,
  NormSite,
} from '../model';
import { batchSizeOf } from './batch-size';
import { CallTriage } from './call-triage';
import type { PythonNormSite, PythonSiteContext } from './context';
import { SiteContextFinder } from './context';
import type { FileEvidence } from './evidence';
import { EVIDENCE_NODE_TYPES, collectEvidence, emptyEvidence } from './evidence';
import type { FileScope } from './file-scope';
import { IMPORT_NODE_TYPES, collectImports } from './imports';
import { ReferenceResolver } from './references';
import type { ParsePlan } from './regions';
import { planParse } from './regions';
import type { UnresolvedCall } from './sites';
import { examineCall } from './sites';
import { textReader } from '../syntax/ranges';
import { syntaxErrors } from '../syntax/syntax-errors';
import { ValueResolver, collectConstants } from './values';

/** Where the file sits in its import tree, so relative imports can be followed. */
export interface PythonFileOptions {
  /** The dotted module name, e.g. `torchvision.models.resnet` (`pkg` for `pkg/__init__.py`). */
  readonly module?: string;
  /** True for a package's `__init__.py`, whose relative imports start at the package itself. */
  readonly isPackage?: boolean;
  /**
   * The torch version the project pins (read by the host from requirements.txt or pyproject), so
   * fixes can depend on API availability.
   */
  readonly torchVersion?: string;
}

/** What {@link extractPython} found in one Python file. */
export interface PythonExtraction {
  readonly sites: readonly PythonNormSite[];
  readonly context: FileContext;
  readonly errors: readonly AnalysisError[];
  /** Calls that may build a norm layer through a value NormLens cannot follow statically. */
  readonly unresolved: readonly UnresolvedCall[];
}

export type { UnresolvedCall } from './sites';
export type {
  DropoutBefore,
  ProducerVia,
  PythonNormSite,
  PythonProducer,
  PythonSiteContext,
} from './context';
export { pythonContext } from './context';
export type { LoaderBatchSizeEvidence } from './batch-size';
export { loaderFacts } from './batch-size';

/**
 * Parses and analyses one Python file, parsing only the top-level statements that can hold a site
 * or the context and names they need ({@link planParse}); a file that cannot hold a site is not
 * parsed at all. Syntax errors are reported for the parsed statements only. Never throws.
 */
export function analyzePythonText(
  parser: Parser,
  text: string,
  options: PythonFileOptions = {},
): PythonExtraction {
  const plan = planParse(text);
  if (plan.type === 'none') {
    return { sites: [], context: { batchSizes: [] }, errors: [], unresolved: [] };
  }
  const tree = parsePlanned(parser, text, plan);
  if (!tree) {
    const message = 'Python analysis stopped early: the parser returned no tree';
    return {
      sites: [],
      context: { batchSizes: [] },
      errors: [{ message, kind: 'internal' }],
      unresolved: [],
    };
  }
  try {
    return extractPython(tree, text, options);
  } finally {
    tree.delete();
  }
}

/** Parses the regions of `plan` (all of `text` for `all`), reusing `oldTree` when given. */
export function parsePlanned(
  parser: Parser,
  text: string,
  plan: ParsePlan,
  oldTree?: Tree,
): Tree | null {
  if (plan.type !== 'regions') {
    return parser.parse(text, oldTree);
  }
  const regions = plan.regions;
  // Handing the parser one region at a time spares copying text it will skip.
  const read = (index: number): string => {
    const region = regions.find((candidate) => candidate.endIndex > index);
    return region ? text.slice(index, region.endIndex) : '';
  };
  return parser.parse(read, oldTree, { includedRanges: [...regions] });
}

/**
 * Pure: reads the syntax tree of one Python file. Never throws on any input (syntax errors give
 * results for the intact parts and an entry in errors).
 */
export function extractPython(
  tree: Tree,
  text: string,
  options: PythonFileOptions = {},
): PythonExtraction {
  const found: { site: NormSite; context: Omit<PythonSiteContext, 'modes'> }[] = [];
  const errors: AnalysisError[] = [];
  const unresolved: UnresolvedCall[] = [];
  const evidence = emptyEvidence();
  const loaders: Node[] = [];
  let scope: FileScope | undefined;
  try {
    errors.push(...syntaxErrors(tree.rootNode));
    // Assignments and dict pairs only matter for batch-size hints; most files name none.
    const nodes = tree.rootNode.descendantsOfType([
      'call',
      ...IMPORT_NODE_TYPES,
      ...(BATCH_WORD.test(text) ? EVIDENCE_NODE_TYPES : []),
    ]);
    const read = textReader(text);
    // Each `type` read crosses into WebAssembly, so it is read once per node.
    const types = nodes.map((node) => node?.type);
    const imports = nodes.filter(
      (node, index): node is Node => node !== null && IMPORT_TYPES.has(types[index] ?? ''),
    );
    scope = {
      imports: collectImports(imports, read, packagePath(options)),
      values: new ValueResolver(collectConstants(tree.rootNode, read), read),
      read,
    };
    const references = new ReferenceResolver(scope, tree.rootNode);
    const contexts = new SiteContextFinder(scope);
    const triage = new CallTriage(text, scope.imports, tree.rootNode);
    nodes.forEach((node, index) => {
      const type = types[index];
      if (!node || !scope || IMPORT_TYPES.has(type ?? '')) {
        return;
      }
      if (type !== 'call') {
        collectEvidence(node, scope, evidence);
        return;
      }
      const needs = triage.needs(node, nextCallStartsAt(nodes, types, index, node.startIndex));
      const outcome = needs.site ? examineCall(node, scope, references) : undefined;
      if (outcome && 'site' in outcome) {
        const context = outcome.builder
          ? contexts.builderContextOf(node, outcome.builder)
          : contexts.contextOf(node);
        found.push({ site: outcome.site, context });
      } else if (outcome) {
        unresolved.push(outcome.unresolved);
      } else {
        if (needs.evidence) {
          collectEvidence(node, scope, evidence);
        }
        if (needs.loader) {
          loaders.push(node);
        }
      }
    });
  } catch (error) {
    // A bug here must not take the editor down: report it and keep what was found so far.
    const reason = error instanceof Error ? error.message : String(error);
    errors.push({ message: `Python analysis stopped early: ${reason}`, kind: 'internal' });
  }
  const batchSizes = scope ? loaderEvidence(loaders, scope, evidence) : [];
  const claimed = new Set<ModeEvidence>();
  const sites = found.map(({ site, context }): PythonNormSite => {
    const modes = evidence.modes.filter((mode) => mode.target === context.binding);
    modes.forEach((mode) => claimed.add(mode));
    return { ...site, framework: 'pytorch', context: { ...context, modes } };
  });
  const fileModes = evidence.modes.filter((mode) => !claimed.has(mode));
  const context: FileContext = {
    batchSizes,
    ...(evidence.batchSizeHints.length > 0 ? { batchSizeHints: evidence.batchSizeHints } : {}),
    ...(evidence.precision.length > 0 ? { precision: evidence.precision } : {}),
    ...(fileModes.length > 0 ? { modes: fileModes } : {}),
    ...(options.torchVersion ? { torchVersion: { version: options.torchVersion } } : {}),
  };
  return { sites, context, errors, unresolved };
}

const IMPORT_TYPES: ReadonlySet<string> = new Set(IMPORT_NODE_TYPES);

/** Spellings of a batch-size name that an assignment or dict key can hold. */
const BATCH_WORD = /batch[-_]?size|\bbs\b/i;

/** DataLoader evidence; a batch size read from argparse (`args.batch_size`) uses its default. */
function loaderEvidence(
  loaders: readonly Node[],
  scope: FileScope,
  evidence: FileEvidence,
): BatchSizeEvidence[] {
  const batchSizes: BatchSizeEvidence[] = [];
  for (const node of loaders) {
    const batchSize = batchSizeOf(node, scope, evidence.argparseDefaults);
    if (batchSize) {
      batchSizes.push(batchSize);
    }
  }
  return batchSizes;
}

/** True when the next call after `index` in document order starts at `startIndex`. */
function nextCallStartsAt(
  nodes: readonly (Node | null)[],
  types: readonly (string | undefined)[],
  index: number,
  startIndex: number,
): boolean {
  for (let next = index + 1; next < nodes.length; next++) {
    if (types[next] === 'call') {
      return nodes[next]?.startIndex === startIndex;
    }
  }
  return false;
}

/** The package a module's relative imports start from. */
function packagePath(options: PythonFileOptions): readonly string[] | undefined {
  const parts = options.module?.split('.');
  return parts && (options.isPackage ? parts : parts.slice(0, -1));
}
