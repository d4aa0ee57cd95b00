package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The packaged operator starts against the test ground, reports health and reconciles. */
class OperatorIT {

  private static final TestGround ground = TestGround.get();

  @RegisterExtension
  static final OperatorOnGround onGround = new OperatorOnGround("operator", Map.of(), List.of());

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  @Test
  void healthEndpointsReportUp() {
    assertThat(onGround.operator().health("live").statusCode()).isEqualTo(200);
    assertThat(onGround.operator().health("ready").body()).contains("\"status\": \"UP\"");
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
