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

  /** Client-side rate limit, per AWS service. */
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

  /** A token bucket per AWS service. */
  interface RateLimit {
    /** Sustained requests per second. */
    @WithDefault("10")
    double requestsPerSecond();

    /** Requests allowed at once after a quiet period. */
    @WithDefault("20")
    int burst();
  }
}
