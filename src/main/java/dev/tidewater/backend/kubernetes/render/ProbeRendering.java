package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.backend.kubernetes.render.ContainerStartOrder.Role;
import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * The health-check family: which probes a container gets from its healthCheck, given whether it is
 * essential, an init container, or waited for HEALTHY; {@link HealthCheckProbes} builds them.
 */
final class ProbeRendering {
  private final PodRendering r;

  ProbeRendering(PodRendering r) {
    this.r = r;
  }

  void probes(int i, ContainerDefinition d, Role role, boolean waitedForHealthy, Container k) {
    HealthCheck hc = d.healthCheck;
    HealthCheckProbes.Kind kind = HealthCheckProbes.kind(hc);
    String path = containerPath(i) + ".healthCheck";
    if (kind == HealthCheckProbes.Kind.NONE) {
      return;
    }
    if (kind == HealthCheckProbes.Kind.UNRECOGNIZED) {
      r.warn(
          path + ".command",
          MappingReasons.HEALTH_CHECK_COMMAND_UNRECOGNIZED,
          "the health check command does not start with CMD or CMD-SHELL; it is run as given");
    }
    if (role == Role.INIT) {
      r.warn(
          path,
          MappingReasons.INIT_CONTAINER_HEALTH_CHECK_DROPPED,
          "\""
              + d.name
              + "\" runs to completion as an init container, which Kubernetes gives no probes");
      return;
    }
    List<String> command = HealthCheckProbes.command(hc, r.windows);
    boolean essential = d.essential == null || d.essential;
    if (essential) {
      // ECS replaces a task whose essential container is unhealthy and keeps it out of its
      // target groups until healthy: readiness and liveness together.
      k.setReadinessProbe(HealthCheckProbes.steady(hc, command));
      k.setLivenessProbe(HealthCheckProbes.steady(hc, command));
    } else if (!waitedForHealthy) {
      r.warn(
          path,
          MappingReasons.NON_ESSENTIAL_HEALTH_CHECK_IGNORED,
          "the health of a non-essential container does not affect the task on ECS; no probe"
              + " is set so it does not affect the pod either");
    }
    if (waitedForHealthy || (essential && HealthCheckProbes.startPeriod(hc) > 0)) {
      k.setStartupProbe(HealthCheckProbes.startup(hc, command));
    }
  }
}
