package dev.tidewater.backend.kubernetes;

import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.kubernetes.children.ServiceExternalSecrets;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The operator's {@link ServiceChildStore}: the Service controller's informer caches and the
 * client.
 */
final class InformerServiceChildStore implements ServiceChildStore {

  static final String HANDOFF_MANAGER = "tidewater-replicas-handoff";

  private final KubernetesClient client;
  private final ServiceBackend.Caches caches;

  InformerServiceChildStore(KubernetesClient client, ServiceBackend.Caches caches) {
    this.client = client;
    this.caches = caches;
  }

  @Override
  public Optional<Deployment> deployment() {
    return caches.one(Deployment.class);
  }

  @Override
  public Optional<DaemonSet> daemonSet() {
    return caches.one(DaemonSet.class);
  }

  @Override
  public Optional<HorizontalPodAutoscaler> autoscaler() {
    return caches.one(HorizontalPodAutoscaler.class);
  }

  @Override
  public Optional<PodDisruptionBudget> disruptionBudget() {
    return caches.one(PodDisruptionBudget.class);
  }

  @Override
  public Optional<GenericKubernetesResource> externalSecret(
      String apiVersion, String namespace, String name) {
    return Optional.ofNullable(
        client
            .genericKubernetesResources(apiVersion, ServiceExternalSecrets.KIND)
            .inNamespace(namespace)
            .withName(name)
            .get());
  }

  @Override
  public <T extends HasMetadata> Optional<T> uncached(
      Class<T> type, String namespace, String name) {
    return Optional.ofNullable(client.resources(type).inNamespace(namespace).withName(name).get());
  }

  @Override
  public void apply(HasMetadata desired) {
    caches.written(
        client
            .resource(desired)
            .fieldManager(TidewaterLabels.FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply());
  }

  @Override
  public void replace(HasMetadata replacement) {
    caches.written(client.resource(replacement).update());
  }

  @Override
  public void handOffReplicas(String namespace, String name, int replicas) {
    Deployment handoff =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .endSpec()
            .build();
    client.resource(handoff).fieldManager(HANDOFF_MANAGER).forceConflicts().serverSideApply();
  }

  @Override
  public void delete(HasMetadata observed) {
    client.resource(observed).delete();
  }

  @Override
  public void deleteExternalSecret(String apiVersion, String namespace, String name) {
    client
        .genericKubernetesResources(apiVersion, ServiceExternalSecrets.KIND)
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }
}
