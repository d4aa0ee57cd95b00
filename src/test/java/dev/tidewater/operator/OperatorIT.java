package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged operator starts against the test ground, reports health and reconciles. */
class OperatorIT {

  private static final TestGround ground = TestGround.get();
  private static OperatorProcess operator;
  private String ns;

  @BeforeAll
  static void start() {
    Crds.apply(ground.admin());
    operator = OperatorProcess.start(ground, Map.of());
  }

  @AfterAll
  static void stop() {
    if (operator != null) operator.close();
  }

  @BeforeEach
  void namespace() {
    ns = ground.createNamespace("operator");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  @Test
  void healthEndpointsReportUp() {
    assertThat(operator.health("live").statusCode()).isEqualTo(200);
    assertThat(operator.health("ready").body()).contains("\"status\": \"UP\"");
  }

  @Test
  void clusterBecomesReadyWithOneStatusWriteAndNothingElse() {
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    Cluster cluster = new Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace(ns).build());
    cluster.setSpec(new ClusterSpec());
    cluster.getSpec().backend = "kubernetes";
    ground.admin().resource(cluster).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Cluster c =
                  ground.admin().resources(Cluster.class).inNamespace(ns).withName("default").get();
              assertThat(c.getStatus()).isNotNull();
              assertThat(c.getStatus().getObservedGeneration()).isEqualTo(1L);
              assertThat(c.getStatus().getConditions())
                  .anySatisfy(
                      cond -> {
                        assertThat(cond.getType()).isEqualTo("Ready");
                        assertThat(cond.getStatus()).isEqualTo("True");
                        assertThat(cond.getReason()).isEqualTo("BackendSelected");
                      });
            });

    // other tests' namespaces may still be terminating while this operator watches everything
    List<AuditLog.Write> writes =
        audit.writesSince(mark, ground.operatorUser()).stream()
            .filter(w -> ns.equals(w.namespace()))
            .toList();
    assertThat(writes)
        .extracting(AuditLog.Write::toString)
        .containsExactly("patch clusters/status " + ns + "/default -> 200");
  }
}
