package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.util.List;

/** The DaemonSet of a DAEMON Service (pure). */
public final class ServiceDaemonSet {

  private ServiceDaemonSet() {}

  /**
   * The DaemonSet running {@code template}, replaced {@link
   * EcsDeploymentBounds#daemonMaxUnavailable} nodes at a time (ECS's DAEMON default: all).
   */
  public static DaemonSet desired(
      EcsService service, PodTemplateSpec template, List<String> externalSecrets) {
    var d = service.getSpec().deploymentConfiguration;
    DaemonSet daemonSet =
        new DaemonSetBuilder()
            .withMetadata(ChildMeta.of(service, null))
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(ChildMeta.selector(service))
            .endSelector()
            .withTemplate(template)
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(
                EcsDeploymentBounds.daemonMaxUnavailable(
                    d == null ? null : d.minimumHealthyPercent))
            .endRollingUpdate()
            .endUpdateStrategy()
            .withRevisionHistoryLimit(3)
            .endSpec()
            .build();
    return ServiceWorkload.withExternalSecrets(daemonSet, externalSecrets);
  }
}
