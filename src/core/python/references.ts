/**
 * Norm callables passed around as values: `norm_layer=nn.BatchNorm2d` defaults, local and
 * `self.` assignments, `functools.partial(nn.GroupNorm, 32)`, dict lookups with constant keys, and
 * workspace classes that subclass a norm class. Anything that depends on run time stays unresolved.
 */
import type { Node } from 'web-tree-sitter';
import type { CallArguments } from './arguments';
import { splitArguments } from './arguments';
import type { FileScope } from './file-scope';
import { assignmentsTo, childOf, enclosingClass, treeMemo } from './file-scope';
import { dottedParts, qualify } from './imports';
import { lookupSignature } from './signatures';
import { literal } from '../syntax/tree-memo';
import type { NormSignature } from './signatures';

/** A norm callable reached through a value, with any arguments a `partial` already bound. */
export interface NormReference {
  readonly signature: NormSignature;
  /** Each hop as written, e.g. `['norm_layer', 'nn.BatchNorm2d']`. */
  readonly path: readonly string[];
  readonly bound?: CallArguments;
  /** Set for a workspace subclass: its own `__init__` may take other arguments. */
  readonly subclass?: { readonly name: string; readonly ownInit: boolean };
}

/** Why a callee that may be a norm layer could not be resolved. */
export interface Unresolved {
  readonly reason: string;
}

/** How many hops a reference may take; longer chains stay unresolved. */
const MAX_HOPS = 8;

const PARTIALS = new Set(['functools.partial']);
const FUNCTION_TYPES = ['function_definition', 'lambda'];

/** Spaces and line continuations, which may separate the parts of a dotted name. */
const GAP = /[ \t\f\r\n\\]*/.source;

/** Resolves norm references inside one file, caching each function's local bindings. */
export class ReferenceResolver {
  private readonly parameters = new Map<number, ReadonlyMap<string, readonly Node[]>>();
  private readonly attributes = new Map<string, readonly Node[] | undefined>();
  private readonly locals = new Map<string, readonly Node[] | undefined>();
  private readonly written = new Map<string, boolean>();
  private readonly parameterTexts = new Map<number, string>();
  private readonly classes = new Map<string, Node>();

  constructor(
    private readonly scope: FileScope,
    root: Node,
  ) {
    for (const statement of root.namedChildren) {
      const definition = unwrapDecorated(statement);
      const name = definition?.type === 'class_definition' && definition.childForFieldName('name');
      if (name) {
        this.classes.set(scope.read(name), definition);
      }
    }
  }

  /** What `expression` denotes, if it is (or may be) a norm callable. */
  resolve(expression: Node, hops = 0): NormReference | Unresolved | undefined {
    if (hops > MAX_HOPS) {
      return undefined;
    }
    const type = treeMemo(this.scope, expression).typeOf(expression);
    const parts = dottedParts(expression, this.scope.read, type);
    if (parts) {
      return this.resolveName(expression, parts, hops);
    }
    if (type === 'call') {
      return this.resolvePartial(expression, hops);
    }
    if (type === 'subscript') {
      return this.resolveLookup(expression, hops);
    }
    if (type === 'parenthesized_expression' && expression.firstNamedChild) {
      return this.resolve(expression.firstNamedChild, hops + 1);
    }
    return undefined;
  }

  private resolveName(
    node: Node,
    parts: readonly string[],
    hops: number,
  ): NormReference | Unresolved | undefined {
    const text = parts.join('.');
    const qualified = qualify(parts, this.scope.imports);
    const signature = qualified ? lookupSignature(qualified) : undefined;
    if (signature) {
      return { signature, path: [text] };
    }
    if (qualified) {
      return undefined;
    }
    const [head, attribute, ...rest] = parts;
    if (head === undefined) {
      return undefined;
    }
    if (parts.length === 1) {
      return this.prefix(text, this.resolveIdentifier(node, head, hops));
    }
    if (head === 'self' && attribute !== undefined && rest.length === 0) {
      return this.prefix(text, this.resolveSelfAttribute(node, attribute, hops));
    }
    return undefined;
  }

  /** A bare name: a local or parameter of an enclosing function, a module value, or a class. */
  private resolveIdentifier(
    node: Node,
    name: string,
    hops: number,
  ): NormReference | Unresolved | undefined {
    const memo = treeMemo(this.scope, node);
    const enclosing = this.mayBindLocally(node, name) ? memo.ancestorsOf(node, FUNCTION_TYPES) : [];
    for (const fn of enclosing) {
      const values = this.localValues(fn, name);
      if (values) {
        return this.agree(values, hops);
      }
    }
    const constant = this.scope.values.definition(name);
    if (constant) {
      return this.resolve(constant, hops + 1);
    }
    const definition = this.classes.get(name);
    if (definition) {
      return this.resolveSubclass(name, definition, hops);
    }
    const star = this.scope.imports.starImports[0];
    return star && this.scope.imports.bindings.get(name) === undefined
      ? { reason: `may come from \`from ${star.module} import *\`` }
      : undefined;
  }

  /** `self.norm`: the values assigned to that attribute in the enclosing class's methods. */
  private resolveSelfAttribute(
    node: Node,
    attribute: string,
    hops: number,
  ): NormReference | Unresolved | undefined {
    const owner = enclosingClass(this.scope, node);
    const values = owner ? this.attributeValues(owner, attribute) : undefined;
    return values ? this.agree(values, hops) : undefined;
  }

  /** Every non-None value of a name must denote the same norm callable; otherwise unresolved. */
  private agree(values: readonly Node[], hops: number): NormReference | Unresolved | undefined {
    let found: NormReference | undefined;
    let unresolved: Unresolved | undefined;
    const memo = values[0] && treeMemo(this.scope, values[0]);
    for (const value of values) {
      if (!memo || memo.typeOf(value) === 'none') {
        continue;
      }
      // A parameter without a default stands for itself: whatever each caller passes.
      const parent = memo.parent(value);
      const holder = parent && memo.typeOf(parent);
      const resolved =
        holder === 'parameters' || holder === 'typed_parameter'
          ? { reason: 'passed in by the caller' }
          : this.resolve(value, hops + 1);
      if (!resolved) {
        return undefined;
      }
      if ('reason' in resolved) {
        unresolved ??= resolved;
      } else if (found && found.signature !== resolved.signature) {
        return { reason: 'bound to different norm layers on different paths' };
      } else {
        found ??= resolved;
      }
    }
    return unresolved ?? found;
  }

  private resolvePartial(call: Node, hops: number): NormReference | Unresolved | undefined {
    const callee = childOf(this.scope, call, 'function');
    const parts = callee ? dottedParts(callee, this.scope.read) : undefined;
    const qualified = parts ? qualify(parts, this.scope.imports) : undefined;
    if (!qualified || !PARTIALS.has(qualified)) {
      return undefined;
    }
    const args = splitArguments(call.childForFieldName('arguments'), this.scope.read);
    const [target, ...positional] = args.positional;
    const inner = target ? this.resolve(target, hops + 1) : undefined;
    if (!inner || 'reason' in inner) {
      return inner;
    }
    const bound: CallArguments = { ...args, positional };
    return { ...inner, path: [`partial(${inner.path.join(' → ')})`], bound };
  }

  /** `NORMS['bn']` where NORMS is a dict literal and the key a constant. */
  private resolveLookup(subscript: Node, hops: number): NormReference | Unresolved | undefined {
    const container = subscript.childForFieldName('value');
    const key = subscript.childForFieldName('subscript');
    const dictionary = container && this.dictionaryOf(container);
    if (!dictionary || !key) {
      return undefined;
    }
    const keyValue = this.scope.values.evaluate(key)?.value;
    if (keyValue === undefined) {
      return { reason: `dynamic key ${this.scope.read(key)}` };
    }
    for (const pair of dictionary.namedChildren) {
      const pairKey = pair?.type === 'pair' ? pair.childForFieldName('key') : null;
      const value = pair?.childForFieldName('value');
      if (pairKey && value && this.scope.values.evaluate(pairKey)?.value === keyValue) {
        return this.prefix(`[${this.scope.read(key)}]`, this.resolve(value, hops + 1));
      }
    }
    return undefined;
  }

  private dictionaryOf(container: Node): Node | undefined {
    if (container.type === 'dictionary') {
      return container;
    }
    const constant =
      container.type === 'identifier'
        ? this.scope.values.definition(this.scope.read(container))
        : undefined;
    return constant?.type === 'dictionary' ? constant : undefined;
  }

  private resolveSubclass(
    name: string,
    definition: Node,
    hops: number,
  ): NormReference | Unresolved | undefined {
    for (const base of definition.childForFieldName('superclasses')?.namedChildren ?? []) {
      const resolved = base ? this.resolve(base, hops + 1) : undefined;
      if (resolved && !('reason' in resolved)) {
        const ownInit = definesInit(definition, this.scope);
        return { ...resolved, subclass: { name, ownInit } };
      }
    }
    return undefined;
  }

  private prefix(
    text: string,
    resolved: NormReference | Unresolved | undefined,
  ): NormReference | Unresolved | undefined {
    return resolved && !('reason' in resolved)
      ? { ...resolved, path: [text, ...resolved.path] }
      : resolved;
  }

  /** Values assigned to `self.<attribute>` anywhere in a class (cached per class and attribute). */
  private attributeValues(owner: Node, attribute: string): readonly Node[] | undefined {
    const key = `${owner.id}.${attribute}`;
    if (this.attributes.has(key)) {
      return this.attributes.get(key);
    }
    const memo = treeMemo(this.scope, owner);
    const bodyStart = memo.field(owner, 'body')?.startIndex;
    const target = `self${GAP}\\.${GAP}${literal(attribute)}`;
    const values: Node[] = [];
    for (const { assignment, target: left } of assignmentsTo(this.scope, owner, target)) {
      const right = memo.field(assignment, 'right');
      const type = memo.typeOf(left);
      const parts = type === 'attribute' ? dottedParts(left, this.scope.read, type) : undefined;
      if (
        bodyStart !== undefined &&
        assignment.startIndex >= bodyStart &&
        right &&
        parts?.length === 2 &&
        parts[0] === 'self' &&
        parts[1] === attribute
      ) {
        values.push(right);
      }
    }
    const found = values.length > 0 ? values : undefined;
    this.attributes.set(key, found);
    return found;
  }

  /**
   * The parameter defaults and plain assignments of `name` in one function, parameters first
   * (assignments in nested functions excluded); undefined when the function binds no such name.
   */
  private localValues(fn: Node, name: string): readonly Node[] | undefined {
    const key = `${fn.id}.${name}`;
    if (this.locals.has(key)) {
      return this.locals.get(key);
    }
    const memo = treeMemo(this.scope, fn);
    const parameters = this.mayBeParameter(fn, name) ? this.parametersOf(fn).get(name) : undefined;
    const values = [...(parameters ?? [])];
    for (const { assignment, target } of assignmentsTo(this.scope, fn, literal(name))) {
      const right = memo.field(assignment, 'right');
      if (
        target.type === 'identifier' &&
        right &&
        memo.ancestorsOf(assignment, FUNCTION_TYPES)[0]?.id === fn.id
      ) {
        values.push(right);
      }
    }
    const found = values.length > 0 ? values : undefined;
    this.locals.set(key, found);
    return found;
  }

  /**
   * False when no function around `node` can bind `name`: its top-level statement writes the name
   * only once (where `node` reads it), while a parameter or an assignment would write it again.
   */
  private mayBindLocally(node: Node, name: string): boolean {
    const memo = treeMemo(this.scope, node);
    const statement = memo.statementAt(node.startIndex);
    if (!statement) {
      return true;
    }
    const key = `${statement.id}.${name}`;
    let may = this.written.get(key);
    if (may === undefined) {
      may = writtenTwice(this.scope.read(statement), name);
      this.written.set(key, may);
    }
    return may;
  }

  /** False when the parameter list of `fn` does not write `name`, so it names no such parameter. */
  private mayBeParameter(fn: Node, name: string): boolean {
    let text = this.parameterTexts.get(fn.id);
    if (text === undefined) {
      const list = treeMemo(this.scope, fn).field(fn, 'parameters');
      text = list ? this.scope.read(list) : '';
      this.parameterTexts.set(fn.id, text);
    }
    return text.includes(name);
  }

  /** The parameters of `fn` by name, each with its default (or itself, without one); cached. */
  private parametersOf(fn: Node): ReadonlyMap<string, readonly Node[]> {
    let parameters = this.parameters.get(fn.id);
    if (parameters) {
      return parameters;
    }
    const found = new Map<string, Node[]>();
    const add = (name: Node | null, value: Node | null): void => {
      if (name && value) {
        const key = this.scope.read(name);
        found.set(key, [...(found.get(key) ?? []), value]);
      }
    };
    const memo = treeMemo(this.scope, fn);
    const list = memo.field(fn, 'parameters');
    for (const parameter of list ? memo.namedChildrenOf(list) : []) {
      const type = memo.typeOf(parameter);
      if (type === 'default_parameter' || type === 'typed_default_parameter') {
        add(memo.field(parameter, 'name'), memo.field(parameter, 'value'));
      } else if (type === 'identifier') {
        add(parameter, parameter);
      } else if (type === 'typed_parameter') {
        const [name] = memo.namedChildrenOf(parameter);
        add(name ?? null, name ?? null);
      }
    }
    parameters = found;
    this.parameters.set(fn.id, parameters);
    return parameters;
  }
}

/** True when `name` occurs at least twice in `text` as a whole word (ASCII word boundaries). */
function writtenTwice(text: string, name: string): boolean {
  let count = 0;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    if (!WORD_CHAR.test(text.charAt(at - 1)) && !WORD_CHAR.test(text.charAt(at + name.length))) {
      count++;
      if (count > 1) {
        return true;
      }
    }
  }
  return false;
}

/** A character that continues a name; other characters (non-ASCII letters too) may end one. */
const WORD_CHAR = /^\w$/;

function unwrapDecorated(statement: Node | null): Node | null {
  return statement?.type === 'decorated_definition'
    ? statement.childForFieldName('definition')
    : statement;
}

function definesInit(definition: Node, scope: FileScope): boolean {
  return (definition.childForFieldName('body')?.namedChildren ?? []).some((statement) => {
    const fn = unwrapDecorated(statement);
    const name = fn?.type === 'function_definition' ? fn.childForFieldName('name') : null;
    return !!name && scope.read(name) === '__init__';
  });
}
