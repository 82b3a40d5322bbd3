/**
 * Analysis of one input: parse, extract normalization sites and evidence, run the rules, apply
 * inline suppressions. One analyzer per host process; it keeps one parser per grammar (parsing is
 * synchronous and parsers are reusable).
 */
import type { Parser } from 'web-tree-sitter';
import type { ByteSource } from './bytes/byte-source';
import type { AnalysisError, FileContext, FileReport, InputLanguage, NormSite } from './model';
import { analyzePythonText, type PythonFileOptions } from './python/index';
import { CodeFactsDocument, findCodeFacts, type FactUses } from './python/code-patterns';
import { PythonDocument, type TextChange } from './python/incremental';
import {
  OnnxFormatError,
  OnnxReadAbortedError,
  detectNormSites,
  readOnnxModel,
  weightHealthOfSites,
  type AbortSignalLike,
  type ExternalResolver,
  type WeightHealth,
} from './onnx/index';
import { needsWeights, runRules, weightHealthOptions, type RuleConfig } from './rules/engine';
import { RULES } from './rules/registry';
import { applySuppressions } from './rules/suppression';
import type { GrammarName, ParserFactory } from './syntax/parsers';
import { ParserFailure } from './syntax/resilient-parser';
import { DEFAULT_SOURCE_LIMITS, editedLimitError, sourceLimitError } from './syntax/source-limits';
import { LineIndex } from './text/line-index';
import { analyzeTfjsModelJson, extractTfjs, type TfjsModelJsonResult } from './tfjs/index';

/** Options of one ONNX model analysis. */
export interface OnnxAnalyzeOptions extends AnalyzeOptions {
  /** Opens an external-data file named by the model (the host refuses paths leaving its folder). */
  readonly resolveExternal?: ExternalResolver;
  readonly signal?: AbortSignalLike;
}

/** Options of one analysis run. */
export interface AnalyzeOptions {
  readonly rules?: RuleConfig;
  /** The file's module name, so relative imports can be followed (hosts with file access set it). */
  readonly python?: PythonFileOptions;
  /**
   * The host's `maxFileSizeKB`: a source text longer than this many KB (of UTF-16 units) is not
   * parsed and its report holds one `limit` error. Defaults to 2048, the setting's default.
   */
  readonly maxFileSizeKB?: number;
}

/** Source languages NormLens analyses. */
export type SourceLanguage = Extract<InputLanguage, 'python' | 'javascript' | 'typescript'>;

/** A source file's language and the grammar that parses it. */
export interface SourceKind {
  readonly language: SourceLanguage;
  readonly grammar: GrammarName;
}

const SOURCE_KINDS: readonly (readonly [RegExp, SourceKind])[] = [
  [/\.pyi?$/i, { language: 'python', grammar: 'python' }],
  [/\.(?:js|mjs|cjs|jsx)$/i, { language: 'javascript', grammar: 'javascript' }],
  [/\.(?:ts|mts|cts)$/i, { language: 'typescript', grammar: 'typescript' }],
  [/\.tsx$/i, { language: 'typescript', grammar: 'tsx' }],
];

/** The source kind of a file path, by extension (`.d.ts` declarations hold no calls). */
export function sourceKindOf(path: string): SourceKind | undefined {
  if (/\.d\.[cm]?ts$/i.test(path)) {
    return undefined;
  }
  return SOURCE_KINDS.find(([pattern]) => pattern.test(path))?.[1];
}

/** The source language of a file path, by extension. */
export function sourceLanguageOf(path: string): SourceLanguage | undefined {
  return sourceKindOf(path)?.language;
}

/** True for a TensorFlow.js layers- or graph-model file name (`model.json`, `*.model.json`). */
export function isTfjsModelJsonPath(path: string): boolean {
  return /(?:^|[/\\.])model\.json$/i.test(path);
}

/** What a file would be analysed as, by name: a model, a model.json or a source language. */
export function inputLanguageOf(path: string): InputLanguage | undefined {
  if (/\.onnx$/i.test(path)) {
    return 'onnx';
  }
  return isTfjsModelJsonPath(path) ? 'tfjs-model' : sourceLanguageOf(path);
}

/**
 * Every tfjs site form names one of these tokens (`tf.layers.batchNormalization`, `tf.batchNorm`,
 * `tf.moments`, …). A script without any of them is not parsed, which keeps large bundles cheap.
 */
const TFJS_TOKENS = /tfjs|batchNorm|layerNormalization|localResponseNormalization|moments/;

/**
 * An open Python document analysed incrementally: each update reuses the syntax tree of the last
 * one. Call {@link dispose} when the document closes.
 */
export interface PythonSession {
  /** The report for the text last analysed. */
  readonly report: FileReport;
  /** The text last analysed. */
  readonly text: string;
  /**
   * Re-analyses after edits. `changes` turn the previous text into `text`, in the order they were
   * applied; without them, or when they cannot lead to `text`, the text is parsed afresh.
   * `rules` replaces the rule configuration given when the session was opened.
   */
  update(text: string, changes?: readonly TextChange[], rules?: RuleConfig): FileReport;
  /** Frees the syntax tree; the session must not be used afterwards. */
  dispose(): void;
}

/** Parses and analyses source texts and model files. */
export class SourceAnalyzer {
  private readonly parsers = new Map<GrammarName, Promise<Parser>>();

  constructor(private readonly factory: ParserFactory) {}

  /** The report for one Python text. Never throws for any text. */
  analyzePython(text: string, options: AnalyzeOptions = {}): Promise<FileReport> {
    return this.analyzeSource(text, { language: 'python', grammar: 'python' }, options);
  }

  /**
   * The report for one source text of the given kind. Never throws for any text: a text over the
   * limits, or one the parser fails on, gives a report with one `limit` error.
   */
  async analyzeSource(
    text: string,
    kind: SourceKind,
    options: AnalyzeOptions = {},
  ): Promise<FileReport> {
    const limit = sourceLimitError(text, kind.grammar, limitsOf(options));
    if (limit) {
      return emptyReport(kind.language, [limit]);
    }
    try {
      const parser = await this.parser(kind.grammar);
      const extraction =
        kind.language === 'python'
          ? withCodeFacts(parser, text, analyzePythonText(parser, text, options.python))
          : extractScript(parser, text);
      return sourceReport(kind.language, text, extraction, options.rules);
    } catch (error) {
      return failedReport(kind.language, error);
    }
  }

  /**
   * Opens an incremental analysis of one Python document (for editors: one per open document).
   * Its reports equal {@link analyzePython}'s for the same text and options.
   */
  async openPython(text: string, options: AnalyzeOptions = {}): Promise<PythonSession> {
    const parser = await this.parser('python');
    const limits = limitsOf(options);
    // No document while the text is over a limit or after the parser failed on it: the next
    // update then starts afresh.
    let document: PythonDocument | undefined;
    let facts: CodeFactsDocument | undefined;
    let current = text;
    let rules = options.rules;
    const analyse = (next: string, changes: readonly TextChange[] | undefined): FileReport => {
      const usable = changes && leadsTo(current, next, changes) ? changes : undefined;
      const edit = document && singleEdit(current, next, usable);
      const limit = edit
        ? editedLimitError(next, edit, 'python', limits)
        : sourceLimitError(next, 'python', limits);
      current = next;
      try {
        if (!limit) {
          const extraction = document
            ? document.update(next, usable)
            : (document = new PythonDocument(parser, next, options.python)).extraction;
          const uses = factUses(extraction);
          const codeFacts = facts
            ? facts.update(next, usable, uses)
            : (facts = new CodeFactsDocument(parser, next, uses)).facts;
          return sourceReport(
            'python',
            next,
            withCodeFacts(parser, next, extraction, codeFacts),
            rules,
          );
        }
      } catch (error) {
        close();
        return failedReport('python', error);
      }
      close();
      return emptyReport('python', [limit]);
    };
    const close = () => {
      document?.dispose();
      document = undefined;
      facts?.dispose();
      facts = undefined;
    };
    let report = analyse(text, undefined);
    return {
      get report() {
        return report;
      },
      get text() {
        return current;
      },
      update(next, changes, nextRules) {
        rules = nextRules ?? rules;
        report = analyse(next, changes);
        return report;
      },
      dispose() {
        close();
      },
    };
  }

  /** The report for a tfjs `model.json`; weights are read through `loadShard` only when needed. */
  async analyzeModelJson(
    text: string,
    loadShard?: (path: string) => Promise<ByteSource>,
    options: AnalyzeOptions = {},
  ): Promise<FileReport> {
    return modelJsonReport(await analyzeTfjsModelJson(text, loadShard), options);
  }

  /**
   * The report for an ONNX model read lazily from `source`: its structure first, then the weights
   * of normalization layers only when a weight rule is enabled. A corrupt model gives one `invalid`
   * error with its byte offset, never an exception.
   */
  async analyzeOnnx(source: ByteSource, options: OnnxAnalyzeOptions = {}): Promise<FileReport> {
    try {
      const model = await readOnnxModel(source, {
        ...(options.resolveExternal ? { resolveExternal: options.resolveExternal } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const sites = await detectNormSites(model);
      const health = new Map<NormSite, WeightHealth>();
      const errors: AnalysisError[] = [];
      if (needsWeights(options.rules)) {
        const pass = weightHealthOfSites(model, sites, {
          ...weightHealthOptions(options.rules),
          ...(options.signal ? { signal: options.signal } : {}),
        });
        for await (const result of pass) {
          if ('health' in result) {
            health.set(result.site, result.health);
          } else {
            errors.push({
              message: `weights of ${result.site.location.nodes.join(', ')}: ${errorMessage(result.error)}`,
              kind: 'invalid',
            });
          }
        }
      }
      const context: FileContext = { batchSizes: [] };
      const ruled = runRules(sites, context, options.rules, RULES, (site) => {
        const weights = health.get(site);
        return weights ? { weights } : {};
      });
      return {
        language: 'onnx',
        sites,
        findings: ruled.findings,
        context,
        errors: [...errors, ...ruled.errors],
      };
    } catch (error) {
      if (error instanceof OnnxFormatError) {
        return emptyReport('onnx', [
          { message: error.message, offset: error.offset, kind: 'invalid' },
        ]);
      }
      if (error instanceof OnnxReadAbortedError) {
        return emptyReport('onnx', [{ message: 'analysis cancelled', kind: 'limit' }]);
      }
      return emptyReport('onnx', [{ message: errorMessage(error), kind: 'internal' }]);
    }
  }

  private parser(grammar: GrammarName): Promise<Parser> {
    let parser = this.parsers.get(grammar);
    if (!parser) {
      parser = this.factory.createParser(grammar);
      this.parsers.set(grammar, parser);
    }
    return parser;
  }
}

/**
 * True when `changes` can turn `from` into `to`: each lies within the text as edited so far and
 * the lengths add up. A host that lost an edit fails this and gets a fresh parse.
 */
function leadsTo(from: string, to: string, changes: readonly TextChange[]): boolean {
  let length = from.length;
  for (const change of changes) {
    if (change.startIndex > change.oldEndIndex || change.oldEndIndex > length) {
      return false;
    }
    length += change.newEndIndex - change.oldEndIndex;
  }
  return length === to.length;
}

/** The text one change removed from `previous` and inserted into `next`; undefined for several. */
function singleEdit(
  previous: string,
  next: string,
  changes: readonly TextChange[] | undefined,
): { removed: string; inserted: string } | undefined {
  const [change, ...more] = changes ?? [];
  return change && more.length === 0
    ? {
        removed: previous.slice(change.startIndex, change.oldEndIndex),
        inserted: next.slice(change.startIndex, change.newEndIndex),
      }
    : undefined;
}

/** Rules and suppressions over one source file's extraction. */
function sourceReport(
  language: SourceLanguage,
  text: string,
  extraction: Extraction,
  rules: RuleConfig | undefined,
): FileReport {
  const lines = new LineIndex(text);
  const sites = extraction.sites.map((site) => withCallee(site, lines));
  const ruled = runRules(sites, extraction.context, rules);
  return {
    language,
    sites,
    findings: applySuppressions(
      text,
      ruled.findings,
      language === 'python' ? 'python' : 'javascript',
    ),
    context: extraction.context,
    errors: [...extraction.errors, ...ruled.errors],
  };
}

interface Extraction {
  readonly sites: readonly NormSite[];
  readonly context: FileContext;
  readonly errors: readonly AnalysisError[];
}

/**
 * The facts about norm modules that the extraction's sites, or a convert_sync_batchnorm of the
 * file, can use; a file without such sites is not parsed again for them.
 */
function factUses(extraction: Extraction): FactUses {
  const variants = extraction.sites.map((site) => site.variant);
  return {
    instanceNorm: variants.some((variant) => variant.includes('InstanceNorm')),
    syncBatchNorm:
      variants.some((variant) => variant.includes('SyncBatchNorm')) ||
      (extraction.context.modes ?? []).some((mode) => mode.mode === 'sync-batchnorm'),
  };
}

/**
 * The extraction with the file's code facts (hand-written patterns, runtime set-up) in its
 * context: `codeFacts` when the caller keeps them (an editor session), else found in `text`, whose
 * statements holding the patterns' tokens are then parsed again.
 */
function withCodeFacts(
  parser: Parser,
  text: string,
  extraction: Extraction,
  codeFacts: FileContext['codeFacts'] = findCodeFacts(parser, text, factUses(extraction)),
): Extraction {
  return codeFacts ? { ...extraction, context: { ...extraction.context, codeFacts } } : extraction;
}

/** tfjs sites of a JavaScript/TypeScript text; a text without any tfjs token is not parsed. */
function extractScript(parser: Parser, text: string): Extraction {
  if (!TFJS_TOKENS.test(text)) {
    return { sites: [], context: { batchSizes: [] }, errors: [] };
  }
  const tree = parser.parse(text);
  if (!tree) {
    return {
      sites: [],
      context: { batchSizes: [] },
      errors: [{ message: 'the parser returned no tree', kind: 'internal' }],
    };
  }
  try {
    return extractTfjs(tree, text);
  } finally {
    tree.delete();
  }
}

/**
 * The report of an analysed model.json: the rules run over its layers, the weight rules
 * (running-var-invalid, dead-gamma) with each layer's health read from the shards.
 */
export function modelJsonReport(
  result: TfjsModelJsonResult,
  options: AnalyzeOptions = {},
): FileReport {
  const health = new Map((result.health ?? []).map((layer) => [layer.layer, layer]));
  const ruled = runRules(result.sites, result.context, options.rules, RULES, (site) => {
    const layer = site.location.type === 'graph' ? site.location.nodes[0] : undefined;
    const weights = layer === undefined ? undefined : health.get(layer);
    return weights ? { weights } : {};
  });
  return {
    language: 'tfjs-model',
    sites: result.sites,
    findings: ruled.findings,
    context: result.context,
    errors: [...result.errors, ...ruled.errors],
  };
}

/** The source limits with the host's size limit, when it passed one. */
function limitsOf(options: AnalyzeOptions) {
  return options.maxFileSizeKB === undefined
    ? DEFAULT_SOURCE_LIMITS
    : { ...DEFAULT_SOURCE_LIMITS, maxFileSizeKB: options.maxFileSizeKB };
}

/**
 * The report of a source analysis that threw: a parser failure is a `limit` (the file is skipped,
 * the next one parses normally), anything else a NormLens bug.
 */
function failedReport(language: SourceLanguage, error: unknown): FileReport {
  if (error instanceof ParserFailure) {
    return emptyReport(language, [{ message: error.message, kind: 'limit' }]);
  }
  return emptyReport(language, [
    { message: `analysis stopped: ${errorMessage(error)}`, kind: 'internal' },
  ]);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A report with nothing in it (no tfjs in the file, or a parser failure). */
export function emptyReport(
  language: InputLanguage,
  errors: readonly AnalysisError[] = [],
): FileReport {
  return { language, sites: [], findings: [], context: { batchSizes: [] }, errors };
}

/** The site with `callee` filled from its name range, so fixes can keep the user's spelling. */
function withCallee(site: NormSite, lines: LineIndex): NormSite {
  if (site.callee !== undefined || !site.nameRange) {
    return site;
  }
  return { ...site, callee: lines.slice(site.nameRange) };
}
