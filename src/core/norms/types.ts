/**
 * The shape of a normalization descriptor: everything NormLens says about one kind of
 * normalization (names, parameters, reduction axes, conventions, trade-offs, papers). Hover text,
 * rule messages, the panel legend and the CLI all read these objects instead of restating facts.
 */
import type { Framework, NormKind, ParamValue } from '../model';

/** A paper or document that backs a statement. */
export interface Citation {
  readonly title: string;
  /** Display form: "Yuxin Wu, Kaiming He" or "Priya Goyal et al.". */
  readonly authors: string;
  readonly year: number;
  readonly arxiv?: string;
  readonly url?: string;
}

/** One constructor argument, functional argument, layer config key or ONNX attribute. */
export interface ParamSpec {
  readonly name: string;
  /** Positional index in the call (PyTorch, or a tfjs op function); absent when keyword/config only. */
  readonly position?: number;
  /** True for Python keyword-only arguments (after `*`) and for tfjs layer config keys. */
  readonly keywordOnly?: boolean;
  /**
   * Default per framework. The entry for the variant's own framework is its default (absent means
   * required; `null` is Python's `None`). Other entries give the equivalent parameter's default
   * elsewhere, so hovers can compare (their names may differ; `doc` says how).
   */
  readonly defaults: Partial<Record<Framework, ParamValue>>;
  readonly doc: string;
  /** How to read the value across frameworks (momentum direction, variance bias, window rules). */
  readonly convention?: string;
  /** Other spellings of the same key, e.g. tfjs model.json snake_case (`beta_initializer`). */
  readonly aliases?: readonly string[];
  /** First version that has it: `torch 2.1`, `opset 14`. */
  readonly since?: string;
  /** First version that no longer has it: `opset 9`. */
  readonly until?: string;
}

/** One concrete name under which a kind appears in a framework. */
export interface VariantSpec {
  /** Canonical name: `BatchNorm2d`, `F.batch_norm`, `tf.layers.batchNormalization`, `BatchNormalization`. */
  readonly name: string;
  readonly framework: Framework;
  /** Other spellings that resolve to this variant (`torch.nn.BatchNorm2d`, `nn.BatchNorm2d`). */
  readonly aliases: readonly string[];
  /** Call or operator signature, one line. */
  readonly signature: string;
  /** ONNX domain: `ai.onnx` (the empty domain) or `com.microsoft`. */
  readonly domain?: string;
  /** ONNX opset versions in which the operator schema changed. */
  readonly opsets?: readonly number[];
  /** ONNX opset versions whose schema is deprecated. */
  readonly deprecatedOpsets?: readonly number[];
  /** First framework version that has this name, when it matters (`torch 2.4`). */
  readonly since?: string;
  /** What is special about this variant. */
  readonly note?: string;
  readonly params: readonly ParamSpec[];
}

/** What the reduction of one variant is asked about. */
export interface ReductionInput {
  readonly variant: string;
  readonly framework: Framework;
  /** Effective parameter values by name (any spelling the variant's ParamSpecs list). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Input shape; strings are symbolic dims (`'batch'`). Absent when unknown. */
  readonly shape?: readonly (number | string)[];
  /** One letter per dim naming the layout (`NCHW`, `NHWC`, `NLD`); inferred when absent. */
  readonly layout?: string;
}

/** What one mean/variance (or norm, or window) is shared over. */
export interface Reduction {
  /** Non-negative input axes, when the rank is known; `undefined` otherwise. */
  readonly axes: readonly number[] | undefined;
  /**
   * Human phrase that completes "Normalizes …", e.g. "per channel, over N × H × W = 8 × 56 × 56 =
   * 25,088 values". Problems (wrong rank, C not divisible by G, 1 value) follow after " — ".
   */
  readonly text: string;
  /** Elements behind each statistic (or LRN window size), when all sizes are known. */
  readonly values?: number;
  /**
   * GroupNorm only: `axes` includes the channel axis, which is reduced only within each group of
   * `channels / groups` channels.
   */
  readonly groups?: number;
}

/** Everything NormLens knows about one kind of normalization. */
export interface NormDescriptor {
  readonly kind: NormKind;
  /** Sentence-case title: 'Batch normalization'. */
  readonly title: string;
  /** One sentence. */
  readonly summary: string;
  /** Plain Unicode formula, short. */
  readonly formula: string;
  /** Each ends with a short reference such as "(Wu & He, 2018)" found in `citations`. */
  readonly strengths: readonly string[];
  readonly weaknesses: readonly string[];
  /** Where it fits, compared with the other kinds. */
  readonly fit: string;
  readonly citations: readonly Citation[];
  /** Learnable tensors (PyTorch names; tfjs/ONNX equivalents in parentheses). */
  readonly learnable: readonly string[];
  /** Non-learnable state: running statistics and counters. */
  readonly buffers: readonly string[];
  readonly training: string;
  readonly inference: string;
  /** Cross-framework traps and version history. */
  readonly notes: readonly string[];
  /** Every name under which this kind appears, per framework. */
  readonly variants: readonly VariantSpec[];
  /** Parameter specs for a concrete variant (e.g. 'BatchNorm2d', 'GroupNorm', 'F.batch_norm'). */
  params(variant: string, framework: Framework): readonly ParamSpec[];
  /** Human phrase + axes for what one mean/variance is shared over. */
  reduction(input: ReductionInput): Reduction;
}
