package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isTrue;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.DEFAULT_STOP_TIMEOUT_SECONDS;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.backend.kubernetes.KubeletExpansion;
import dev.tidewater.backend.kubernetes.render.ContainerStartOrder.Role;
import io.fabric8.kubernetes.api.model.Container;

/**
 * The container family: what makes a container itself (name, image, entryPoint, command,
 * workingDirectory, interactive, pseudoTerminal) and how it lives and stops (essential, its start
 * role, stopTimeout as the pod's grace period). The other families fill in the rest.
 */
final class ContainerRendering {
  private final PodRendering r;

  ContainerRendering(PodRendering r) {
    this.r = r;
  }

  /** Container {@code i} with its own fields set, running as {@code role}. */
  Container container(int i, Role role) {
    ContainerDefinition d = r.defs.get(i);
    Container k = new Container();
    k.setName(r.containerName(i));
    k.setImage(d.image);
    if (role == Role.SIDECAR) {
      k.setRestartPolicy("Always");
    }
    boolean essential = d.essential == null || d.essential;
    if (!essential && role != Role.INIT) {
      r.warn(
          containerPath(i) + ".essential",
          MappingReasons.NON_ESSENTIAL_RESTARTED,
          "Kubernetes restarts this container whenever it exits, where ECS would let a"
              + " non-essential container stop; if it is a one-off job, let the containers that"
              + " need it depend on it with condition SUCCESS to make it an init container");
    }
    if (d.entryPoint != null && !d.entryPoint.isEmpty()) {
      k.setCommand(KubeletExpansion.escapeAll(d.entryPoint));
    }
    if (d.command != null && !d.command.isEmpty()) {
      k.setArgs(KubeletExpansion.escapeAll(d.command));
    }
    k.setWorkingDir(blankToNull(d.workingDirectory));
    if (isTrue(d.interactive)) {
      k.setStdin(true);
    }
    if (isTrue(d.pseudoTerminal)) {
      k.setTty(true);
    }
    return k;
  }

  /** Stop timeout: the pod waits as long as its slowest container would have been given. */
  void terminationGracePeriod() {
    int grace = DEFAULT_STOP_TIMEOUT_SECONDS;
    boolean anyStopTimeout = false;
    for (ContainerDefinition d : r.defs) {
      if (d.stopTimeout != null) {
        anyStopTimeout = true;
      }
    }
    if (anyStopTimeout) {
      grace = 0;
      for (ContainerDefinition d : r.defs) {
        grace =
            Math.max(grace, d.stopTimeout == null ? DEFAULT_STOP_TIMEOUT_SECONDS : d.stopTimeout);
      }
    }
    r.pod.setTerminationGracePeriodSeconds((long) grace);
  }
}
