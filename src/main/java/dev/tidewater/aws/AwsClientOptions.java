package dev.tidewater.aws;

import java.time.Duration;

/**
 * Retry and rate-limit options of an {@link AwsClientFactory}, independent of configuration.
 *
 * @param requestsPerSecond a cap on all calls to one AWS service together, on top of the per-action
 *     buckets ({@link AwsRateLimits}); 0 for none
 * @param burst the cap's bucket size (with {@code requestsPerSecond} > 0)
 * @param rateShare the fraction (0, 1] of each per-action rate and burst the operator takes
 */
public record AwsClientOptions(
    int maxAttempts,
    Duration baseDelay,
    Duration throttlingBaseDelay,
    Duration maxBackoff,
    double requestsPerSecond,
    int burst,
    double rateShare) {

  public AwsClientOptions {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (requestsPerSecond < 0) {
      throw new IllegalArgumentException("requestsPerSecond must be >= 0 (0: no service cap)");
    }
    if (!(rateShare > 0 && rateShare <= 1)) {
      throw new IllegalArgumentException("rateShare must be in (0, 1]");
    }
  }

  /** Options with the whole of each per-action rate. */
  public AwsClientOptions(
      int maxAttempts,
      Duration baseDelay,
      Duration throttlingBaseDelay,
      Duration maxBackoff,
      double requestsPerSecond,
      int burst) {
    this(maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff, requestsPerSecond, burst, 1.0);
  }

  /** The options of the operator's configuration. */
  public static AwsClientOptions from(AwsSettings settings) {
    var r = settings.retry();
    var l = settings.rateLimit();
    return new AwsClientOptions(
        r.maxAttempts(),
        r.baseDelay(),
        r.throttlingBaseDelay(),
        r.maxBackoff(),
        l.requestsPerSecond(),
        l.burst(),
        l.share());
  }
}
