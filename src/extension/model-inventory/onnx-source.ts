/**
 * The inventory of one `.onnx` file: analysed once (structure, detection, rules), and each row's
 * weights read on demand from the same open file.
 */
import {
  needsWeights,
  readOnnxModel,
  RULES,
  type FileReport,
  type LayerWeights,
  type NormSite,
  type OnnxModel,
  type OnnxNormSite,
  type RuleConfig,
  type SourceAnalyzer,
} from '../../core/index';
import type { InventoryResult, InventorySource } from './inventory-view';
import { onnxLayerWeights } from './layer-weights';
import type { OpenedModel } from './open-model';
import { inventoryRows } from '../../core/index';

/**
 * One opened ONNX model and its analysis, in two steps: the structure with the rules that need no
 * weights (fast: 10,000 layers in about a second), then, when a weight rule is on, the full analysis
 * that reads every layer's γ and running statistics. The inventory shows the first and updates.
 */
export class OnnxModelInventory implements InventorySource {
  /** The report without weight rules (the same as `report` when no weight rule is on). */
  readonly structure: Promise<FileReport>;
  /** The full report; the Problems entries come from it. */
  readonly report: Promise<FileReport>;
  private readonly weightsPending: boolean;
  private model: Promise<OnnxModel> | undefined;

  constructor(
    private readonly fileName: string,
    private readonly opened: OpenedModel,
    analyzer: SourceAnalyzer,
    rules: RuleConfig,
    private readonly signal: AbortSignal,
  ) {
    const analyze = (config: RuleConfig): Promise<FileReport> =>
      analyzer.analyzeOnnx(opened.source, {
        rules: config,
        signal,
        ...(opened.resolveExternal ? { resolveExternal: opened.resolveExternal } : {}),
      });
    this.structure = analyze(withoutWeightRules(rules));
    this.weightsPending = needsWeights(rules);
    // The weights are read after the structure, so the first inventory is not slowed down.
    this.report = this.weightsPending
      ? this.structure.then((first) => (first.sites.length > 0 ? analyze(rules) : first))
      : this.structure;
  }

  async inventory(): Promise<InventoryResult> {
    const report = await this.structure;
    const pending = this.weightsPending && report.sites.length > 0;
    return this.toResult(report, pending ? ['Checking the weights of each layer…'] : []);
  }

  async checked(): Promise<InventoryResult | undefined> {
    return this.weightsPending ? this.toResult(await this.report, []) : undefined;
  }

  private toResult(report: FileReport, notes: readonly string[]): InventoryResult {
    const fatal = report.errors.find((e) => e.kind === 'invalid' || e.kind === 'internal');
    if (report.sites.length === 0 && fatal) {
      return {
        ok: false,
        message: fatal.message,
        ...(fatal.offset === undefined ? {} : { offset: fatal.offset }),
      };
    }
    return {
      ok: true,
      inventory: {
        title: this.fileName,
        format: 'ONNX model',
        rows: inventoryRows(report, hasOnnxWeights),
        notes: [...notes, ...report.errors.map((e) => e.message)],
      },
    };
  }

  async layer(id: number): Promise<LayerWeights> {
    // Both analyses list the same sites in the same order; the first one is ready sooner.
    const site = (await this.structure).sites[id];
    if (site?.framework !== 'onnx') {
      throw new Error(`no layer ${id} in this model`);
    }
    // The analysis read the structure once already; the panel's reads reuse one second reading.
    this.model ??= readOnnxModel(this.opened.source, {
      signal: this.signal,
      ...(this.opened.resolveExternal ? { resolveExternal: this.opened.resolveExternal } : {}),
    });
    return onnxLayerWeights(await this.model, site as OnnxNormSite, this.fileName);
  }
}

/** The rule options with every weight-reading rule switched off. */
function withoutWeightRules(rules: RuleConfig): RuleConfig {
  const off = Object.fromEntries(
    RULES.filter((rule) => rule.needs === 'weights').map((rule) => [
      rule.id,
      { ...rules[rule.id], severity: 'off' as const },
    ]),
  );
  return { ...rules, ...off };
}

function hasOnnxWeights(site: NormSite): boolean {
  const { tensors } = (site as OnnxNormSite).context;
  return ['scale', 'bias', 'mean', 'var'].some((role) => role in tensors);
}
