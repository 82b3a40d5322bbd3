/**
 * The site record every decomposed pattern (LayerNorm/RMSNorm, GroupNorm, LRN written out in
 * primitive ops) produces: no native node, so no attributes or op version, one output, and the
 * pattern's own nodes plus the constant plumbing that feeds only them.
 */
import type { NormKind, Param } from '../../model';
import type { OnnxNode } from '../types';
import {
  exclusiveFeeders,
  inputOf,
  makeSite,
  producerOf,
  type DetectScope,
  type OnnxNormSite,
  type OnnxSiteContext,
} from './site';

/** What a decomposed matcher found; the rest of the site follows from it. */
export interface DecomposedMatch {
  readonly kind: NormKind;
  readonly variant: string;
  /** The pattern's nodes; nodes feeding only them are added. */
  readonly nodes: readonly OnnxNode[];
  readonly params: Readonly<Record<string, Param>>;
  /** The op the pattern is anchored on. */
  readonly op: string;
  /** The normalized input X. */
  readonly input: string | undefined;
  /** γ/β constants by role; a constant γ also gives the site its scale shape. */
  readonly tensors: OnnxSiteContext['tensors'];
  /** Storage type of the epsilon constant, when the pattern has one. */
  readonly epsilonType?: string;
}

/** Builds the site of a decomposed pattern. */
export function decomposedSite(scope: DetectScope, match: DecomposedMatch): OnnxNormSite {
  const { index } = scope;
  const scale = match.tensors.scale === undefined ? undefined : index.constant(match.tensors.scale);
  return makeSite(scope, {
    kind: match.kind,
    variant: match.variant,
    nodes: [...match.nodes, ...exclusiveFeeders(index, match.nodes)],
    params: match.params,
    context: {
      op: match.op,
      domain: '',
      opVersion: undefined,
      decomposed: true,
      input: inputOf(index, match.input),
      producer: producerOf(index, match.input),
      attributes: {},
      tensors: match.tensors,
      ...(match.epsilonType !== undefined ? { epsilonType: match.epsilonType } : {}),
      outputCount: 1,
      ...(scale?.type === 'tensor' ? { scaleShape: scale.tensor.dims } : {}),
    },
  });
}
