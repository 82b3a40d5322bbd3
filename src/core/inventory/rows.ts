/**
 * Turns a model's report into inventory rows: one per normalization site, with its effective
 * epsilon, momentum and axis (defaults marked), its fusion state and the findings on its nodes.
 * Shared by the inventory editors and `normlens inventory`; data shaping only.
 */
import { formatNumber } from '../explain/format';
import {
  severityRank,
  type FileReport,
  type Finding,
  type NormKind,
  type NormSite,
  type Param,
  type Severity,
  type SiteLocation,
} from '../model';
import type { OnnxNormSite } from '../onnx/detect/site';
import type { TfjsNormSite } from '../tfjs/types';

/** An effective parameter value as shown: its text, and whether it is the op's default. */
export interface InventoryCell {
  readonly text: string;
  readonly isDefault: boolean;
}

/** One finding on a row. */
export interface InventoryFinding {
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
}

/** One normalization layer (or decomposed pattern) of the model. */
export interface InventoryRow {
  /** Index of the site in the report; the webview asks to visualize a row by this id. */
  readonly id: number;
  /** Family: `BatchNorm`, `LayerNorm`, … */
  readonly kind: string;
  /** Operator or layer class, with the variant when it says more (`decomposed LayerNorm`). */
  readonly op: string;
  /** `opset 17 · v17` for ONNX, empty for tfjs. */
  readonly opset: string;
  /** Node or layer names. Untrusted: rendered as text. */
  readonly nodes: readonly string[];
  readonly eps: InventoryCell;
  readonly momentum: InventoryCell;
  readonly axis: InventoryCell;
  /** Element type of the normalized input (or the layer's dtype), empty when unknown. */
  readonly dtype: string;
  /** `native`, `decomposed (9 nodes)`, `unfused after Conv_3`, `folded into conv`. */
  readonly fused: string;
  readonly findings: readonly InventoryFinding[];
  /** True when the layer has constant weights the panel can show. */
  readonly canVisualize: boolean;
}

const KIND_LABEL: Readonly<Record<NormKind, string>> = {
  batchnorm: 'BatchNorm',
  layernorm: 'LayerNorm',
  instancenorm: 'InstanceNorm',
  groupnorm: 'GroupNorm',
  rmsnorm: 'RMSNorm',
  lrn: 'LRN',
  other: 'Other',
};

const NOT_APPLICABLE: InventoryCell = { text: '', isDefault: false };

/** The rows of a report, in site order; `canVisualize` says which sites have weights to show. */
export function inventoryRows(
  report: FileReport,
  canVisualize: (site: NormSite) => boolean,
): InventoryRow[] {
  const findings = findingsBySite(report);
  return report.sites.map((site, id) => {
    const shape = site.framework === 'onnx' ? onnxColumns(site as OnnxNormSite) : tfjsColumns(site);
    return {
      id,
      kind: KIND_LABEL[site.kind],
      nodes: site.location.type === 'graph' ? site.location.nodes : [],
      eps: cell(site.params['epsilon']),
      momentum: cell(site.params['momentum']),
      axis: cell(site.params['axis'] ?? site.params['axes']),
      findings: (findings.get(locationKey(site.location)) ?? [])
        .map(toRowFinding)
        .sort((a, b) => severityRank(a.severity) - severityRank(b.severity)),
      canVisualize: canVisualize(site),
      ...shape,
    };
  });
}

type Columns = Pick<InventoryRow, 'op' | 'opset' | 'dtype' | 'fused'>;

function onnxColumns(site: OnnxNormSite): Columns {
  const { context } = site;
  const domain = context.domain === '' || context.domain === 'ai.onnx' ? '' : `${context.domain}.`;
  const op = context.decomposed ? site.variant : `${domain}${context.op}`;
  const opset = [
    context.opsetImport === undefined ? '' : `opset ${context.opsetImport}`,
    context.opVersion === undefined ? '' : `v${context.opVersion}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
  const nodeCount = site.location.nodes.length;
  const fused = context.decomposed
    ? `decomposed (${nodeCount} nodes)`
    : context.foldableInto !== undefined
      ? `unfused after ${context.foldableInto}`
      : 'native';
  return { op, opset, dtype: context.input?.dtype ?? '', fused };
}

function tfjsColumns(site: NormSite): Columns {
  const { context } = site as TfjsNormSite;
  const fused =
    context.foldedInto !== undefined
      ? `folded into ${context.foldedInto}`
      : context.unsupportedClass !== undefined
        ? `not loadable by tfjs (${context.unsupportedClass})`
        : 'layer';
  return { op: site.callee ?? site.variant, opset: '', dtype: '', fused };
}

/** A parameter as shown: numbers rounded to what their float32 storage means, defaults marked. */
function cell(param: Param | undefined): InventoryCell {
  const value = param?.value;
  if (value === undefined || value === null) {
    return param?.source === 'unknown' ? { text: 'unknown', isDefault: false } : NOT_APPLICABLE;
  }
  return { text: formatValue(value), isDefault: param?.source === 'default' };
}

function formatValue(value: Exclude<Param['value'], null>): string {
  if (typeof value === 'number') {
    return shownNumber(value);
  }
  if (typeof value === 'object') {
    return `[${value.map(shownNumber).join(', ')}]`;
  }
  return String(value);
}

/**
 * Six significant digits first: an epsilon stored as float32 (9.99999974e-6) reads as the 1e-5
 * that was written.
 */
function shownNumber(value: number): string {
  return formatNumber(Number.isFinite(value) ? Number(value.toPrecision(6)) : value);
}

/** A finding belongs to the site whose node list it carries: this key compares node lists. */
export function locationKey(location: SiteLocation): string {
  return location.type === 'graph' ? location.nodes.join('\u0000') : '';
}

function findingsBySite(report: FileReport): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const key = locationKey(finding.location);
    const list = map.get(key);
    if (list) {
      list.push(finding);
    } else {
      map.set(key, [finding]);
    }
  }
  return map;
}

function toRowFinding(finding: Finding): InventoryFinding {
  return { severity: finding.severity, rule: finding.rule, message: finding.message };
}
