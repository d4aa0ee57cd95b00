package dev.tidewater.backend.kubernetes.render;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;

/**
 * A Service's {@code healthCheckGracePeriodSeconds} as a startup budget: ECS ignores a task's
 * health checks for that long after it starts, so every container with a liveness probe gets a
 * startup probe (the liveness probe's command, period and timeout) that tolerates failures for at
 * least the grace period before the liveness probe takes over. The budget is {@code ceil(grace /
 * period) + retries}, the same formula the renderer uses for a health check's {@code startPeriod};
 * the larger of the two budgets wins, so the pod waits {@code max(startPeriod, grace)} as ECS does.
 * A startup probe stops at its first success, so a fast starter is not held back.
 */
final class StartupBudget {

  // Kubernetes' defaults for a probe without these fields.
  private static final int DEFAULT_PERIOD = 10;
  private static final int DEFAULT_FAILURE_THRESHOLD = 3;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private StartupBudget() {}

  /** Extends (or adds) the startup probes of {@code pod}'s containers; changes {@code pod}. */
  static void extend(PodSpec pod, int graceSeconds) {
    if (graceSeconds <= 0) {
      return;
    }
    List<Container> all = new ArrayList<>();
    if (pod.getInitContainers() != null) all.addAll(pod.getInitContainers());
    if (pod.getContainers() != null) all.addAll(pod.getContainers());
    for (Container c : all) {
      Probe liveness = c.getLivenessProbe();
      if (liveness == null) {
        // run-to-completion init containers, and containers without an (essential) health check
        continue;
      }
      int retries = atLeastOne(liveness.getFailureThreshold(), DEFAULT_FAILURE_THRESHOLD);
      Probe startup = c.getStartupProbe();
      if (startup == null) {
        startup = JSON.clone(liveness);
        startup.setSuccessThreshold(null); // a startup probe's must be 1, the default
        startup.setFailureThreshold(0);
        c.setStartupProbe(startup);
      }
      int period = atLeastOne(startup.getPeriodSeconds(), DEFAULT_PERIOD);
      long needed = (graceSeconds + (long) period - 1) / period + retries;
      long have = startup.getFailureThreshold() == null ? 0 : startup.getFailureThreshold();
      startup.setFailureThreshold((int) Math.min(Integer.MAX_VALUE, Math.max(have, needed)));
    }
  }

  private static int atLeastOne(Integer value, int fallback) {
    return value == null || value < 1 ? fallback : value;
  }
}
