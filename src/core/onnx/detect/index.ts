/**
 * Normalization inventory of an ONNX model: native ops, ONNX Runtime contrib ops, decomposed
 * patterns (each as ONE site) and unfused Conv/Gemm → BatchNormalization pairs.
 */
import { graphsBelow } from '../graph-index';
import type { OnnxGraph, OnnxModel, OnnxNode } from '../types';
import { allGraphs, ConstantTable, indexGraphs } from './constants';
import { decomposedGroupNormAt } from './decomposed-groupnorm';
import { decomposedNormAt } from './decomposed-norm';
import { lrnChainAt } from './lrn-chain';
import { nativeSite } from './native';
import type { DetectScope, OnnxNormSite } from './site';
import type { MatchContext } from './walk';

type Matcher = (
  scope: DetectScope,
  context: MatchContext,
  node: OnnxNode,
) => OnnxNormSite | undefined;

/** Patterns first (they absorb the InstanceNormalization of a GroupNorm), native ops last. */
const MATCHERS: readonly Matcher[] = [
  decomposedGroupNormAt,
  decomposedNormAt,
  lrnChainAt,
  (scope, _context, node) => nativeSite(scope, node),
];

function importsByGraph(model: OnnxModel): Map<OnnxGraph, ReadonlyMap<string, number>> {
  const imports = new Map<OnnxGraph, ReadonlyMap<string, number>>();
  for (const graph of graphsBelow(model.graph)) {
    imports.set(graph, model.opsetImports);
  }
  for (const fn of model.functions) {
    // A function body uses its own imports, falling back to the model's for unlisted domains.
    const merged = new Map([...model.opsetImports, ...fn.opsetImports]);
    for (const graph of graphsBelow(fn.body)) {
      imports.set(graph, merged);
    }
  }
  return imports;
}

/**
 * Lists every normalization in the model, in graph order, main graph first. Reads only small
 * constants (epsilons, axes, group counts), never weights.
 */
export async function detectNormSites(model: OnnxModel): Promise<OnnxNormSite[]> {
  const graphs = allGraphs(model);
  const indexes = indexGraphs(graphs);
  const constants = await ConstantTable.load(model, indexes);
  const imports = importsByGraph(model);
  const sites: OnnxNormSite[] = [];
  for (const graph of graphs) {
    const index = indexes.get(graph);
    if (!index) {
      continue;
    }
    const scope: DetectScope = { index, imports: imports.get(graph) ?? model.opsetImports };
    const context: MatchContext = { index, constants };
    const claimed = new Set<string>();
    const found: OnnxNormSite[] = [];
    for (const matcher of MATCHERS) {
      for (const node of graph.nodes) {
        if (claimed.has(node.id)) {
          continue;
        }
        const site = matcher(scope, context, node);
        if (site && !site.location.nodes.some((id) => claimed.has(id))) {
          site.location.nodes.forEach((id) => claimed.add(id));
          found.push(site);
        }
      }
    }
    const order = new Map(graph.nodes.map((n, k) => [n.id, k]));
    const position = (site: OnnxNormSite) => order.get(site.location.nodes[0] ?? '') ?? 0;
    sites.push(...found.sort((a, b) => position(a) - position(b)));
  }
  return sites;
}

export type {
  AttributeSummary,
  OnnxNormSite,
  OnnxSiteContext,
  SiteInput,
  SiteProducer,
  TensorRole,
} from './site';
