package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.ReadyCondition;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas as the Helm chart runs them (profile {@code cluster}, the chart's ServiceAccount, its
 * Lease in the release namespace): one holds the Lease and reconciles, the others stand by; SIGTERM
 * ends a replica within seconds and hands the Lease over; a killed leader is replaced within the
 * lease duration and the work converges without duplicate writes.
 */
class LeaderElectionIT {

  /**
   * How long the chart's replicas hold an unrenewed Lease
   * (tidewater.leader-election.lease-duration).
   */
  private static final Duration LEASE_DURATION = Duration.ofSeconds(15);

  private static final TestGround ground = TestGround.get();
  private String ns;
  private String leaseName;

  @BeforeEach
  void namespace() {
    Crds.apply(ground.admin());
    ns = ground.createNamespace("leader");
    // one Lease per test, shared by its replicas, in the namespace the chart's Role covers
    leaseName = "tidewater-" + ns;
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
    ground.deleteOperatorLease(leaseName);
  }

  private OperatorProcess replica(String identity) {
    return OperatorProcess.start(
        ground,
        Map.of(
            "TIDEWATER_LEADER_ELECTION_LEASE_NAME", leaseName,
            "TIDEWATER_LEADER_ELECTION_IDENTITY", identity,
            // only this test's namespace: other tests' resources must not reach these replicas
            "QUARKUS_OPERATOR_SDK_NAMESPACES", ns),
        List.of());
  }

  private Lease lease() {
    return ground
        .admin()
        .leases()
        .inNamespace(ground.operatorNamespace())
        .withName(leaseName)
        .get();
  }

  private String holder() {
    Lease lease = lease();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private void createCluster(String name) {
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    cluster.setSpec(new ClusterSpec());
    ground.admin().resource(cluster).create();
  }

  private void awaitReady(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> ReadyCondition.assertReady(ground.admin(), Cluster.class, ns, name, () -> ""));
  }

  private static double reconciles(OperatorProcess op, String kind) {
    return op.counter("tidewater_reconciles_total", "kind=\"" + kind + "\"");
  }

  @Test
  void oneReplicaReconcilesAndTheOtherTakesOverWhenItGoes() {
    OperatorProcess first = replica("replica-a");
    OperatorProcess second = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
      second = replica("replica-b");

      createCluster("one");
      awaitReady("one");
      assertThat(reconciles(first, "Cluster")).isPositive();
      assertThat(reconciles(second, "Cluster"))
          .as("the standby replica reconciles nothing")
          .isZero();
      assertThat(holder()).isEqualTo("replica-a");

      first.close();
      OperatorProcess standby = second;
      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder()));
      createCluster("two");
      awaitReady("two");
      assertThat(reconciles(standby, "Cluster")).isPositive();
    } finally {
      if (first.process().isAlive()) first.close();
      if (second != null) second.close();
    }
  }

  @Test
  void sigtermEndsTheLeaderWithinFiveSecondsAndReleasesTheLease() throws InterruptedException {
    try (OperatorProcess leader = replica("replica-a")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
      createCluster("one");
      awaitReady("one");

      long start = System.nanoTime();
      leader.process().destroy(); // SIGTERM, as the kubelet sends it
      boolean exited = leader.process().waitFor(5, TimeUnit.SECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.printf("SIGTERM to exit with leader election on: %d ms%n", took.toMillis());
      assertThat(exited)
          .as(() -> "the leader exited within 5 s of SIGTERM; log:\n" + leader.log())
          .isTrue();
      assertThat(leader.process().exitValue()).as("exit code after SIGTERM").isIn(0, 143);
      Lease lease = lease();
      assertThat(lease.getSpec().getHolderIdentity())
          .as("the Lease is handed over on shutdown")
          .isNull();
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    }
  }

  @Test
  void aStandbyTakesOverFromAKilledLeaderAndEverythingConvergesWithoutDuplicateWrites() {
    int services = 200;
    AuditLog.Mark before = ground.auditLog().mark();
    Resources.apply(ground.admin(), Resources.MINIMAL_TASK_DEFINITION, ns);
    OperatorProcess leader = replica("replica-a");
    OperatorProcess standby = null;
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> "replica-a".equals(holder()));
      // the leader at work before the Services come (its caches listed, the revision made), so
      // the kill lands among the Deployments and not before the first
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  ReadyCondition.assertReady(
                      ground.admin(), TaskDefinition.class, ns, "app", () -> leader.log()));
      standby = replica("replica-b");
      // kill the leader in the middle of the work: Services still arriving (applied from another
      // thread, as a GitOps sync would), a quarter of the Deployments made
      CompletableFuture<Void> applying =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < services; i++) {
                  Resources.apply(ground.admin(), service(i), ns);
                }
              });
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> deployments() >= services / 4);
      long killed = System.nanoTime();
      leader.process().destroyForcibly(); // SIGKILL: no hand-over, the Lease must expire
      int madeByLeader = deployments();
      assertThat(madeByLeader).as("Deployments made before the kill").isBetween(1, services - 1);
      applying.join();

      await()
          .atMost(LEASE_DURATION.multipliedBy(4))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> "replica-b".equals(holder()));
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      OperatorProcess newLeader = standby;
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> reconciles(newLeader, "Service") > 0);
      Duration firstReconcile = Duration.ofNanos(System.nanoTime() - killed);

      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(
                          ground
                              .admin()
                              .resources(EcsService.class)
                              .inNamespace(ns)
                              .list()
                              .getItems())
                      .hasSize(services)
                      .allSatisfy(
                          s ->
                              ReadyCondition.assertReady(
                                  s.getMetadata().getName(), s.getStatus(), () -> "")));
      Duration converged = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf(
          "failover: leader killed after %d of %d Deployments; Lease taken over after %d ms, the"
              + " new leader's first Service reconcile after %d ms, all %d Ready after %d ms%n",
          madeByLeader,
          services,
          takeover.toMillis(),
          firstReconcile.toMillis(),
          services,
          converged.toMillis());
      assertThat(ground.admin().apps().deployments().inNamespace(ns).list().getItems())
          .hasSize(services);

      // no child was written twice: the new leader did not redo what the killed one had finished.
      // (At most once, not exactly once: a write in flight when the leader was killed takes effect
      // but is audited without a 2xx answer, since its client is gone; the Deployment count above
      // shows none is missing; at most one write per reconcile thread of the killed leader is so.)
      List<AuditLog.Write> writes =
          ground.auditLog().writesSince(before, ground.operatorUser()).stream()
              .filter(w -> ns.equals(w.namespace()))
              .filter(w -> w.code() >= 200 && w.code() < 300)
              .toList();
      Map<String, Long> deploymentWrites = perName(writes, "deployments");
      assertThat(deploymentWrites).as("Deployment writes seen").hasSizeGreaterThan(services / 2);
      assertThat(deploymentWrites)
          .allSatisfy((name, n) -> assertThat(n).as(name).isLessThanOrEqualTo(1));
      Map<String, Long> revisionWrites = perName(writes, "controllerrevisions");
      assertThat(revisionWrites).hasSize(1).allSatisfy((name, n) -> assertThat(n).as(name).isOne());
    } finally {
      leader.close();
      if (standby != null) standby.close();
    }
  }

  private int deployments() {
    return ground.admin().apps().deployments().inNamespace(ns).list().getItems().size();
  }

  private static Map<String, Long> perName(List<AuditLog.Write> writes, String resource) {
    return writes.stream()
        .filter(w -> resource.equals(w.resource()) && w.subresource() == null)
        .collect(Collectors.groupingBy(AuditLog.Write::name, Collectors.counting()));
  }

  private static String service(int i) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: svc-%03d
        spec:
          taskDefinitionRef:
            name: app
          desiredCount: 1
        """
        .formatted(i);
  }
}
