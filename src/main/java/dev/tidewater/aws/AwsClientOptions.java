package dev.tidewater.aws;

import java.time.Duration;

/** Retry and rate-limit options of an {@link AwsClientFactory}, independent of configuration. */
public record AwsClientOptions(
    int maxAttempts,
    Duration baseDelay,
    Duration throttlingBaseDelay,
    Duration maxBackoff,
    double requestsPerSecond,
    int burst) {

  public AwsClientOptions {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
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
        l.burst());
  }
}
