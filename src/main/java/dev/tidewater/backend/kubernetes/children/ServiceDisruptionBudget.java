package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.IntOrString;
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
   * rounds it. None at 100 % (or unset) and none at 0 %: a Deployment does not surge on eviction,
   * so a budget keeping every pod would block every drain, and one keeping none does nothing. None
   * for a DAEMON: drains leave DaemonSet pods alone. Where the percentage would keep every pod at
   * the Service's count (desiredCount, or minTasks under autoscaling: 1 task at any percentage, 2
   * at 51–99 %), {@code maxUnavailable: 1} instead, so a drain moves one pod at a time rather than
   * never (ECS would start the replacement elsewhere first; Kubernetes cannot).
   */
  public static Optional<PodDisruptionBudget> desired(EcsService service) {
    var spec = service.getSpec();
    var d = spec.deploymentConfiguration;
    Integer minHealthy = d == null ? null : d.minimumHealthyPercent;
    if (minHealthy == null
        || minHealthy <= 0
        || minHealthy >= 100
        || "DAEMON".equals(spec.schedulingStrategy)) {
      return Optional.empty();
    }
    Integer count = spec.autoscaling != null ? spec.autoscaling.minTasks : spec.desiredCount;
    boolean keepsEveryPod =
        count != null
            && count > 0
            && EcsDeploymentBounds.minimumHealthyTasks(count, minHealthy) >= count;
    return Optional.of(
        new PodDisruptionBudgetBuilder()
            .withMetadata(ChildMeta.of(service, null))
            .withNewSpec()
            .withMinAvailable(keepsEveryPod ? null : EcsDeploymentBounds.minAvailable(minHealthy))
            .withMaxUnavailable(keepsEveryPod ? new IntOrString(1) : null)
            .withNewSelector()
            .withMatchLabels(ChildMeta.selector(service))
            .endSelector()
            .endSpec()
            .build());
  }
}
