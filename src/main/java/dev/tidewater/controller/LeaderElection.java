package dev.tidewater.controller;

import dev.tidewater.model.Shard;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election over a Lease, so several operator replicas never reconcile at once. The Operator
 * SDK uses it only in the profiles named by {@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles} ({@code cluster}: what the Helm chart
 * and deploy/ run), so local runs and tests stay single-instance without a Lease. The SDK's own
 * exit on stop-leading is off: {@link LeaseHandover} decides instead (the SDK's deadlocks on
 * SIGTERM).
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

  /** Leader election settings ({@code tidewater.leader-election.*}). */
  @ConfigMapping(prefix = "tidewater.leader-election")
  public interface Settings {
    /** Name of the Lease; a shard's is this name followed by {@code -<shard name>}. */
    @WithDefault("tidewater-operator")
    String leaseName();

    /** Namespace of the Lease; default: the operator's own (POD_NAMESPACE / in-cluster). */
    Optional<String> leaseNamespace();

    /** This replica's identity in the Lease; default: host name and process id. */
    Optional<String> identity();

    /** How long a Lease not renewed stays with its holder before a standby may take it. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often a standby tries to acquire, and the leader to renew. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /**
   * The Lease this replica competes for: {@code tidewater.leader-election.lease-name}, followed by
   * {@code -<shard>} for a shard, so that each shard has its leader and standbys of its own.
   */
  public static String leaseName(Settings settings, ShardNamespaces.Settings shard) {
    return Shard.of(shard.name(), shard.namespaceSelector())
        .map(s -> s.leaseName(settings.leaseName()))
        .orElse(settings.leaseName());
  }

  @SuppressWarnings("deprecation") // the builder's result cannot be subclassed into a bean
  public LeaderElection(Settings settings, ShardNamespaces.Settings shard, LeaseHandover handover) {
    super(
        leaseName(settings, shard),
        settings.leaseNamespace().orElse(null),
        settings.leaseDuration(),
        settings.renewDeadline(),
        settings.retryPeriod(),
        handover.identity(),
        handover.callbacks(),
        false);
  }
}
