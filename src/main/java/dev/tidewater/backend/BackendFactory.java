package dev.tidewater.backend;

import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Chooses the backend of a resource from its Cluster. The ecs backend plugs in here; until it
 * exists, resources on an ecs Cluster report BackendUnavailable instead of being touched.
 */
@ApplicationScoped
public class BackendFactory {

  private final KubernetesTaskDefinitionBackend kubernetesTaskDefinitions =
      new KubernetesTaskDefinitionBackend();
  private final KubernetesServiceBackend kubernetesServices;

  public BackendFactory(KubernetesBackendSettings settings) {
    this.kubernetesServices = new KubernetesServiceBackend(settings.externalSecretsCheckPeriod());
  }

  public Optional<TaskDefinitionBackend> taskDefinitions(ResolvedCluster cluster) {
    return cluster.backend() == BackendKind.KUBERNETES
        ? Optional.of(kubernetesTaskDefinitions)
        : Optional.empty();
  }

  public Optional<ServiceBackend> services(ResolvedCluster cluster) {
    return cluster.backend() == BackendKind.KUBERNETES
        ? Optional.of(kubernetesServices)
        : Optional.empty();
  }
}
