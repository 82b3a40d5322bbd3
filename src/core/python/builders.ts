/**
 * Library builders that take a norm layer as a value and construct it inside, e.g. torchvision's
 * `Conv2dNormActivation(64, 128, norm_layer=nn.BatchNorm2d)`, which calls
 * `norm_layer(out_channels)` after its convolution. A `norm_layer=` argument written at such a call
 * is a normalization site of its own, although the file never calls the norm class.
 */

/** Where a builder argument sits: by keyword, or at a positional index. */
export interface BuilderArgument {
  readonly keyword: string;
  readonly position: number;
}

/** A known builder. */
export interface NormBuilder {
  /** The canonical qualified name, e.g. `torchvision.ops.Conv2dNormActivation`. */
  readonly qualifiedName: string;
  /** The short name shown in `resolvedFrom`. */
  readonly name: string;
  /**
   * The builder argument that becomes the norm layer's first argument (`out_channels` for the conv
   * builders); absent when the builder makes norms of several widths (a whole ResNet).
   */
  readonly channels?: BuilderArgument;
  /** The convolution the builder puts right before the norm, with its `bias` argument. */
  readonly convolution?: { readonly layer: 'Conv2d' | 'Conv3d'; readonly bias: BuilderArgument };
}

/** The keyword through which every known builder receives its norm layer. */
export const NORM_LAYER_KEYWORD = 'norm_layer';

const OUT_CHANNELS: BuilderArgument = { keyword: 'out_channels', position: 1 };
/** `ConvNormActivation(in, out, kernel, stride, padding, groups, norm, activation, dilation, inplace, bias)`. */
const CONV_BIAS: BuilderArgument = { keyword: 'bias', position: 10 };

/** torchvision.ops builders (torchvision ≥ 0.13), importable from `torchvision.ops` and its modules. */
const OPS: readonly (Omit<NormBuilder, 'qualifiedName'> & { readonly modules: string[] })[] = [
  {
    name: 'ConvNormActivation',
    modules: ['misc'],
    channels: OUT_CHANNELS,
    convolution: { layer: 'Conv2d', bias: CONV_BIAS },
  },
  {
    name: 'Conv2dNormActivation',
    modules: ['', 'misc'],
    channels: OUT_CHANNELS,
    convolution: { layer: 'Conv2d', bias: CONV_BIAS },
  },
  {
    name: 'Conv3dNormActivation',
    modules: ['', 'misc'],
    channels: OUT_CHANNELS,
    convolution: { layer: 'Conv3d', bias: CONV_BIAS },
  },
  { name: 'MLP', modules: ['', 'misc'] },
  {
    name: 'FeaturePyramidNetwork',
    modules: ['', 'feature_pyramid_network'],
    channels: OUT_CHANNELS,
  },
];

/** torchvision.models classes and model functions that accept `norm_layer=`, by module. */
const MODELS: Readonly<Record<string, readonly string[]>> = {
  resnet: [
    'ResNet',
    'resnet18',
    'resnet34',
    'resnet50',
    'resnet101',
    'resnet152',
    'resnext50_32x4d',
    'resnext101_32x8d',
    'resnext101_64x4d',
    'wide_resnet50_2',
    'wide_resnet101_2',
  ],
  mobilenetv2: ['MobileNetV2', 'mobilenet_v2'],
  mobilenetv3: ['MobileNetV3', 'mobilenet_v3_large', 'mobilenet_v3_small'],
  vision_transformer: [
    'VisionTransformer',
    'vit_b_16',
    'vit_b_32',
    'vit_l_16',
    'vit_l_32',
    'vit_h_14',
  ],
  swin_transformer: [
    'SwinTransformer',
    'swin_t',
    'swin_s',
    'swin_b',
    'swin_v2_t',
    'swin_v2_s',
    'swin_v2_b',
  ],
  convnext: ['ConvNeXt', 'convnext_tiny', 'convnext_small', 'convnext_base', 'convnext_large'],
};

function buildIndex(): ReadonlyMap<string, NormBuilder> {
  const index = new Map<string, NormBuilder>();
  for (const { modules, ...builder } of OPS) {
    const qualifiedName = `torchvision.ops.${builder.name}`;
    for (const module of modules) {
      const home = module ? `torchvision.ops.${module}` : 'torchvision.ops';
      index.set(`${home}.${builder.name}`, { ...builder, qualifiedName });
    }
  }
  for (const [module, names] of Object.entries(MODELS)) {
    for (const name of names) {
      const builder = { name, qualifiedName: `torchvision.models.${name}` };
      index.set(builder.qualifiedName, builder);
      index.set(`torchvision.models.${module}.${name}`, builder);
    }
  }
  return index;
}

const INDEX = buildIndex();

/** The norm-layer builder with this fully qualified name, if it is one. */
export function lookupBuilder(qualifiedName: string): NormBuilder | undefined {
  return INDEX.get(qualifiedName);
}
