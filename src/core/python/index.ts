/**
 * PyTorch source extraction: normalization sites with their effective parameters, and the file
 * context (batch sizes) that rules need. Reads a tree-sitter syntax tree; never runs user code.
 */
import type { Parser, Tree } from 'web-tree-sitter';
import type { AnalysisError, FileContext, ModeEvidence } from '../model';
import type { PythonNormSite } from './context';
import type { TextRegion } from './regions';
import { planParse } from './regions';
import type { UnresolvedCall } from './sites';
import type { ExtractionParts } from './statement-parts';
import { extractParts, extractionErrors, mergedEvidence } from './statement-parts';

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

/** What {@link parsePlanned} reads of a plan: parse everything, nothing, or the listed regions. */
export type PlannedRegions =
  | { readonly type: 'all' | 'none' }
  | { readonly type: 'regions'; readonly regions: readonly TextRegion[] };

/** Parses the regions of `plan` (all of `text` otherwise), reusing `oldTree` when given. */
export function parsePlanned(
  parser: Parser,
  text: string,
  plan: PlannedRegions,
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
  return extractionOf(tree, extractParts(tree, text, packagePath(options)), options);
}

/** The extraction of a file from its statements' parts. */
export function extractionOf(
  tree: Tree,
  extracted: ExtractionParts,
  options: PythonFileOptions = {},
): PythonExtraction {
  const evidence = mergedEvidence(extracted.parts);
  const claimed = new Set<ModeEvidence>();
  const sites = extracted.parts.flatMap((part) =>
    part.found.map(({ site, context }): PythonNormSite => {
      const modes = evidence.modes.filter((mode) => mode.target === context.binding);
      modes.forEach((mode) => claimed.add(mode));
      return { ...site, framework: 'pytorch', context: { ...context, modes } };
    }),
  );
  const fileModes = evidence.modes.filter((mode) => !claimed.has(mode));
  const context: FileContext = {
    batchSizes: extracted.parts.flatMap((part) => part.batchSizes),
    ...(evidence.batchSizeHints.length > 0 ? { batchSizeHints: evidence.batchSizeHints } : {}),
    ...(evidence.precision.length > 0 ? { precision: evidence.precision } : {}),
    ...(fileModes.length > 0 ? { modes: fileModes } : {}),
    ...(options.torchVersion ? { torchVersion: { version: options.torchVersion } } : {}),
  };
  return {
    sites,
    context,
    errors: extractionErrors(tree, extracted),
    unresolved: extracted.parts.flatMap((part) => part.unresolved),
  };
}

/** The package a module's relative imports start from. */
export function packagePath(options: PythonFileOptions): readonly string[] | undefined {
  const parts = options.module?.split('.');
  return parts && (options.isPackage ? parts : parts.slice(0, -1));
}
