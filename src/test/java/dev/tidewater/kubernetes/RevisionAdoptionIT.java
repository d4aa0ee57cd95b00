package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.InformerCaches;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A TaskDefinition reconcile whose cache has not yet shown the revision the previous reconcile made
 * (a Service created right after its TaskDefinition wakes it again at once) meets 409 on the real
 * API server: it takes the revision that is there, and does not report it as made again (no second
 * RevisionCreated, seen 30 times in 1000 workloads at 20/s in the benchmark).
 */
class RevisionAdoptionIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private String ns;

  @BeforeAll
  static void crds() {
    Crds.apply(admin);
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) ground.deleteNamespace(ns);
  }

  @Test
  void aRevisionTheCacheDoesNotShowYetIsTakenNotMadeAgain() {
    ns = ground.createNamespace("adopt");
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          family: web
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: app
            image: nginx:1.27
            essential: true
        """,
        ns);
    TaskDefinition td = admin.resources(TaskDefinition.class).inNamespace(ns).withName("web").get();
    var backend = new KubernetesTaskDefinitionBackend(admin);
    var cluster = new ResolvedCluster("default", new ClusterSpec(), false);
    var canonical = CanonicalTaskDefinition.of(td.getSpec());

    // both reconciles see an empty cache, as the second does while the watch lags
    InformerCaches empty =
        new InformerCaches() {
          @Override
          public <T extends HasMetadata> Set<T> of(Class<T> type) {
            return Set.of();
          }
        };
    RevisionState first = backend.reconcile(td, cluster, canonical, Set.of(), empty);
    RevisionState second = backend.reconcile(td, cluster, canonical, Set.of(), empty);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).as("the revision is there already").isFalse();
    assertThat(second.latest()).isEqualTo(first.latest()).isEqualTo(1);
    assertThat(admin.resources(ControllerRevision.class).inNamespace(ns).list().getItems())
        .hasSize(1);
  }
}
