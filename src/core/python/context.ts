/**
 * Per-site context for PyTorch sources: the layer that feeds a normalization (its neighbour in an
 * `nn.Sequential`, `OrderedDict`, `ModuleList` or list chain, or what `forward` passes to it), a
 * dropout right before it, and mode switches (`.eval()`, `requires_grad_(False)`) applied to it.
 */
import type { Node } from 'web-tree-sitter';
import type { ModeEvidence, NormSite, SourceRange, TextEdit } from '../model';
import { argumentAt, splitArguments } from './arguments';
import type { NormBuilder } from './builders';
import { argumentRange, insertKeyword } from './edits';
import type { FileScope } from './file-scope';
import {
  assignmentsTo,
  callsOf,
  childOf,
  enclosingClass,
  resolveCallee,
  treeMemo,
} from './file-scope';
import { rangeOf } from '../syntax/ranges';
import { literal } from '../syntax/tree-memo';

/**
 * How the producer was found; `builder` is the convolution a library builder puts right before
 * the norm layer it was given (`Conv2dNormActivation(…, norm_layer=…)`).
 */
export type ProducerVia =
  'sequential' | 'ordered-dict' | 'module-list' | 'list' | 'forward' | 'builder';

/** The layer whose output a PyTorch normalization reads. */
export interface PythonProducer {
  /**
   * The torch.nn class (`Conv2d`, `Linear`, `Dropout`) or functional (`dropout`); the callee as
   * written when it is not a torch layer (`conv3x3`).
   */
  readonly layer: string;
  /** The qualified name, when the callee resolves through the imports. */
  readonly qualifiedName?: string;
  /** The attribute or key naming the layer (`conv1`, `conv` in an OrderedDict). */
  readonly name?: string;
  /** `out_channels` of a convolution, `out_features` of a linear layer, when known. */
  readonly outputChannels?: number;
  /** Whether a convolution or linear layer adds a bias (PyTorch's default is true). */
  readonly useBias?: boolean;
  /** The `bias` argument as written, keyword or positional. */
  readonly biasRange?: SourceRange;
  /**
   * The edit that turns the bias off: the `bias` value replaced by `False`, or `, bias=False`
   * inserted before the closing parenthesis. Absent when a `**kwargs` could set the bias.
   */
  readonly disableBias?: TextEdit;
  /** Where the layer is constructed (or, for a functional, called). */
  readonly range: SourceRange;
  readonly via: ProducerVia;
}

/** A dropout layer or call right before the site. */
export interface DropoutBefore {
  /** `Dropout`, `Dropout2d`, `dropout`, … */
  readonly layer: string;
  /** The drop probability, when known (PyTorch's default is 0.5). */
  readonly p?: number;
  readonly range: SourceRange;
  /** Where `p` is written, when it is. */
  readonly pRange?: SourceRange;
}

/** What is known around one PyTorch site. */
export interface PythonSiteContext {
  /** The name the site is bound to (`self.bn1`, `bn`), when it is assigned. */
  readonly binding?: string;
  readonly producer?: PythonProducer;
  readonly dropout?: DropoutBefore;
  /** `.eval()`, `.train()`, `requires_grad_(False)` called on the site's binding. */
  readonly modes: readonly ModeEvidence[];
}

/** A normalization found in PyTorch source, with its context. */
export interface PythonNormSite extends NormSite {
  readonly framework: 'pytorch';
  readonly context: PythonSiteContext;
}

/** The context of a PyTorch site (undefined for other frameworks). */
export function pythonContext(site: NormSite): PythonSiteContext | undefined {
  if (site.framework !== 'pytorch' || !('context' in site)) {
    return undefined;
  }
  return (site as PythonNormSite).context;
}

/** Where `out_channels`/`out_features` and `bias` sit positionally, per layer family. */
interface LayerShape {
  readonly outputs: number;
  readonly bias: number;
}

const CONV = /^Conv(?:Transpose)?[123]d$/;
const LAZY_CONV = /^LazyConv(?:Transpose)?[123]d$/;
const DROPOUT =
  /^(?:Feature)?(?:Alpha)?Dropout(?:[123]d)?$|^(?:feature_)?(?:alpha_)?dropout(?:[123]d)?$/;

/** Positions in PyTorch's signatures (Conv: in, out, k, stride, padding, dilation/output_padding, groups, bias). */
function layerShape(layer: string): LayerShape | undefined {
  if (CONV.test(layer)) {
    return { outputs: 1, bias: 7 };
  }
  if (LAZY_CONV.test(layer)) {
    return { outputs: 0, bias: 6 };
  }
  if (layer === 'Linear') {
    return { outputs: 1, bias: 2 };
  }
  return layer === 'LazyLinear' ? { outputs: 0, bias: 1 } : undefined;
}

const SEQUENTIALS = new Set(['Sequential', 'ModuleList', 'ModuleDict']);

const FUNCTION_TYPES = ['function_definition'];

/**
 * Finds the context of each site call of one file. What it reads of a class or function comes
 * from the file's {@link treeMemo}, since a class usually holds several sites.
 */
export class SiteContextFinder {
  constructor(private readonly scope: FileScope) {}

  /** The context of the site constructed or applied by `call`. */
  contextOf(call: Node): Omit<PythonSiteContext, 'modes'> {
    const binding = bindingOf(call, this.scope);
    const found = this.chainProducer(call) ?? this.forwardProducer(call, binding);
    const producer = found && this.describe(found.node, found.via, found.name);
    const dropout = producer && found && this.dropoutOf(found.node, producer);
    return {
      ...(binding ? { binding } : {}),
      ...(producer ? { producer } : {}),
      ...(dropout ? { dropout } : {}),
    };
  }

  /**
   * The context of the norm layer a builder call constructs from its `norm_layer=` argument: the
   * builder's own convolution feeds it. torchvision's `bias=None` default means "a bias only
   * without a norm layer", so an unwritten (or `None`) bias is off.
   */
  builderContextOf(call: Node, builder: NormBuilder): Omit<PythonSiteContext, 'modes'> {
    const convolution = builder.convolution;
    if (!convolution) {
      return {};
    }
    const args = splitArguments(call.childForFieldName('arguments'), this.scope.read);
    const outputs = builder.channels && argumentAt(args, builder.channels);
    const channels = outputs && this.scope.values.evaluate(outputs)?.value;
    const bias = argumentAt(args, convolution.bias);
    // Unwritten, the builder's `None` default applies, unless a `**kwargs` could pass a bias.
    const unwritten = args.dictSplat ? undefined : null;
    const biasValue = bias ? this.scope.values.evaluate(bias)?.value : unwritten;
    const useBias =
      typeof biasValue === 'boolean' ? biasValue : biasValue === null ? false : undefined;
    const producer: PythonProducer = {
      layer: convolution.layer,
      qualifiedName: `torch.nn.${convolution.layer}`,
      ...(typeof channels === 'number' ? { outputChannels: channels } : {}),
      ...(useBias === undefined ? {} : { useBias }),
      ...(bias ? { biasRange: argumentRange(bias) } : {}),
      ...(bias && useBias !== false
        ? { disableBias: { range: rangeOf(bias), newText: 'False' } }
        : {}),
      range: rangeOf(call),
      via: 'builder',
    };
    return { producer };
  }

  /** The element before `call` in a Sequential, list, OrderedDict or `.append` chain. */
  private chainProducer(call: Node): Found | undefined {
    const memo = treeMemo(this.scope, call);
    const parent = memo.parent(call);
    if (!parent) {
      return undefined;
    }
    const type = memo.typeOf(parent);
    if (type === 'argument_list') {
      const owner = parent.parent;
      const name = owner && this.calleeName(owner);
      if (name === 'Sequential') {
        const previous = previousElement(call);
        return previous && { node: previous, via: 'sequential' };
      }
      return owner ? this.appendProducer(owner) : undefined;
    }
    if (type === 'list' || type === 'tuple') {
      if (type === 'tuple' && parent.namedChildren.length === 2 && isKeyed(call, parent)) {
        return this.keyedProducer(parent);
      }
      const previous = previousElement(call);
      const holder = parent.parent?.type === 'argument_list' ? parent.parent.parent : null;
      const via = holder && SEQUENTIALS.has(this.calleeName(holder) ?? '') ? 'module-list' : 'list';
      return previous && { node: previous, via };
    }
    if (type === 'pair') {
      const previous = previousElement(parent);
      const value = previous?.type === 'pair' ? previous.childForFieldName('value') : null;
      const key = previous?.childForFieldName('key');
      return value ? { node: value, via: 'ordered-dict', ...nameOf(key, this.scope) } : undefined;
    }
    return undefined;
  }

  /** `('bn', BatchNorm2d(…))` in a list of pairs: the value of the previous pair. */
  private keyedProducer(pair: Node): Found | undefined {
    const previous = previousElement(pair);
    if (previous?.type !== 'tuple' || previous.namedChildren.length !== 2) {
      return undefined;
    }
    const [key, value] = previous.namedChildren;
    return value ? { node: value, via: 'ordered-dict', ...nameOf(key, this.scope) } : undefined;
  }

  /** `layers.append(conv)` followed by `layers.append(norm(…))`: the previous append's argument. */
  private appendProducer(owner: Node): Found | undefined {
    const callee = owner.childForFieldName('function');
    const list = callee?.type === 'attribute' ? callee.childForFieldName('object') : null;
    if (attributeName(callee, this.scope) !== 'append' || !list) {
      return undefined;
    }
    const statement = owner.parent?.type === 'expression_statement' ? owner.parent : null;
    const previous = statement && previousElement(statement);
    const earlier = previous?.type === 'expression_statement' ? previous.firstNamedChild : null;
    const earlierCallee = earlier?.type === 'call' ? earlier.childForFieldName('function') : null;
    const earlierList =
      earlierCallee?.type === 'attribute' ? earlierCallee.childForFieldName('object') : null;
    if (
      !earlier ||
      attributeName(earlierCallee, this.scope) !== 'append' ||
      !earlierList ||
      this.scope.read(earlierList) !== this.scope.read(list)
    ) {
      return undefined;
    }
    const [argument] = splitArguments(
      earlier.childForFieldName('arguments'),
      this.scope.read,
    ).positional;
    return argument ? { node: argument, via: 'list' } : undefined;
  }

  /**
   * For a site bound to `self.bn`, what a method of the class passes to `self.bn(…)`: a call
   * (`self.bn(self.conv(x))`) or the last value assigned to the name it passes.
   */
  private forwardProducer(call: Node, binding: string | undefined): Found | undefined {
    const owner = binding?.startsWith('self.') ? enclosingClass(this.scope, call) : undefined;
    if (!owner || !binding) {
      return undefined;
    }
    for (const use of callsOf(this.scope, owner, binding)) {
      const [input] = splitArguments(
        childOf(this.scope, use, 'arguments'),
        this.scope.read,
      ).positional;
      const value = input && this.lastValueOf(input, use);
      const module = value && this.moduleOf(value, owner);
      if (module) {
        return module;
      }
    }
    return undefined;
  }

  /** The layer a forward-pass expression applies: `self.conv(x)` → the `self.conv = …` call. */
  private moduleOf(value: Node, owner: Node): Found | undefined {
    if (value.type !== 'call') {
      return undefined;
    }
    const callee = childOf(this.scope, value, 'function');
    const text = callee ? this.scope.read(callee) : '';
    if (!text.startsWith('self.')) {
      // A functional call such as F.dropout(x, 0.2) is its own producer.
      return resolveCallee(value, this.scope) ? { node: value, via: 'forward' } : undefined;
    }
    const right = this.firstAssigned(owner, text);
    return right ? { node: right, via: 'forward', name: text.slice('self.'.length) } : undefined;
  }

  /** The value of the first assignment inside `owner` to `target` as written. */
  private firstAssigned(owner: Node, target: string): Node | undefined {
    const memo = treeMemo(this.scope, owner);
    for (const { assignment } of assignmentsTo(this.scope, owner, literal(target))) {
      const right = memo.field(assignment, 'right');
      if (right) {
        return right;
      }
    }
    return undefined;
  }

  /**
   * What `expression` holds at `use`: itself unless it is a name, else the value last assigned to
   * that name before `use` in the same function.
   */
  private lastValueOf(expression: Node, use: Node): Node | undefined {
    if (expression.type !== 'identifier') {
      return expression;
    }
    const name = this.scope.read(expression);
    const memo = treeMemo(this.scope, use);
    const [body] = memo.ancestorsOf(use, FUNCTION_TYPES);
    let value: Node | undefined;
    for (const { assignment, target } of body
      ? assignmentsTo(this.scope, body, literal(name))
      : []) {
      if (target.type === 'identifier' && memo.endOf(assignment) <= use.startIndex) {
        value = memo.field(assignment, 'right') ?? undefined;
      }
    }
    return value;
  }

  /** The producer as rules see it, when `node` constructs or applies a layer. */
  private describe(node: Node, via: ProducerVia, name?: string): PythonProducer | undefined {
    if (node.type !== 'call') {
      return undefined;
    }
    const callee = childOf(this.scope, node, 'function');
    if (!callee) {
      return undefined;
    }
    const resolved = resolveCallee(node, this.scope);
    const qualifiedName = resolved?.qualifiedName;
    if (qualifiedName && !qualifiedName.startsWith('torch.')) {
      return undefined;
    }
    const layer = qualifiedName?.split('.').pop() ?? this.scope.read(callee);
    const base = {
      layer,
      ...(qualifiedName ? { qualifiedName } : {}),
      ...(name ? { name } : {}),
      range: rangeOf(node),
      via,
    };
    const shape = qualifiedName ? layerShape(layer) : undefined;
    return shape ? { ...base, ...this.weightFacts(node, shape) } : base;
  }

  /** Output channels and bias of a convolution or linear layer. */
  private weightFacts(call: Node, shape: LayerShape): Partial<PythonProducer> {
    const argumentList = call.childForFieldName('arguments');
    const args = splitArguments(argumentList, this.scope.read);
    const outputs =
      args.positional[shape.outputs] ??
      args.keywords.get('out_channels') ??
      args.keywords.get('out_features');
    const channels = outputs && this.scope.values.evaluate(outputs)?.value;
    const bias = args.positional[shape.bias] ?? args.keywords.get('bias');
    const biasValue = bias ? this.scope.values.evaluate(bias)?.value : undefined;
    const useBias = bias
      ? typeof biasValue === 'boolean'
        ? biasValue
        : undefined
      : args.dictSplat
        ? undefined
        : true;
    const disableBias = bias
      ? { range: rangeOf(bias), newText: 'False' }
      : args.dictSplat || !argumentList
        ? undefined
        : insertKeyword(argumentList, 'bias=False');
    return {
      ...(typeof channels === 'number' ? { outputChannels: channels } : {}),
      ...(useBias === undefined ? {} : { useBias }),
      ...(bias ? { biasRange: argumentRange(bias) } : {}),
      ...(disableBias ? { disableBias } : {}),
    };
  }

  /** The dropout facts when the producer is a dropout layer or call. */
  private dropoutOf(node: Node, producer: PythonProducer): DropoutBefore | undefined {
    if (!producer.qualifiedName || !DROPOUT.test(producer.layer)) {
      return undefined;
    }
    const args = splitArguments(node.childForFieldName('arguments'), this.scope.read);
    // Modules take p first; functionals take the input first.
    const functional = producer.layer === producer.layer.toLowerCase();
    const argument = args.positional[functional ? 1 : 0] ?? args.keywords.get('p');
    const value = argument ? this.scope.values.evaluate(argument)?.value : 0.5;
    return {
      layer: producer.layer,
      ...(typeof value === 'number' ? { p: value } : {}),
      range: producer.range,
      ...(argument ? { pRange: rangeOf(argument) } : {}),
    };
  }

  /** The torch.nn class a call constructs (`Sequential`), by its last name part. */
  private calleeName(call: Node): string | undefined {
    if (call.type !== 'call') {
      return undefined;
    }
    const resolved = resolveCallee(call, this.scope);
    return resolved?.qualifiedName.startsWith('torch.')
      ? resolved.qualifiedName.split('.').pop()
      : undefined;
  }
}

interface Found {
  readonly node: Node;
  readonly via: ProducerVia;
  readonly name?: string;
}

/** The name the site call is assigned to (`self.bn1 = …`, `bn = …`), as written. */
function bindingOf(call: Node, scope: FileScope): string | undefined {
  const memo = treeMemo(scope, call);
  const parent = memo.parent(call);
  const left = parent && memo.typeOf(parent) === 'assignment' ? memo.field(parent, 'left') : null;
  if (!left || !parent || memo.field(parent, 'right')?.id !== call.id) {
    return undefined;
  }
  return left.type === 'identifier' || left.type === 'attribute' ? scope.read(left) : undefined;
}

/** The previous named sibling, skipping comments. */
function previousElement(node: Node): Node | undefined {
  let previous = node.previousNamedSibling;
  while (previous?.type === 'comment') {
    previous = previous.previousNamedSibling;
  }
  return previous ?? undefined;
}

/** True when `call` is the value of a `(key, value)` tuple whose key is a string. */
function isKeyed(call: Node, tuple: Node): boolean {
  const [key, value] = tuple.namedChildren;
  return key?.type === 'string' && value?.id === call.id;
}

/** `{ name }` from a string key, without its quotes. */
function nameOf(key: Node | null | undefined, scope: FileScope): { name?: string } {
  if (key?.type !== 'string') {
    return {};
  }
  const content = key.namedChildren.find((child) => child?.type === 'string_content');
  return content ? { name: scope.read(content) } : {};
}

/** The attribute of an `a.b` expression (`b`), as written. */
function attributeName(node: Node | null | undefined, scope: FileScope): string | undefined {
  const attribute = node?.type === 'attribute' ? node.childForFieldName('attribute') : null;
  return attribute ? scope.read(attribute) : undefined;
}
