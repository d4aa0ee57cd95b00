package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.common.PlacementConstraint;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.PlacementStrategy;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Service's placement constraints and strategies on its pod template.
 *
 * <p>{@code memberOf} becomes required node affinity in the vocabulary of the task definition's
 * constraints ({@link PlacementExpression}), added to every node selector term the template already
 * has, so both must hold; on a DAEMON service that restricts the DaemonSet's nodes. {@code
 * distinctInstance} becomes required pod anti-affinity on {@value #HOSTNAME} against the Service's
 * own pods. {@code spread} becomes a topology spread constraint (maxSkew 1, ScheduleAnyway: ECS
 * spreads on a best-effort basis); {@code random} is what the default scheduler does; {@code
 * binpack} has no per-pod counterpart (it is a scheduler profile).
 */
final class ServicePlacement {

  static final String HOSTNAME = "kubernetes.io/hostname";

  private ServicePlacement() {}

  /** Applies {@code constraints} to {@code pod}; {@code podLabels} select the Service's pods. */
  static void constraints(
      List<PlacementConstraint> constraints,
      boolean daemon,
      Map<String, String> podLabels,
      PodSpec pod,
      List<StatusWarning> warnings) {
    if (constraints == null) {
      return;
    }
    List<NodeSelectorRequirement> required = new ArrayList<>();
    boolean distinct = false;
    for (int k = 0; k < constraints.size(); k++) {
      PlacementConstraint pc = constraints.get(k);
      String path = "placementConstraints[" + k + "]";
      if ("distinctInstance".equals(pc.type)) {
        // a DaemonSet runs one pod per node already
        distinct |= !daemon;
      } else if ("memberOf".equals(pc.type)) {
        PlacementExpression.Result r = PlacementExpression.parse(pc.expression);
        if (r.notMapped() != null) {
          warnings.add(
              new StatusWarning(
                  path + ".expression",
                  MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
                  "memberOf(" + pc.expression + ") is not enforced: " + r.notMapped()));
        } else {
          required.addAll(r.requirements());
        }
      } else {
        warnings.add(
            new StatusWarning(
                path + ".type",
                MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
                "placement constraint type \"" + pc.type + "\" is not mapped"));
      }
    }
    if (!required.isEmpty()) {
      requireNodes(pod, required);
    }
    if (distinct) {
      Affinity affinity = affinity(pod);
      if (affinity.getPodAntiAffinity() == null) {
        affinity.setPodAntiAffinity(new PodAntiAffinity());
      }
      PodAntiAffinity anti = affinity.getPodAntiAffinity();
      List<PodAffinityTerm> terms = new ArrayList<>();
      if (anti.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        terms.addAll(anti.getRequiredDuringSchedulingIgnoredDuringExecution());
      }
      terms.add(
          new PodAffinityTermBuilder()
              .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(podLabels).build())
              .withTopologyKey(HOSTNAME)
              .build());
      anti.setRequiredDuringSchedulingIgnoredDuringExecution(terms);
    }
  }

  /** Applies {@code strategies} to {@code pod}; {@code podLabels} select the Service's pods. */
  static void strategies(
      List<PlacementStrategy> strategies,
      boolean daemon,
      Map<String, String> podLabels,
      PodSpec pod,
      List<StatusWarning> warnings) {
    if (strategies == null) {
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    for (int k = 0; k < strategies.size(); k++) {
      PlacementStrategy s = strategies.get(k);
      String path = "placementStrategy[" + k + "]";
      if ("random".equals(s.type)) {
        continue;
      }
      if (daemon) {
        warnings.add(
            new StatusWarning(
                path,
                MappingReasons.PLACEMENT_STRATEGY_NOT_MAPPED,
                "a DAEMON service runs one task per node; the " + s.type + " strategy is ignored"));
      } else if ("spread".equals(s.type)) {
        String key = spreadKey(s.field);
        if (key == null) {
          warnings.add(
              new StatusWarning(
                  path + ".field",
                  MappingReasons.PLACEMENT_STRATEGY_NOT_MAPPED,
                  "spread by \""
                      + s.field
                      + "\" has no node label counterpart; tasks are not spread by it"));
        } else {
          keys.add(key);
        }
      } else {
        warnings.add(
            new StatusWarning(
                path,
                MappingReasons.PLACEMENT_STRATEGY_NOT_MAPPED,
                s.type
                    + " has no per-pod counterpart (it is a scheduler profile, e.g."
                    + " MostAllocated); pods are placed by the cluster's scheduler"));
      }
    }
    if (keys.isEmpty()) {
      return;
    }
    List<TopologySpreadConstraint> spread = new ArrayList<>();
    if (pod.getTopologySpreadConstraints() != null) {
      spread.addAll(pod.getTopologySpreadConstraints());
    }
    for (String key : keys) {
      spread.add(
          new TopologySpreadConstraintBuilder()
              .withMaxSkew(1)
              .withTopologyKey(key)
              .withWhenUnsatisfiable("ScheduleAnyway")
              .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(podLabels).build())
              .build());
    }
    pod.setTopologySpreadConstraints(spread);
  }

  /**
   * The node label a spread field stands for: {@code instanceId} / {@code host} the node itself,
   * {@code attribute:NAME} the label {@link PlacementExpression} maps NAME to; null when none.
   */
  static String spreadKey(String field) {
    if (field == null || field.isBlank()) {
      return null;
    }
    String f = field.strip();
    String lower = f.toLowerCase(Locale.ROOT);
    if (lower.equals("instanceid") || lower.equals("host")) {
      return HOSTNAME;
    }
    if (!lower.startsWith("attribute:")) {
      return null;
    }
    // the same attribute vocabulary as memberOf, read through an "exists" clause
    PlacementExpression.Result r = PlacementExpression.parse(f + " exists");
    return r.notMapped() == null && r.requirements().size() == 1
        ? r.requirements().get(0).getKey()
        : null;
  }

  /** Adds {@code required} to every required node selector term (or makes the first one). */
  private static void requireNodes(PodSpec pod, List<NodeSelectorRequirement> required) {
    Affinity affinity = affinity(pod);
    if (affinity.getNodeAffinity() == null) {
      affinity.setNodeAffinity(new NodeAffinity());
    }
    NodeAffinity node = affinity.getNodeAffinity();
    NodeSelector selector = node.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (selector == null
        || selector.getNodeSelectorTerms() == null
        || selector.getNodeSelectorTerms().isEmpty()) {
      node.setRequiredDuringSchedulingIgnoredDuringExecution(
          new NodeSelector(List.of(new NodeSelectorTerm(new ArrayList<>(required), null))));
      return;
    }
    // terms are ORed: the Service's requirements must hold in each of them
    for (NodeSelectorTerm term : selector.getNodeSelectorTerms()) {
      List<NodeSelectorRequirement> all = new ArrayList<>();
      if (term.getMatchExpressions() != null) all.addAll(term.getMatchExpressions());
      all.addAll(required);
      term.setMatchExpressions(all);
    }
  }

  private static Affinity affinity(PodSpec pod) {
    if (pod.getAffinity() == null) {
      pod.setAffinity(new Affinity());
    }
    return pod.getAffinity();
  }
}
