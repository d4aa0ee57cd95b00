package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The state one render shares across the field families: the input and what follows from it, the
 * pod being built, and the warnings and refusals in the order they were said. Each family keeps
 * what only it needs (volume names, node selector, sysctls, ...) to itself.
 */
final class PodRendering {
  private static final Pattern NUMERIC = Pattern.compile("[0-9]+");

  final Input in;
  final TaskDefinitionSpec task;

  /** The Cluster's guardrails, as the validator sees them (a null Cluster: the defaults). */
  final ValidationContext guardrailContext;

  /** The Pod Security level the pod must meet (restricted adds the hardening it needs). */
  final ValidationContext.PodSecurity podSecurity;

  final List<ContainerDefinition> defs;
  final String launchType;
  final boolean windows;
  final PodSpec pod = new PodSpec();
  final List<StatusWarning> warnings = new ArrayList<>();
  final List<Problem> refusals = new ArrayList<>();
  private String[] containerNames;

  PodRendering(Input in) {
    this.in = in;
    this.task = in.task();
    this.guardrailContext = ValidationContext.forCluster(in.cluster());
    this.podSecurity = guardrailContext.podSecurity();
    this.defs = task.containerDefinitions == null ? List.of() : task.containerDefinitions;
    this.launchType = launchType(in.launchType(), task.requiresCompatibilities);
    this.windows =
        task.runtimePlatform != null
            && task.runtimePlatform.operatingSystemFamily != null
            && task.runtimePlatform
                .operatingSystemFamily
                .toUpperCase(Locale.ROOT)
                .startsWith("WINDOWS");
  }

  /** Gives every container its pod name; the other families name volumes after them. */
  void nameContainers() {
    if (defs.isEmpty()) {
      refuse(
          "containerDefinitions",
          MappingReasons.NO_CONTAINERS,
          "the task has no containers; ECS and Kubernetes need at least one");
    }
    String[] names = new String[defs.size()];
    Set<String> used = new HashSet<>();
    for (int i = 0; i < defs.size(); i++) {
      String ecs = defs.get(i).name == null ? "container-" + i : defs.get(i).name;
      String name = KubernetesNames.dnsLabel(ecs);
      for (int attempt = 0; used.contains(name); attempt++) {
        name = KubernetesNames.hashedDnsLabel(ecs, attempt);
      }
      used.add(name);
      names[i] = name;
      if (defs.get(i).name != null && !name.equals(ecs)) {
        warn(
            containerPath(i) + ".name",
            MappingReasons.CONTAINER_NAME_SANITIZED,
            "container \""
                + ecs
                + "\" is named \""
                + name
                + "\" in the pod: Kubernetes container names are DNS labels (lower case, digits,"
                + " '-')");
      }
    }
    containerNames = names;
  }

  /** The pod name of container {@code i} (after {@link #nameContainers}). */
  String containerName(int i) {
    return containerNames[i];
  }

  void warn(String path, String reason, String message) {
    warnings.add(new StatusWarning(path, reason, message));
  }

  void refuse(String path, String reason, String message) {
    refusals.add(new Problem(path, reason, message));
  }

  /** The field path of container {@code i}, the start of its warnings' paths. */
  static String containerPath(int i) {
    return "containerDefinitions[" + i + "]";
  }

  static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Whether {@code s} is digits only (a uid, gid or GPU count). */
  static boolean isDigits(String s) {
    return NUMERIC.matcher(s).matches();
  }

  /**
   * The launch type: the Service's, else the first of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES in
   * requiresCompatibilities, else EC2.
   */
  static String launchType(String requested, List<String> compatibilities) {
    String r = blankToNull(requested);
    if (r != null) {
      return r.toUpperCase(Locale.ROOT);
    }
    List<String> list = compatibilities == null ? List.of() : compatibilities;
    for (String preferred : List.of("FARGATE", "EC2", "EXTERNAL", "MANAGED_INSTANCES")) {
      for (String s : list) {
        if (preferred.equalsIgnoreCase(s)) {
          return preferred;
        }
      }
    }
    return "EC2";
  }
}
