package dev.tidewater.model;

import java.util.Optional;

/**
 * What a namespace's ceiling ({@link TenancyCeiling}) refuses of its own resources, as problems
 * naming the field and the refusing policy (pure: the same checks run in reconcilers and tests).
 */
public final class TenancyChecks {

  /** The reason of every refusal by the ceiling. */
  public static final String FORBIDDEN = "ForbiddenByTenancyPolicy";

  private TenancyChecks() {}

  /** {@code adopt: true} where no governing policy allows adoption. */
  public static Optional<Problem> adopt(Boolean adopt, TenancyCeiling ceiling) {
    if (!Boolean.TRUE.equals(adopt)) return Optional.empty();
    return ceiling
        .refusalOfAdopt()
        .map(
            policy ->
                new Problem(
                    "adopt",
                    FORBIDDEN,
                    "adopt: true is not allowed in namespace "
                        + ceiling.namespace()
                        + " by "
                        + describe(policy)
                        + " (allowAdopt is not true): an object not made by Tidewater for this"
                        + " resource is never taken over"));
  }

  /** "TenancyPolicy x", or the built-in ceiling's own wording. */
  public static String describe(String policy) {
    return TenancyCeiling.BUILT_IN.equals(policy) ? policy : "TenancyPolicy " + policy;
  }
}
