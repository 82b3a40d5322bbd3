/**
 * Turns a kind's data (text, variants) and its reduction rule into a {@link NormDescriptor}, with
 * the variant lookup every descriptor shares.
 */
import type { Framework } from '../model';
import type { NormDescriptor, ParamSpec, Reduction, ReductionInput, VariantSpec } from './types';

/** A descriptor without the two methods, which {@link defineDescriptor} derives. */
export type DescriptorData = Omit<NormDescriptor, 'params' | 'reduction'>;

/** The variant called `name` (canonical or alias); one of `framework` wins over other matches. */
export function findVariant(
  variants: readonly VariantSpec[],
  name: string,
  framework?: Framework,
): VariantSpec | undefined {
  const matches = variants.filter((v) => v.name === name || v.aliases.includes(name));
  return matches.find((v) => v.framework === framework) ?? matches[0];
}

/**
 * Builds a descriptor. `reduce` receives the resolved variant, or undefined when the name is
 * unknown, in which case it should answer with the kind's generic phrase.
 */
export function defineDescriptor(
  data: DescriptorData,
  reduce: (variant: VariantSpec | undefined, input: ReductionInput) => Reduction,
): NormDescriptor {
  return {
    ...data,
    params(variant: string, framework: Framework): readonly ParamSpec[] {
      return findVariant(data.variants, variant, framework)?.params ?? [];
    },
    reduction(input: ReductionInput): Reduction {
      return reduce(findVariant(data.variants, input.variant, input.framework), input);
    },
  };
}
