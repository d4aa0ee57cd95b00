package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An informer whose first list fails does not end the operator: it retries with backoff, the
 * start-up goes on without it after the cache-sync timeout, readiness stays DOWN meanwhile, and
 * once the list succeeds the operator becomes ready and reconciles. Meanwhile nothing takes a
 * Cluster it has not listed yet for a missing one (the implicit kubernetes backend). The failure
 * here is a CRD installed only after the operator started (the API server answers 404: an Argo CD
 * sync that applies the operator before its CRDs), the same path as the connection closed by an API
 * server that had just installed the CRDs, which used to stop the operator for good
 * ("listSyncAndWatch failed … will stop").
 */
class StartupRetryIT {

  private static final String CLUSTERS_CRD = "clusters.ecs.tidewater.dev";

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
    ground.admin().apiextensions().v1().customResourceDefinitions().withName(CLUSTERS_CRD).delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                ground
                        .admin()
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(CLUSTERS_CRD)
                        .get()
                    == null);

    // a TaskDefinition waiting for the operator: without the Cluster cache it cannot know its
    // backend, and must not take the missing default Cluster for the implicit kubernetes backend
    ns = ground.createNamespace("startup");
    Resources.apply(ground.admin(), Resources.MINIMAL_TASK_DEFINITION, ns);

    try (OperatorProcess operator = OperatorProcess.launch(ground, Map.of(), List.of())) {
      // the Clusters' informers cannot list: the start-up goes on after the cache-sync timeout
      // (30 s) and leaves them retrying; the process stays, readiness says DOWN, and the
      // TaskDefinition gets no revision
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> operator.log().contains("Will periodically retry"));
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> operator.process().isAlive() && !operator.isReady() && revisions().isEmpty());
      // each controller starts processing once its own sources gave up waiting (the shared
      // Clusters cache's wait began a little after the Clusters controller's informer's)
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                TaskDefinition waiting =
                    ground
                        .admin()
                        .resources(TaskDefinition.class)
                        .inNamespace(ns)
                        .withName("app")
                        .get();
                assertThat(waiting.getStatus())
                    .as("the TaskDefinition says why it waits")
                    .isNotNull();
                assertThat(waiting.getStatus().getConditions())
                    .anySatisfy(
                        c ->
                            assertThat(c.getMessage())
                                .contains("the operator has not listed Clusters yet"));
              });
      assertThat(operator.isReady()).as("readiness while the Clusters cache retries").isFalse();
      assertThat(revisions()).as("revisions made without the Clusters cache").isEmpty();

      Crds.apply(ground.admin());
      operator.awaitReady();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(revisions()).as("the TaskDefinition's revision").hasSize(1));

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
                assertThat(c.getStatus()).as("the operator reconciles Clusters").isNotNull();
              });
    }
  }

  private List<ControllerRevision> revisions() {
    return ground.admin().apps().controllerRevisions().inNamespace(ns).list().getItems();
  }
}
