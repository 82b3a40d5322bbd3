/**
 * Custom `tf.layers.Layer` subclasses that normalize (a hand-written InstanceNorm or GroupNorm is
 * the usual way around tfjs having neither). A subclass normalizes when its body contains a
 * normalization site; each `new Subclass(…)` becomes a site of the same kind.
 */
import type { Node } from 'web-tree-sitter';
import { rangeOf } from '../../syntax/ranges';
import type { TfjsNormSite } from '../types';
import type { SourceScope } from './sites';
import { childrenOf } from './syntax';

/** A subclass of `tf.layers.Layer` declared in the file. */
interface LayerClass {
  readonly name: string;
  readonly node: Node;
  readonly base: string;
}

/** The sites inside normalizing subclasses tagged with the class, plus one site per instantiation. */
export function customLayerSites(
  root: Node,
  sites: readonly TfjsNormSite[],
  scope: SourceScope,
): TfjsNormSite[] {
  const classes = layerClasses(root, scope);
  const normalizing = new Map<string, TfjsNormSite>();
  const tagged = sites.map((site) => {
    const owner = classes.find((c) => site.location.type === 'text' && contains(c.node, site));
    if (!owner) {
      return site;
    }
    if (!normalizing.has(owner.name)) {
      normalizing.set(owner.name, site);
    }
    return { ...site, context: { ...site.context, customLayer: owner.name } };
  });
  const instances: TfjsNormSite[] = [];
  for (const expression of root.descendantsOfType('new_expression')) {
    const constructor = expression?.childForFieldName('constructor');
    const name = constructor?.type === 'identifier' ? scope.read(constructor) : undefined;
    const inner = name === undefined ? undefined : normalizing.get(name);
    const owner = classes.find((c) => c.name === name);
    if (!expression || !constructor || !name || !inner || !owner) {
      continue;
    }
    instances.push({
      kind: inner.kind,
      variant: name,
      framework: 'tfjs',
      location: { type: 'text', range: rangeOf(expression) },
      nameRange: rangeOf(constructor),
      callee: name,
      resolvedFrom: `${name} → class ${name} extends ${owner.base} (normalizes with ${inner.callee ?? inner.variant})`,
      params: {},
      context: { origin: 'source', customLayer: name },
    });
  }
  return [...tagged, ...instances];
}

/** Classes extending `tf.layers.Layer`, directly or through another class of the file. */
function layerClasses(root: Node, scope: SourceScope): LayerClass[] {
  const declared = root
    .descendantsOfType(['class_declaration', 'class', 'abstract_class_declaration'])
    .filter((node): node is Node => node !== null);
  const found: LayerClass[] = [];
  // Each pass can add subclasses of classes found by the previous one.
  for (let pass = 0; pass < 3; pass++) {
    for (const node of declared) {
      const name = className(node, scope);
      const heritage = heritageOf(node);
      if (!name || !heritage || found.some((c) => c.node.id === node.id)) {
        continue;
      }
      const path = scope.names.resolve(heritage, scope.read);
      const written = scope.read(heritage);
      if (path === 'tf.layers.Layer' || found.some((c) => c.name === written)) {
        found.push({ name, node, base: written });
      }
    }
  }
  return found;
}

function className(node: Node, scope: SourceScope): string | undefined {
  const name = node.childForFieldName('name');
  if (name) {
    return scope.read(name);
  }
  // `const InstanceNorm = class extends tf.layers.Layer {…}` takes the binding's name.
  const declarator = node.parent?.type === 'variable_declarator' ? node.parent : null;
  const binding = declarator?.childForFieldName('name');
  return binding ? scope.read(binding) : undefined;
}

/** The `extends` expression (JavaScript: `class_heritage > expr`; TypeScript: `extends_clause`). */
function heritageOf(node: Node): Node | undefined {
  const heritage = childrenOf(node).find((child) => child.type === 'class_heritage');
  const first = heritage ? childrenOf(heritage)[0] : undefined;
  if (first?.type === 'extends_clause') {
    return first.childForFieldName('value') ?? undefined;
  }
  return first;
}

function contains(node: Node, site: TfjsNormSite): boolean {
  if (site.location.type !== 'text') {
    return false;
  }
  const { start, end } = site.location.range;
  const from = node.startPosition;
  const to = node.endPosition;
  const afterStart =
    start.line > from.row || (start.line === from.row && start.character >= from.column);
  const beforeEnd = end.line < to.row || (end.line === to.row && end.character <= to.column);
  return afterStart && beforeEnd;
}
