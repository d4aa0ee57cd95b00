package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;

import dev.tidewater.api.v1alpha1.cluster.LaunchTypePlacement;
import dev.tidewater.api.v1alpha1.cluster.NodePlacement;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionPlacementConstraint;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The placement family: the Cluster's node selectors and tolerations for the launch type (and for
 * GPU, arm64 and Windows tasks), runtimePlatform as node labels, and memberOf placementConstraints
 * as required node affinity.
 */
final class PlacementRendering {
  private static final String ARCH_LABEL = "kubernetes.io/arch";
  private static final String OS_LABEL = "kubernetes.io/os";

  private final PodRendering r;
  private final LaunchTypePlacement placement;
  private final Map<String, String> nodeSelector = new LinkedHashMap<>();
  private final List<Toleration> tolerations = new ArrayList<>();

  PlacementRendering(PodRendering r) {
    this.r = r;
    this.placement = r.in.cluster() == null ? null : r.in.cluster().placement;
  }

  void place() {
    boolean gpu = false;
    for (ContainerDefinition d : r.defs) {
      if (d.resourceRequirements != null) {
        for (ResourceRequirement req : d.resourceRequirements) {
          if ("GPU".equalsIgnoreCase(req.type)) {
            gpu = true;
          }
        }
      }
    }
    if (placement != null) {
      apply("FARGATE".equals(r.launchType) ? placement.fargate : placement.ec2, null);
      if (gpu) {
        apply(placement.gpu, null);
      }
    }
    if (r.task.runtimePlatform != null) {
      String arch = blankToNull(r.task.runtimePlatform.cpuArchitecture);
      if (arch != null) {
        String upper = arch.toUpperCase(Locale.ROOT);
        if (upper.equals("ARM64") && placement != null) {
          apply(placement.arm64, "runtimePlatform.cpuArchitecture");
        }
        selector(
            ARCH_LABEL,
            upper.equals("ARM64") ? "arm64" : upper.equals("X86_64") ? "amd64" : arch,
            "runtimePlatform.cpuArchitecture");
      }
      String os = blankToNull(r.task.runtimePlatform.operatingSystemFamily);
      if (os != null) {
        if (r.windows && placement != null) {
          apply(placement.windows, "runtimePlatform.operatingSystemFamily");
        }
        selector(
            OS_LABEL, r.windows ? "windows" : "linux", "runtimePlatform.operatingSystemFamily");
      }
    }
    constraints();
    if (!nodeSelector.isEmpty()) {
      r.pod.setNodeSelector(nodeSelector);
    }
    if (!tolerations.isEmpty()) {
      r.pod.setTolerations(tolerations);
    }
  }

  private void apply(NodePlacement p, String path) {
    if (p == null) {
      return;
    }
    if (p.nodeSelector != null) {
      new TreeMap<>(p.nodeSelector).forEach((k, v) -> selector(k, v, path));
    }
    if (p.tolerations != null) {
      for (Toleration t : p.tolerations) {
        if (!tolerations.contains(t)) {
          tolerations.add(t);
        }
      }
    }
  }

  private void selector(String key, String value, String path) {
    String old = nodeSelector.get(key);
    if (old != null && !old.equals(value) && path != null) {
      r.warn(
          path,
          MappingReasons.PLACEMENT_CONFLICT,
          "node label "
              + key
              + " is asked to be both \""
              + old
              + "\" (Cluster placement) and \""
              + value
              + "\"; \""
              + value
              + "\" is used");
    }
    nodeSelector.put(key, value);
  }

  private void constraints() {
    if (r.task.placementConstraints == null) {
      return;
    }
    List<NodeSelectorRequirement> all = new ArrayList<>();
    for (int k = 0; k < r.task.placementConstraints.size(); k++) {
      TaskDefinitionPlacementConstraint pc = r.task.placementConstraints.get(k);
      String path = "placementConstraints[" + k + "]";
      if (!"memberOf".equals(pc.type)) {
        r.warn(
            path,
            MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
            "placement constraint type \"" + pc.type + "\" is not mapped");
        continue;
      }
      PlacementExpression.Result parsed = PlacementExpression.parse(pc.expression);
      if (parsed.notMapped() != null) {
        r.warn(
            path + ".expression",
            MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
            "memberOf(" + pc.expression + ") is not enforced: " + parsed.notMapped());
      } else {
        all.addAll(parsed.requirements());
      }
    }
    if (!all.isEmpty()) {
      r.pod.setAffinity(
          new AffinityBuilder()
              .withNewNodeAffinity()
              .withNewRequiredDuringSchedulingIgnoredDuringExecution()
              .addNewNodeSelectorTerm()
              .withMatchExpressions(all)
              .endNodeSelectorTerm()
              .endRequiredDuringSchedulingIgnoredDuringExecution()
              .endNodeAffinity()
              .build());
    }
  }
}
