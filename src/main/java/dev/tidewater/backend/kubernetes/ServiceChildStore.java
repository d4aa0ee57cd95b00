package dev.tidewater.backend.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Optional;

/**
 * The API server as the Service backend's apply path uses it: the Service's children as observed
 * (informer caches, a GET where there is no informer) and every write. {@link
 * InformerServiceChildStore} is the operator's; tests record the writes.
 */
public interface ServiceChildStore {

  Optional<Deployment> deployment();

  Optional<DaemonSet> daemonSet();

  Optional<HorizontalPodAutoscaler> autoscaler();

  Optional<PodDisruptionBudget> disruptionBudget();

  /** One GET: ExternalSecrets have no informer, their CRD may be missing. */
  Optional<GenericKubernetesResource> externalSecret(
      String apiVersion, String namespace, String name);

  /** One GET past the label-filtered cache: a workload of our name that may be someone else's. */
  <T extends HasMetadata> Optional<T> uncached(Class<T> type, String namespace, String name);

  /** Server-side apply of {@code desired} with Tidewater's field manager, forcing conflicts. */
  void apply(HasMetadata desired);

  /** A full update (adoption replaces a foreign object's spec). */
  void replace(HasMetadata replacement);

  /**
   * Server-side apply of {@code spec.replicas} alone under the hand-off field manager, so that
   * dropping replicas from Tidewater's apply (the HPA owns them) does not reset them to 1.
   */
  void handOffReplicas(String namespace, String name, int replicas);

  void delete(HasMetadata observed);

  void deleteExternalSecret(String apiVersion, String namespace, String name);
}
