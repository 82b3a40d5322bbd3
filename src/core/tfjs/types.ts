/**
 * The TensorFlow.js flavour of the shared vocabulary: sites carry the context a rule needs
 * (producer layer, model.json markers), files carry batch-size and dtype evidence.
 */
import type {
  AnalysisError,
  BatchSizeEvidence,
  Evidence,
  FileContext,
  NormSite,
  SiteLocation,
  SourceRange,
} from '../model';

/** The layer that feeds a normalization (the previous layer of a Sequential, or an inbound node). */
export interface ProducerLayer {
  /** The factory (`conv2d`) in sources, the class name (`Conv2D`) in model.json. */
  readonly layer: string;
  /** The layer's name in model.json (absent in sources unless written as `name`). */
  readonly name?: string;
  /** Output channels: `filters` of a conv, `units` of a dense layer, when known. */
  readonly outputChannels?: number;
  /** `useBias` (`use_bias` in model.json); tfjs defaults it to true. */
  readonly useBias?: boolean;
  readonly kernelSize?: number | readonly number[];
  /** `channelsLast` or `channelsFirst` (`channels_last` in model.json). */
  readonly dataFormat?: string;
  /** Where the producer is written (sources only). */
  readonly range?: SourceRange;
}

/** What is known around one tfjs site. */
export interface TfjsSiteContext {
  /** Where the site was found. */
  readonly origin: 'source' | 'layers-model' | 'graph-model';
  readonly producer?: ProducerLayer;
  /** The model's input shape (without batch), from the first layer's `inputShape` or the model's input. */
  readonly inputShape?: readonly (number | null)[];
  /**
   * Set for classes tfjs cannot load (GroupNormalization, InstanceNormalization, `Addons>…`):
   * loading the model fails with `Unknown layer: <class>`.
   */
  readonly unsupportedClass?: string;
  /** Set for a BatchNorm the graph-model converter folded into a convolution (`_FusedConv2D`). */
  readonly foldedInto?: string;
  /**
   * The manifest weight holding a folded BatchNorm's offset, β − γ·μ/√(σ² + ε) per channel: all
   * that is left of it after folding (`<conv>_bn_offset`).
   */
  readonly foldedOffset?: string;
  /** The custom `tf.layers.Layer` subclass the site belongs to or instantiates. */
  readonly customLayer?: string;
  /** Names of this site's weights in the model.json manifest, by role. */
  readonly weights?: Readonly<Partial<Record<TfjsWeightRole, string>>>;
}

/** The weights of a tfjs BatchNormalization/LayerNormalization layer. */
export type TfjsWeightRole = 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';

/** A normalization found in tfjs code or a tfjs model.json. */
export interface TfjsNormSite extends NormSite {
  readonly framework: 'tfjs';
  readonly context: TfjsSiteContext;
}

/** A dtype or precision setting seen in the file (`WEBGL_FORCE_F16_TEXTURES`, `dtype: 'int32'`). */
export interface DtypeEvidence extends Evidence {
  /** `float16` for half-precision textures, else the tfjs dtype name. */
  readonly value: string;
}

/** What the file says as a whole: batch sizes (shared shape) plus dtype evidence. */
export interface TfjsFileContext extends FileContext {
  readonly batchSizes: readonly BatchSizeEvidence[];
  readonly dtypes: readonly DtypeEvidence[];
}

/** What {@link extractTfjs} found in one JavaScript or TypeScript file. */
export interface TfjsExtraction {
  readonly sites: readonly TfjsNormSite[];
  readonly context: TfjsFileContext;
  readonly errors: readonly AnalysisError[];
}

/** A graph location in a tfjs model.json. */
export type GraphLocation = Extract<SiteLocation, { readonly type: 'graph' }>;
