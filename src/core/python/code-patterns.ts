/**
 * Facts about hand-written PyTorch code that rules read besides normalization sites: a copied
 * FrozenBatchNorm without epsilon, AdaIN's unbiased statistics, how the file runs its model
 * (distributed set-up, CPU moves, training) and reads of norm modules' state. A file holding none
 * of the tokens these patterns need is not parsed.
 */
import type { Parser } from 'web-tree-sitter';
import type { CodeFacts } from '../model';
import { textReader } from '../syntax/ranges';
import { findUnbiasedInstanceStats } from './code-patterns-adain';
import { findRsqrtWithoutEps } from './code-patterns-frozen-bn';
import { findRuntimeEvidence, findStateReads } from './code-patterns-runtime';

/** The statistics calls AdaIN code makes; a file without any cannot hold that pattern. */
const STATS = /\.(?:var|std)\(/;

/**
 * An attribute read of module state ({@link findStateReads}); the dot may be followed by a line
 * continuation, or by a newline and comments inside brackets. Most files with an InstanceNorm read
 * none, and without this they would be parsed a second time for nothing.
 */
const STATE_READ = /\.(?:\s|\\|#[^\n]*\n)*(?:weight|bias|running_mean|running_var)\b/;

/**
 * The code facts of one Python text, parsing it only when one of the patterns' tokens occurs.
 * Undefined when none does (or the parser fails). Never throws for any text.
 */
export function findCodeFacts(parser: Parser, text: string): CodeFacts | undefined {
  const wanted = {
    rsqrt: text.includes('rsqrt'),
    stats: STATS.test(text),
    // Runtime set-up matters to SyncBatchNorm (and convert_sync_batchnorm); state reads to
    // InstanceNorm sites.
    runtime: text.includes('SyncBatchNorm') || text.includes('convert_sync_batchnorm'),
    state: text.includes('InstanceNorm') && STATE_READ.test(text),
  };
  if (!Object.values(wanted).some(Boolean)) {
    return undefined;
  }
  const tree = parser.parse(text);
  if (!tree) {
    return undefined;
  }
  try {
    const root = tree.rootNode;
    const read = textReader(text);
    return {
      rsqrtWithoutEps: wanted.rsqrt ? findRsqrtWithoutEps(root, read) : [],
      unbiasedInstanceStats: wanted.stats ? findUnbiasedInstanceStats(root, read) : [],
      runtime: wanted.runtime ? findRuntimeEvidence(root, read) : [],
      stateReads: wanted.state ? findStateReads(root, read) : [],
    };
  } catch {
    // A pattern finder's bug must not cost the file its other findings.
    return undefined;
  } finally {
    tree.delete();
  }
}
