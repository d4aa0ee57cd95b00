package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDependency;
import dev.tidewater.model.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

/**
 * Decides from {@code dependsOn} which ECS containers become Kubernetes init containers, native
 * sidecars or regular containers, and the order of the init containers.
 *
 * <p>Only a container that others wait for needs to start early, so: waited for with SUCCESS or
 * COMPLETE, it becomes a run-to-completion init container; with START or HEALTHY, a native sidecar
 * (an init container with {@code restartPolicy: Always}); nobody waits for it, a regular container.
 * The kubelet starts init containers one after another (a sidecar counts as started once its
 * startup probe, if any, succeeds) and regular containers after all of them, so ordering the init
 * containers topologically honours every dependency. Ties keep the order of containerDefinitions.
 */
final class ContainerStartOrder {

  /** How one ECS container runs in the pod. */
  enum Role {
    /** A regular container. */
    CONTAINER,
    /** An init container with restartPolicy Always, started before the regular containers. */
    SIDECAR,
    /** An init container that must exit 0 before the next one starts. */
    INIT
  }

  private final Role[] roles;
  private final boolean[] waitedForHealthy;
  private final List<Integer> initOrder;
  private final List<Integer> containerOrder;

  private ContainerStartOrder(
      Role[] roles,
      boolean[] waitedForHealthy,
      List<Integer> initOrder,
      List<Integer> containerOrder) {
    this.roles = roles;
    this.waitedForHealthy = waitedForHealthy;
    this.initOrder = initOrder;
    this.containerOrder = containerOrder;
  }

  Role role(int index) {
    return roles[index];
  }

  /** Whether some container waits for this one to be HEALTHY. */
  boolean waitedForHealthy(int index) {
    return waitedForHealthy[index];
  }

  /** Indexes of the init containers (sidecars and run-to-completion) in start order. */
  List<Integer> initOrder() {
    return initOrder;
  }

  /** Indexes of the regular containers, in the order of containerDefinitions. */
  List<Integer> containerOrder() {
    return containerOrder;
  }

  /**
   * Works out roles and order; unknown containers, unknown conditions and cycles become refusals,
   * COMPLETE becomes a warning. Never loops: a cycle's members are appended in definition order.
   */
  static ContainerStartOrder of(
      List<ContainerDefinition> containers, List<StatusWarning> warnings, List<Problem> refusals) {
    int n = containers.size();
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < n; i++) {
      byName.putIfAbsent(containers.get(i).name, i);
    }
    boolean[] completion = new boolean[n];
    boolean[] started = new boolean[n];
    boolean[] healthy = new boolean[n];
    List<List<Integer>> dependents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      dependents.add(new ArrayList<>());
    }
    int[] waitsFor = new int[n];
    for (int i = 0; i < n; i++) {
      List<ContainerDependency> deps = containers.get(i).dependsOn;
      if (deps == null) {
        continue;
      }
      for (int k = 0; k < deps.size(); k++) {
        ContainerDependency d = deps.get(k);
        String path = "containerDefinitions[" + i + "].dependsOn[" + k + "]";
        Integer target = d.containerName == null ? null : byName.get(d.containerName);
        if (target == null) {
          refusals.add(
              new Problem(
                  path + ".containerName",
                  MappingReasons.UNKNOWN_DEPENDENCY,
                  "container \""
                      + containers.get(i).name
                      + "\" depends on \""
                      + d.containerName
                      + "\", which is not a container of this task"));
          continue;
        }
        String condition = d.condition == null ? "" : d.condition.toUpperCase(Locale.ROOT);
        switch (condition) {
          case "START" -> started[target] = true;
          case "HEALTHY" -> {
            healthy[target] = true;
            if (HealthCheckProbes.kind(containers.get(target).healthCheck)
                == HealthCheckProbes.Kind.NONE) {
              warnings.add(
                  new StatusWarning(
                      path + ".condition",
                      MappingReasons.DEPENDS_ON_HEALTHY_WITHOUT_HEALTH_CHECK,
                      "\""
                          + d.containerName
                          + "\" has no health check, so this container starts once \""
                          + d.containerName
                          + "\" has started"));
            }
          }
          case "SUCCESS" -> completion[target] = true;
          case "COMPLETE" -> {
            completion[target] = true;
            warnings.add(
                new StatusWarning(
                    path + ".condition",
                    MappingReasons.DEPENDS_ON_COMPLETE_APPROXIMATED,
                    "\""
                        + d.containerName
                        + "\" runs as an init container, which Kubernetes requires to exit 0; "
                        + "ECS COMPLETE would also accept a failed exit"));
          }
          default -> {
            refusals.add(
                new Problem(
                    path + ".condition",
                    MappingReasons.UNKNOWN_DEPENDENCY_CONDITION,
                    "dependsOn condition \""
                        + d.condition
                        + "\" is not START, HEALTHY, SUCCESS or COMPLETE"));
            continue;
          }
        }
        dependents.get(target).add(i);
        waitsFor[i]++;
      }
    }

    Role[] roles = new Role[n];
    for (int i = 0; i < n; i++) {
      roles[i] =
          completion[i] ? Role.INIT : (started[i] || healthy[i]) ? Role.SIDECAR : Role.CONTAINER;
    }

    // Kahn's algorithm over all containers with the smallest index first, keeping only init
    // roles: regular containers have no dependents, so they never hold anything back.
    List<Integer> initOrder = new ArrayList<>();
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    int[] remaining = waitsFor.clone();
    for (int i = 0; i < n; i++) {
      if (remaining[i] == 0) {
        ready.add(i);
      }
    }
    boolean[] done = new boolean[n];
    while (!ready.isEmpty()) {
      int next = ready.poll();
      done[next] = true;
      if (roles[next] != Role.CONTAINER) {
        initOrder.add(next);
      }
      for (int dependent : dependents.get(next)) {
        if (--remaining[dependent] == 0) {
          ready.add(dependent);
        }
      }
    }
    List<Integer> cycle = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!done[i]) {
        cycle.add(i);
        if (roles[i] != Role.CONTAINER) {
          initOrder.add(i);
        }
      }
    }
    if (!cycle.isEmpty()) {
      refusals.add(
          new Problem(
              "containerDefinitions[" + cycle.get(0) + "].dependsOn",
              MappingReasons.DEPENDENCY_CYCLE,
              "containers "
                  + cycle.stream()
                      .map(i -> "\"" + containers.get(i).name + "\"")
                      .collect(Collectors.joining(", "))
                  + " are in or behind a dependsOn cycle, so none of them could ever start"));
    }
    List<Integer> containerOrder = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (roles[i] == Role.CONTAINER) {
        containerOrder.add(i);
      }
    }
    return new ContainerStartOrder(roles, healthy, initOrder, containerOrder);
  }
}
