/**
 * A rule is metadata plus one pure check over a site and what is known about its file. Settings
 * change thresholds and severities, never code paths.
 */
import type {
  Evidence,
  FileContext,
  Fix,
  Framework,
  NormSite,
  Severity,
  SiteLocation,
} from '../model';
import type { WeightHealth } from '../onnx/index';

/** Per-rule configuration coming from VS Code settings or `normlens.json`. */
export interface RuleOptions {
  /** `off` disables the rule. */
  readonly severity?: Severity | 'off';
  /** Named numeric thresholds the rule declares in {@link Rule.thresholds}. */
  readonly thresholds?: Readonly<Record<string, number>>;
}

/** What a check reports; the engine adds the rule id, severity and location. */
export interface RuleHit {
  readonly message: string;
  /** Overrides the rule's default severity for this hit (e.g. info for a milder band). */
  readonly severity?: Severity;
  readonly related?: readonly Evidence[];
  readonly fixes?: readonly Fix[];
}

/** A hit of a file-level check, which says where it is (a code pattern is not a site). */
export interface FileRuleHit extends RuleHit {
  readonly location: SiteLocation;
}

/**
 * Per-site inputs beyond the site and its file: the weight health of a model's layer, which the
 * caller reads (lazily, only for rules that need it) before running the rules.
 */
export interface SiteInputs {
  readonly weights?: WeightHealth;
}

/** A named, documented threshold with its default. */
export interface Threshold {
  readonly name: string;
  readonly default: number;
  readonly description: string;
}

/** One entry of the risk-rule catalog. */
export interface Rule {
  /** Kebab-case id, as in the catalog and the CLI's JSON (`bn-small-batch`). */
  readonly id: string;
  /** Catalog number (`NORM002`). */
  readonly catalogId: string;
  /** One line, sentence case, no trailing dot. */
  readonly title: string;
  readonly defaultSeverity: Severity;
  readonly appliesTo: readonly Framework[];
  readonly thresholds: readonly Threshold[];
  /** `weights`: the rule reads {@link SiteInputs.weights} and finds nothing without them. */
  readonly needs?: 'weights';
  /** Returns the hits for one site; must not throw on any input. */
  check(
    site: NormSite,
    context: FileContext,
    thresholds: Readonly<Record<string, number>>,
    inputs?: SiteInputs,
  ): readonly RuleHit[];
  /**
   * Hits over the file as a whole, run once per input: hand-written code patterns (a copied
   * FrozenBatchNorm, AdaIN statistics) that are not normalization sites. Must not throw.
   */
  checkFile?(
    context: FileContext,
    thresholds: Readonly<Record<string, number>>,
  ): readonly FileRuleHit[];
}

/** The site check of a rule that only reads file-level facts ({@link Rule.checkFile}). */
export function noSiteHits(): readonly RuleHit[] {
  return [];
}
