package dev.tidewater.aws;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Operator-wide AWS settings ({@code tidewater.aws.*}); a Cluster's own AWS context wins. */
@ConfigMapping(prefix = "tidewater.aws")
public interface AwsSettings {

  /** Region used when a Cluster names none. */
  @WithDefault("us-east-1")
  String region();

  /** Endpoint override for every AWS API (moto, VPC endpoints); unset means AWS's own. */
  Optional<URI> endpoint();

  /**
   * How often a TaskDefinition on the ecs backend is compared with its ECS family when nothing
   * changed (a generation or role change compares at once); resyncs in between read nothing.
   */
  @WithDefault("1h")
  Duration taskDefinitionDriftPeriod();

  /**
   * How often a converged TaskRole's IAM role is read back from IAM to restore drift (DESIGN.md
   * rule 10); a change of the TaskRole or its Cluster is acted on at once.
   */
  @WithDefault("1h")
  Duration iamDriftPeriod();

  /** Retry settings. */
  Retry retry();

  /** Client-side rate limits: per action group ({@link AwsRateLimits}), optionally per service. */
  RateLimit rateLimit();

  /** Retries with exponential backoff and full jitter on throttling, 5xx and network errors. */
  interface Retry {
    /** Attempts per call, the first one included. */
    @WithDefault("6")
    int maxAttempts();

    /** Base delay for errors other than throttling. */
    @WithDefault("100ms")
    Duration baseDelay();

    /** Base delay after a throttling error. */
    @WithDefault("500ms")
    Duration throttlingBaseDelay();

    /** Upper bound of one backoff delay. */
    @WithDefault("20s")
    Duration maxBackoff();
  }

  /**
   * The operator paces each action below AWS's bucket for it ({@link AwsRateLimits}, shared by
   * every caller in the account and Region); these settings only tighten that.
   */
  interface RateLimit {
    /** The fraction (0, 1] of each per-action rate and burst the operator takes. */
    @WithDefault("1.0")
    double share();

    /** A cap on all calls to one AWS service together, requests per second; 0 for none. */
    @WithDefault("0")
    double requestsPerSecond();

    /** Bucket size of that cap. */
    @WithDefault("20")
    int burst();
  }
}
