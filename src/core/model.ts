/**
 * The shared vocabulary of NormLens: what a normalization site is, what a finding is, and how
 * evidence points back into the source. Every surface (hover, Problems, CLI, panel) presents these.
 */

/** Zero-based position; `character` counts UTF-16 code units, as editors do. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A half-open range in one text document. */
export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

/** Severity scale of the rule catalog: error (a bug or crash) down to hint (performance or style). */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Ordered from most to least severe; used for `--fail-on` and sorting. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info', 'hint'];

/** The normalization families NormLens knows. `other` covers Lp/MVN-style normalizations. */
export type NormKind =
  'batchnorm' | 'layernorm' | 'instancenorm' | 'groupnorm' | 'rmsnorm' | 'lrn' | 'other';

/** The framework whose conventions apply to a site. */
export type Framework = 'pytorch' | 'tfjs' | 'onnx';

/** The kind of input a report was produced from. */
export type InputLanguage = 'python' | 'javascript' | 'typescript' | 'onnx' | 'tfjs-model';

/** Where a parameter's effective value came from. */
export type ParamSource = 'literal' | 'default' | 'constant' | 'unknown';

/** A parameter value as the framework would see it. `null` is Python's `None` (or unknown). */
export type ParamValue = number | boolean | string | null | readonly number[];

/** One parameter's effective value with its provenance. */
export interface Param {
  readonly value: ParamValue;
  readonly source: ParamSource;
  /** The argument's source text (a literal, a constant's name, an expression that was not folded). */
  readonly expression?: string;
  /** Where the value was written: the argument itself, or the constant's definition. */
  readonly origin?: SourceRange;
}

/** Where a site lives: a range in a source file, or the node names of a model graph. */
export type SiteLocation =
  | { readonly type: 'text'; readonly range: SourceRange }
  | { readonly type: 'graph'; readonly nodes: readonly string[] };

/** A fact that supports a finding, pointing at the line (or nodes) it came from. */
export interface Evidence {
  readonly message: string;
  readonly range?: SourceRange;
  readonly nodes?: readonly string[];
}

/** A batch size seen in the file, e.g. `DataLoader(ds, batch_size=2)`. */
export interface BatchSizeEvidence extends Evidence {
  readonly value: number;
  /** How the value was found, e.g. `DataLoader(batch_size=BATCH)` with BATCH = 2. */
  readonly origin: string;
  readonly range: SourceRange;
  /** `eval` for loaders that only feed evaluation (names like `val_loader`); BN is unaffected there. */
  readonly purpose?: 'train' | 'eval';
  /** `drop_last=True` on the loader: no trailing short batch. */
  readonly dropLast?: boolean;
}

/** A low-precision setting seen in the file (`torch.autocast(dtype=torch.float16)`, `.half()`). */
export interface PrecisionEvidence extends Evidence {
  readonly value: 'float16' | 'bfloat16';
  /** How it was written, e.g. `torch.autocast(dtype=torch.float16)`. */
  readonly origin: string;
  readonly range: SourceRange;
}

/**
 * A mode switch seen in the file: `eval`/`train` (`model.eval()`), `frozen`
 * (`requires_grad_(False)`), `sync-batchnorm` (`SyncBatchNorm.convert_sync_batchnorm(model)`).
 */
export interface ModeEvidence extends Evidence {
  readonly mode: 'eval' | 'train' | 'frozen' | 'sync-batchnorm';
  /** The module it applies to, as written (`model`, `self.bn1`). */
  readonly target: string;
  readonly range: SourceRange;
}

/** A framework version the project pins (from requirements.txt or pyproject, filled by the host). */
export interface VersionEvidence {
  /** As pinned, e.g. `1.13.1` or `>=2.1`. */
  readonly version: string;
  /** Where the pin was read, e.g. `requirements.txt`. */
  readonly origin?: string;
}

/** What the extraction learned about the file as a whole, used by rules. */
export interface FileContext {
  readonly batchSizes: readonly BatchSizeEvidence[];
  /**
   * Batch sizes not tied to a data loader: argparse `--batch-size` defaults, config dicts,
   * `batch_size = N`, example inputs (`torch.randn(1, …)`, purpose `eval`). Hints for rules that
   * want them; {@link batchSizes} holds only loader evidence.
   */
  readonly batchSizeHints?: readonly BatchSizeEvidence[];
  readonly precision?: readonly PrecisionEvidence[];
  /** Mode switches on whole models (per-site ones are in the site's context). */
  readonly modes?: readonly ModeEvidence[];
  readonly torchVersion?: VersionEvidence;
  /** Hand-written code patterns and runtime set-up seen in a Python file (rules NORM025/026/029/030). */
  readonly codeFacts?: CodeFacts;
}

/** An empty file context (no evidence found). */
export const EMPTY_CONTEXT: FileContext = { batchSizes: [] };

/** One normalization layer or call, with its effective parameters. */
export interface NormSite {
  readonly kind: NormKind;
  /** The concrete form: `BatchNorm2d`, `SkipLayerNormalization`, `decomposed LayerNorm`. */
  readonly variant: string;
  readonly framework: Framework;
  readonly location: SiteLocation;
  /** For text sites: the callee's name, where a hover should answer. */
  readonly nameRange?: SourceRange;
  /** The callee exactly as written (`nn.BatchNorm2d`, `BN`), for edits that keep the user's spelling. */
  readonly callee?: string;
  /** How the name was resolved, e.g. `nn.BatchNorm2d` or `BN → torch.nn.BatchNorm2d`. */
  readonly resolvedFrom?: string;
  readonly params: Readonly<Record<string, Param>>;
}

/** A text replacement in the analysed document. */
export interface TextEdit {
  readonly range: SourceRange;
  readonly newText: string;
}

/** A way to resolve a finding: text edits for sources, advice only for models. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly preferred?: boolean;
}

/** One rule hit on one site. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly location: SiteLocation;
  readonly related: readonly Evidence[];
  readonly fixes: readonly Fix[];
}

/** Input that could not be analysed (syntax error region, corrupt model, size limit). */
export interface AnalysisError {
  readonly message: string;
  /**
   * `syntax`: part of the input could not be parsed (the rest was analysed); `limit`: skipped by a
   * size or time limit; `invalid`: the input is not what it claims (a corrupt or hostile model), so
   * nothing was analysed; `internal`: a NormLens failure. Absent means `syntax`.
   */
  readonly kind?: 'syntax' | 'limit' | 'invalid' | 'internal';
  readonly range?: SourceRange;
  /** Byte offset in a binary model, when known. */
  readonly offset?: number;
}

/** Everything NormLens found in one input. */
export interface FileReport {
  readonly language: InputLanguage;
  readonly sites: readonly NormSite[];
  readonly findings: readonly Finding[];
  readonly context: FileContext;
  readonly errors: readonly AnalysisError[];
}

/** True when `range` contains `pos` (end inclusive, so a cursor after the last character hits). */
export function rangeContains(range: SourceRange, pos: Position): boolean {
  const afterStart =
    pos.line > range.start.line ||
    (pos.line === range.start.line && pos.character >= range.start.character);
  const beforeEnd =
    pos.line < range.end.line ||
    (pos.line === range.end.line && pos.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** Rank of a severity: 0 for error, 3 for hint. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * A FrozenBatchNorm-like class (running statistics held as buffers) whose code takes `rsqrt` of the
 * running variance with no epsilon added: a zero variance gives Inf, then NaN.
 */
export interface RsqrtWithoutEps extends Evidence {
  /** The `rsqrt` call (`rv.rsqrt()`, `torch.rsqrt(self.running_var)`). */
  readonly range: SourceRange;
  readonly className: string;
  /** The class name, for related information. */
  readonly classRange: SourceRange;
  /** The variance expression as written (`rv`, `self.running_var`). */
  readonly variance: string;
  /** Where the variance expression comes from, when it is a local name (`rv = self.running_var…`). */
  readonly definition?: SourceRange;
  /** `self.eps` when the class stores an epsilon, else undefined (the fix then writes a literal). */
  readonly epsAttribute?: string;
  /** The replacement that adds the epsilon, e.g. `(rv + self.eps).rsqrt()`. */
  readonly fix: TextEdit;
}

/**
 * AdaIN-style code: per-sample, per-channel statistics with the unbiased `.var()`/`.std()`
 * (Bessel-corrected, unlike InstanceNorm; NaN on 1×1 maps) whose results re-scale features.
 */
export interface UnbiasedInstanceStats extends Evidence {
  /** The `.var(…)`/`.std(…)` call. */
  readonly range: SourceRange;
  /** `var` or `std`. */
  readonly statistic: 'var' | 'std';
  /** The reduced dims as written (`dim=2` after `view(N, C, -1)`, `(2, 3)`). */
  readonly dims: string;
  /** The function computing the statistics (`calc_mean_std`). */
  readonly functionName: string;
  /** Where the statistics re-scale features (`normalized * style_std + style_mean`). */
  readonly rescale: Evidence & { readonly range: SourceRange };
  /**
   * The empty range before the call's closing parenthesis, where a keyword such as
   * `unbiased=False` can be appended; absent when that is not safe (`**kwargs`, a multi-line call).
   */
  readonly keywordAt?: SourceRange;
}

/** Distributed or multi-device set-up seen in a file. */
export interface RuntimeEvidence extends Evidence {
  readonly kind:
    | 'ddp'
    | 'process-group'
    | 'data-parallel'
    | 'distributed-sampler'
    | 'distributed-call'
    | 'backward'
    | 'cpu';
  readonly range: SourceRange;
  /** For `ddp`: the number of entries of a literal `device_ids=[…]` list. */
  readonly deviceCount?: number;
  /** For `cpu`: the receiver moved to the CPU (`model`, or the call `nn.SyncBatchNorm(…)`). */
  readonly target?: string;
  readonly targetRange?: SourceRange;
}

/** A read of a normalization module's state (`self.norm.weight`, `self.norm.running_mean`). */
export interface StateRead extends Evidence {
  /** The module expression (`self.norm`). */
  readonly target: string;
  readonly attribute: 'weight' | 'bias' | 'running_mean' | 'running_var';
  readonly range: SourceRange;
}

/** What src/core/python/code-patterns.ts found in one Python file. */
export interface CodeFacts {
  readonly rsqrtWithoutEps: readonly RsqrtWithoutEps[];
  readonly unbiasedInstanceStats: readonly UnbiasedInstanceStats[];
  readonly runtime: readonly RuntimeEvidence[];
  readonly stateReads: readonly StateRead[];
}
