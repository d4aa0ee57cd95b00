package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/**
 * The PodDisruptionBudget of a REPLICA Service whose minimumHealthyPercent is below 100 (pure): a
 * drain keeps the tasks an ECS deployment keeps.
 */
public final class ServiceDisruptionBudget {

  private ServiceDisruptionBudget() {}

  /**
   * {@code minAvailable} = minimumHealthyPercent, rounded up by the disruption controller as ECS
   * rounds it. None at 100 % (or unset): a Deployment does not surge on eviction, so such a budget
   * would block every drain. None for a DAEMON: drains leave DaemonSet pods alone.
   */
  public static Optional<PodDisruptionBudget> desired(EcsService service) {
    var d = service.getSpec().deploymentConfiguration;
    Integer minHealthy = d == null ? null : d.minimumHealthyPercent;
    if (minHealthy == null
        || minHealthy >= 100
        || "DAEMON".equals(service.getSpec().schedulingStrategy)) {
      return Optional.empty();
    }
    return Optional.of(
        new PodDisruptionBudgetBuilder()
            .withMetadata(ChildMeta.of(service, null))
            .withNewSpec()
            .withMinAvailable(EcsDeploymentBounds.minAvailable(minHealthy))
            .withNewSelector()
            .withMatchLabels(ChildMeta.selector(service))
            .endSelector()
            .endSpec()
            .build());
  }
}
