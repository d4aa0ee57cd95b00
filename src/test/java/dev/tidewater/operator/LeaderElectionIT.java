package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in the {@code cluster} profile (what Helm and deploy/ run): one holds the Lease and
 * reconciles, the other stands by; when the leader goes, the other takes over.
 */
class LeaderElectionIT {

  private static final TestGround ground = TestGround.get();
  private String ns;

  @BeforeEach
  void namespace() {
    Crds.apply(ground.admin());
    ns = ground.createNamespace("leader");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  private OperatorProcess replica(String identity) {
    return OperatorProcess.start(
        ground,
        Map.of(
            "QUARKUS_PROFILE", "cluster",
            "POD_NAMESPACE", ns,
            "TIDEWATER_LEADER_ELECTION_IDENTITY", identity,
            // only this test's namespace: other tests' resources must not reach these replicas
            "QUARKUS_OPERATOR_SDK_NAMESPACES", ns),
        List.of());
  }

  private String holder() {
    Lease lease = ground.admin().leases().inNamespace(ns).withName("tidewater-operator").get();
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
            () -> {
              Cluster c =
                  ground.admin().resources(Cluster.class).inNamespace(ns).withName(name).get();
              assertThat(c.getStatus()).isNotNull();
              assertThat(c.getStatus().getConditions())
                  .anySatisfy(cond -> assertThat(cond.getStatus()).isEqualTo("True"));
            });
  }

  private static double reconciles(OperatorProcess op) {
    return op.counter("tidewater_reconciles_total", "kind=\"Cluster\"");
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
      assertThat(reconciles(first)).isPositive();
      assertThat(reconciles(second)).as("the standby replica reconciles nothing").isZero();
      assertThat(holder()).isEqualTo("replica-a");

      first.close();
      OperatorProcess standby = second;
      // the Lease expires (JOSDK default lease duration 15 s) and the standby takes it
      await().atMost(Duration.ofSeconds(60)).until(() -> "replica-b".equals(holder()));
      createCluster("two");
      awaitReady("two");
      assertThat(reconciles(standby)).isPositive();
    } finally {
      first.close();
      if (second != null) second.close();
    }
  }
}
