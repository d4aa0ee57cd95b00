package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * What a replica does when it stops leading. On shutdown it hands the Lease over at once (holder
 * cleared, duration one second), so a standby takes over within its retry period instead of the
 * lease duration. When leadership is lost while running, the process exits so that it never
 * reconciles beside the new leader; the exit is asynchronous, because the Operator SDK (5.3.2)
 * calls back from inside the shutdown hook, where a {@code System.exit} deadlocks the JVM until it
 * is killed (java-operator-sdk #1614 / #3376).
 */
@Singleton
public class LeaseHandover {

  private static final Logger LOG = Logger.getLogger(LeaseHandover.class);

  private final String leaseName;
  private final Optional<String> leaseNamespace;
  private final String identity;
  private final Instance<KubernetesClient> client;
  private final IntConsumer exit;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  @Inject
  public LeaseHandover(
      LeaderElection.Settings settings,
      ShardNamespaces.Settings shard,
      Instance<KubernetesClient> client) {
    this(
        LeaderElection.leaseName(settings, shard),
        settings.leaseNamespace(),
        settings.identity().orElseGet(LeaseHandover::defaultIdentity),
        client,
        Quarkus::asyncExit);
  }

  LeaseHandover(
      String leaseName,
      Optional<String> leaseNamespace,
      String identity,
      Instance<KubernetesClient> client,
      IntConsumer exit) {
    this.leaseName = leaseName;
    this.leaseNamespace = leaseNamespace;
    this.identity = identity;
    this.client = client;
    this.exit = exit;
  }

  private static String defaultIdentity() {
    String host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("tidewater");
    // the pid keeps two replicas on one host (tests, a laptop) from sharing an identity
    return host + "-" + ProcessHandle.current().pid();
  }

  /** This replica's identity in the Lease. */
  public String identity() {
    return identity;
  }

  // before the Operator SDK's own ShutdownEvent observer stops the operator (default priority 2500)
  void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
    shuttingDown.set(true);
  }

  /** The callbacks the Operator SDK's leader elector calls. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(
        () -> LOG.infof("%s leads (Lease %s)", identity, leaseName),
        this::stoppedLeading,
        leader -> {});
  }

  void stoppedLeading() {
    if (shuttingDown.get()) {
      release();
    } else {
      LOG.errorf(
          "%s lost the Lease %s; exiting so that only the new leader reconciles",
          identity, leaseName);
      exit.accept(1);
    }
  }

  /**
   * Clears the holder of the Lease if it is still this replica's (optimistic: by resourceVersion).
   */
  void release() {
    KubernetesClient kube = client.get();
    String namespace = leaseNamespace.orElseGet(() -> kube.getConfiguration().getNamespace());
    try {
      Lease lease = kube.leases().inNamespace(namespace).withName(leaseName).get();
      if (lease == null
          || lease.getSpec() == null
          || !Objects.equals(identity, lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.now();
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      kube.resource(lease).update();
      LOG.infof("%s released the Lease %s/%s", identity, namespace, leaseName);
    } catch (KubernetesClientException e) {
      // a conflict means another replica already took it; anything else: the Lease expires
      LOG.warnf(
          "%s could not release the Lease %s/%s (%s); it expires after its duration",
          identity, namespace, leaseName, e.getMessage());
    }
  }
}
