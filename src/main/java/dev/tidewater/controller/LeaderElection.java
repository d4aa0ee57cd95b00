package dev.tidewater.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Leader election over a Lease, so several operator replicas never reconcile at once. The Operator
 * SDK uses it only in the profiles named by {@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles} ({@code cluster}: what the Helm chart
 * and deploy/ run), so local runs and tests stay single-instance without a Lease.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

  /** Leader election settings ({@code tidewater.leader-election.*}). */
  @ConfigMapping(prefix = "tidewater.leader-election")
  public interface Settings {
    /** Name of the Lease. */
    @WithDefault("tidewater-operator")
    String leaseName();

    /** Namespace of the Lease; default: the operator's own (POD_NAMESPACE / in-cluster). */
    Optional<String> leaseNamespace();

    /** This replica's identity in the Lease; default: host name and process id. */
    Optional<String> identity();
  }

  public LeaderElection(Settings settings) {
    super(
        settings.leaseName(),
        settings.leaseNamespace().orElse(null),
        settings.identity().orElseGet(LeaderElection::defaultIdentity));
  }

  private static String defaultIdentity() {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("tidewater");
    // the pid keeps two replicas on one host (tests, a laptop) from sharing an identity
    return host + "-" + ProcessHandle.current().pid();
  }
}
