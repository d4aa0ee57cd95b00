package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An informer whose first list fails does not end the operator: it retries with backoff, the
 * start-up goes on without it after the cache-sync timeout, readiness stays DOWN meanwhile, and
 * once the list succeeds the operator becomes ready and reconciles. The failure here is a CRD
 * installed only after the operator started (the API server answers 404: an Argo CD sync that
 * applies the operator before its CRDs), the same path as the connection closed by an API server
 * that had just installed the CRDs, which used to stop the operator for good ("listSyncAndWatch
 * failed … will stop").
 */
class StartupRetryIT {

  private static final String ROUTES_CRD = "loadbalancerroutes.ecs.tidewater.dev";

  private final TestGround ground = TestGround.get();
  private String ns;

  @AfterEach
  void restore() {
    Crds.apply(ground.admin());
    if (ns != null) ground.deleteNamespace(ns);
  }

  @Test
  void aFailedFirstListIsRetriedAndReadinessWaitsForIt() {
    Crds.apply(ground.admin());
    ground.admin().apiextensions().v1().customResourceDefinitions().withName(ROUTES_CRD).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ground
                        .admin()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(ROUTES_CRD)
                        .get()
                    == null);

    try (OperatorProcess operator = OperatorProcess.launch(ground, Map.of(), List.of())) {
      // the routes' informer cannot list: the start-up goes on after the cache-sync timeout (30 s)
      // and leaves it retrying; the process stays, readiness says DOWN
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> operator.log().contains("Will periodically retry"));
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> operator.process().isAlive() && !operator.isReady());

      Crds.apply(ground.admin());
      operator.awaitReady();

      ns = ground.createNamespace("startup");
      Cluster cluster = new Cluster();
      cluster.setMetadata(new ObjectMetaBuilder().withName("default").withNamespace(ns).build());
      cluster.setSpec(new ClusterSpec());
      ground.admin().resource(cluster).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Cluster c =
                    ground
                        .admin()
                        .resources(Cluster.class)
                        .inNamespace(ns)
                        .withName("default")
                        .get();
                assertThat(c.getStatus()).as("the operator reconciles").isNotNull();
              });
    }
  }
}
