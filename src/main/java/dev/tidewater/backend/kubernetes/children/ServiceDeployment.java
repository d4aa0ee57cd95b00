package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;

/** The Deployment of a REPLICA Service (pure). */
public final class ServiceDeployment {

  private ServiceDeployment() {}

  /**
   * What the Deployment takes of the replicas of the one already there: all of them when the
   * Service sets neither desiredCount nor autoscaling (ECS keeps the last count), else nothing
   * (null: any count gives the same Deployment).
   */
  public static Integer carriedReplicas(EcsServiceSpec spec, Integer observedReplicas) {
    return spec.autoscaling == null && spec.desiredCount == null ? observedReplicas : null;
  }

  /**
   * The Deployment running {@code template}: {@code desiredCount} replicas, or none under
   * autoscaling (the HPA owns them), or without either the {@code observedReplicas} of the
   * Deployment already there (ECS keeps the last count too), else 1; rolling-update bounds per
   * {@link EcsDeploymentBounds}.
   */
  public static Deployment desired(
      EcsService service,
      PodTemplateSpec template,
      Integer observedReplicas,
      List<String> externalSecrets) {
    EcsServiceSpec spec = service.getSpec();
    Integer carried = carriedReplicas(spec, observedReplicas);
    Integer replicas =
        spec.autoscaling != null
            ? null
            : spec.desiredCount != null ? spec.desiredCount : carried != null ? carried : 1;
    var d = spec.deploymentConfiguration;
    EcsDeploymentBounds.RollingUpdate bounds =
        EcsDeploymentBounds.replica(
            d == null ? null : d.minimumHealthyPercent,
            d == null ? null : d.maximumPercent,
            replicas,
            spec.autoscaling == null || spec.autoscaling.minTasks == null
                ? 1
                : spec.autoscaling.minTasks);
    Deployment deployment =
        new DeploymentBuilder()
            .withMetadata(
                ChildMeta.of(service, spec.autoscaling == null ? "desiredCount" : "autoscaling"))
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(ChildMeta.selector(service))
            .endSelector()
            .withTemplate(template)
            .withNewStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxSurge(bounds.maxSurge())
            .withMaxUnavailable(bounds.maxUnavailable())
            .endRollingUpdate()
            .endStrategy()
            .withProgressDeadlineSeconds(ServiceWorkload.progressDeadline(service))
            .withRevisionHistoryLimit(3)
            .endSpec()
            .build();
    return ServiceWorkload.withExternalSecrets(deployment, externalSecrets);
  }
}
