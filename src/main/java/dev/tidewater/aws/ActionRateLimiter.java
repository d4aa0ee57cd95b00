package dev.tidewater.aws;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The client-side pacing of one AWS service: before every HTTP attempt (retries included), a permit
 * from the token bucket of the call's action group ({@link AwsRateLimits}), scaled by the share of
 * AWS's rates the operator takes (the account's buckets are shared with every other caller), and
 * from an optional cap on the whole service.
 */
public final class ActionRateLimiter implements ExecutionInterceptor {

  private final AwsRateLimits.ServiceLimits limits;
  private final Function<AwsRateLimits.Bucket, ClientRateLimiter> newLimiter;
  private final Optional<ClientRateLimiter> serviceCap;
  private final Map<String, ClientRateLimiter> buckets = new ConcurrentHashMap<>();

  /**
   * @param share the fraction (0, 1] of each documented rate and burst the operator uses
   * @param serviceCap a limit on all calls to the service together, if any
   */
  public ActionRateLimiter(
      AwsRateLimits.ServiceLimits limits, double share, Optional<ClientRateLimiter> serviceCap) {
    this(
        limits,
        b -> new ClientRateLimiter(b.perSecond() * share, Math.max(1, (int) (b.burst() * share))),
        serviceCap,
        share);
  }

  ActionRateLimiter(
      AwsRateLimits.ServiceLimits limits,
      Function<AwsRateLimits.Bucket, ClientRateLimiter> newLimiter,
      Optional<ClientRateLimiter> serviceCap,
      double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("rate limit share must be in (0, 1], was " + share);
    }
    this.limits = limits;
    this.newLimiter = newLimiter;
    this.serviceCap = serviceCap;
  }

  /** Takes the permits a call of {@code operation} needs, waiting for them. */
  public void acquire(String operation) {
    AwsRateLimits.Bucket bucket = limits.bucketOf(operation);
    buckets.computeIfAbsent(bucket.name(), n -> newLimiter.apply(bucket)).acquire();
    serviceCap.ifPresent(ClientRateLimiter::acquire);
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    acquire(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }
}
