/**
 * PyTorch source extraction: normalization sites with their effective parameters, and the file
 * context (batch sizes) that rules need. Reads a tree-sitter syntax tree; never runs user code.
 */
import type { Node, Parser, Tree } from 'web-tree-sitter';
import type { AnalysisError, BatchSizeEvidence, FileContext, NormSite } from '../model';
import { batchSizeOf } from './batch-size';
import type { FileScope } from './file-scope';
import { IMPORT_NODE_TYPES, collectImports } from './imports';
import { ReferenceResolver } from './references';
import type { ParsePlan } from './regions';
import { planParse } from './regions';
import type { UnresolvedCall } from './sites';
import { examineCall } from './sites';
import { textReader } from './ranges';
import { syntaxErrors } from './syntax-errors';
import { ValueResolver, collectConstants } from './values';

/** Where the file sits in its import tree, so relative imports can be followed. */
export interface PythonFileOptions {
  /** The dotted module name, e.g. `torchvision.models.resnet` (`pkg` for `pkg/__init__.py`). */
  readonly module?: string;
  /** True for a package's `__init__.py`, whose relative imports start at the package itself. */
  readonly isPackage?: boolean;
}

/** What {@link extractPython} found in one Python file. */
export interface PythonExtraction {
  readonly sites: readonly NormSite[];
  readonly context: FileContext;
  readonly errors: readonly AnalysisError[];
  /** Calls that may build a norm layer through a value NormLens cannot follow statically. */
  readonly unresolved: readonly UnresolvedCall[];
}

export type { UnresolvedCall } from './sites';

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
  const sites: NormSite[] = [];
  const batchSizes: BatchSizeEvidence[] = [];
  const errors: AnalysisError[] = [];
  const unresolved: UnresolvedCall[] = [];
  try {
    errors.push(...syntaxErrors(tree.rootNode));
    const nodes = tree.rootNode.descendantsOfType(['call', ...IMPORT_NODE_TYPES]);
    const read = textReader(text);
    const imports = nodes.filter((node): node is Node => node !== null && node.type !== 'call');
    const scope: FileScope = {
      imports: collectImports(imports, read, packagePath(options)),
      values: new ValueResolver(collectConstants(tree.rootNode, read), read),
      read,
    };
    const references = new ReferenceResolver(scope, tree.rootNode);
    for (const node of nodes) {
      if (node?.type !== 'call') {
        continue;
      }
      const outcome = examineCall(node, scope, references);
      if (outcome && 'site' in outcome) {
        sites.push(outcome.site);
        continue;
      }
      if (outcome) {
        unresolved.push(outcome.unresolved);
        continue;
      }
      const batchSize = batchSizeOf(node, scope);
      if (batchSize) {
        batchSizes.push(batchSize);
      }
    }
  } catch (error) {
    // A bug here must not take the editor down: report it and keep what was found so far.
    const reason = error instanceof Error ? error.message : String(error);
    errors.push({ message: `Python analysis stopped early: ${reason}`, kind: 'internal' });
  }
  return { sites, context: { batchSizes }, errors, unresolved };
}

/** The package a module's relative imports start from. */
function packagePath(options: PythonFileOptions): readonly string[] | undefined {
  const parts = options.module?.split('.');
  return parts && (options.isPackage ? parts : parts.slice(0, -1));
}
