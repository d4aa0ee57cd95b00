package dev.tidewater.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.MigrationSettings;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.model.CutOver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What flipping the Clusters of a command's input to one backend would do to each of its Services,
 * offline, with the operator's own cut-over rules ({@link CutOver}): the counts, the healthy floor,
 * the old side's counts through Shift, the order under {@code spec.migration.maxConcurrentServices}
 * and whether the cut-over stops before Shift. What the target backend refuses or does not honour
 * is found by {@link MigratePlanCommand}, which runs the validators and the renderer.
 */
final class MigrationPreview {

  private MigrationPreview() {}

  /**
   * One thing the target backend refuses or does not honour.
   *
   * @param resource {@code Kind/name} of the resource the field belongs to
   * @param field the field path ({@code spec.containerDefinitions[0].privileged})
   * @param reason the machine-readable reason the operator would report
   * @param message why
   */
  record Finding(String resource, String field, String reason, String message) {}

  /**
   * A Cluster whose Services move, with the knobs that pace them.
   *
   * @param inInput false: the Cluster is not in the input, its defaults are assumed
   * @param order the moving Services in the order they get a migration slot
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ClusterMove(
      String namespace,
      String name,
      boolean inInput,
      String from,
      String to,
      int maxConcurrentServices,
      int stepPercent,
      int soakSeconds,
      int verifyTimeoutSeconds,
      boolean paused,
      List<String> order) {}

  /**
   * What the flip does to one Service.
   *
   * @param moves false when it already runs on the target backend
   * @param desiredCount the count the cut-over keeps (null for DAEMON: one per node)
   * @param desiredNote where the count comes from when the spec does not give it exactly
   * @param healthyFloor desired × minimumHealthyPercent, rounded up: healthy capacity (old running
   *     + new ready) never goes below it
   * @param shiftSteps the old side's counts through Shift, from desired down to 0
   * @param slot its place in its Cluster's order (1-based)
   * @param batch which group of maxConcurrentServices it is in: 1 starts at once, the next ones as
   *     slots free
   * @param stopsBeforeShift the cut-over waits before Shift for traffic moved by hand
   * @param traffic why it stops and what to do, or why traffic follows by itself
   * @param refusals what the target refuses: the Service does not move until they are fixed
   * @param warnings what the target accepts but does not honour
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ServiceMove(
      String namespace,
      String name,
      String cluster,
      String from,
      String to,
      boolean moves,
      Integer desiredCount,
      String desiredNote,
      int minimumHealthyPercent,
      Integer healthyFloor,
      List<Integer> shiftSteps,
      Integer slot,
      Integer batch,
      boolean stopsBeforeShift,
      String traffic,
      List<Finding> refusals,
      List<Finding> warnings) {}

  /** The whole preview: per Cluster, then per Service in input order. */
  record Plan(String to, List<ClusterMove> clusters, List<ServiceMove> services) {

    /** Whether the target refuses anything a moving Service needs. */
    boolean refused() {
      return services.stream().anyMatch(s -> !s.refusals().isEmpty());
    }
  }

  /** What the validators found for one Service on the target backend. */
  record Findings(List<Finding> refusals, List<Finding> warnings) {}

  /**
   * The preview of flipping to {@code to}.
   *
   * @param services the Services of the input, in input order
   * @param routes the LoadBalancerRoutes of the input (which Services stop before Shift)
   * @param clusters the input's Clusters as they are now (their backend is where Services run)
   * @param findings per Service, what the target refuses and does not honour
   */
  static Plan of(
      String to,
      List<EcsService> services,
      List<LoadBalancerRoute> routes,
      InputClusters clusters,
      Function<EcsService, Findings> findings) {
    // the moving Services of each Cluster by name: a summary of the slots (the operator gives them
    // as they free up, in the order Services ask)
    Map<String, List<EcsService>> moving = new LinkedHashMap<>();
    Map<String, ClusterMove> clusterMoves = new LinkedHashMap<>();
    for (EcsService s : services) {
      String from = backendOf(clusters, s);
      if (from.equals(to)) continue;
      moving.computeIfAbsent(clusterKey(s), k -> new ArrayList<>()).add(s);
    }
    for (var e : moving.entrySet()) {
      EcsService first = e.getValue().get(0);
      e.getValue().sort(Comparator.comparing(s -> s.getMetadata().getName()));
      MigrationSettings knobs = knobs(spec(clusters, first));
      clusterMoves.put(
          e.getKey(),
          new ClusterMove(
              first.getMetadata().getNamespace(),
              clusterName(first.getSpec().clusterRef),
              clusters
                  .resolve(first.getMetadata().getNamespace(), first.getSpec().clusterRef)
                  .isPresent(),
              backendOf(clusters, first),
              to,
              knobs.maxConcurrent(),
              knobs.step(),
              knobs.soak(),
              knobs.verifyTimeout(),
              knobs.isPaused(),
              e.getValue().stream().map(s -> s.getMetadata().getName()).distinct().toList()));
    }
    List<ServiceMove> out = new ArrayList<>();
    for (EcsService s : services) {
      out.add(service(s, to, clusters, routes, clusterMoves.get(clusterKey(s)), findings.apply(s)));
    }
    return new Plan(to, List.copyOf(clusterMoves.values()), out);
  }

  private static ServiceMove service(
      EcsService s,
      String to,
      InputClusters clusters,
      List<LoadBalancerRoute> routes,
      ClusterMove cluster,
      Findings findings) {
    EcsServiceSpec spec = s.getSpec();
    String from = backendOf(clusters, s);
    boolean moves = !from.equals(to);
    boolean daemon = "DAEMON".equals(spec.schedulingStrategy);
    int minimumHealthy =
        spec.deploymentConfiguration == null
                || spec.deploymentConfiguration.minimumHealthyPercent == null
            ? 100
            : spec.deploymentConfiguration.minimumHealthyPercent;
    Integer desired;
    String note = null;
    if (daemon) {
      desired = null;
      note =
          "DAEMON: one task per eligible node on each side; the old side goes in one step once the"
              + " new side is ready everywhere";
    } else if (spec.desiredCount != null) {
      desired = spec.desiredCount;
    } else if (spec.autoscaling != null && spec.autoscaling.minTasks != null) {
      desired = spec.autoscaling.minTasks;
      note =
          "autoscaling: at least minTasks ("
              + desired
              + "); the cut-over keeps the larger of minTasks and what the old side runs then";
    } else {
      desired = 1;
      note = "no desiredCount: the cut-over keeps what the old side runs then (at least 1)";
    }
    Integer floor = null;
    List<Integer> steps = null;
    Integer slot = null;
    Integer batch = null;
    Traffic traffic = new Traffic(false, null);
    if (moves) {
      if (desired != null) {
        floor = CutOver.required(desired, minimumHealthy);
        steps = CutOver.shiftSteps(desired, minimumHealthy, cluster.stepPercent(), daemon);
      }
      int index = cluster.order().indexOf(s.getMetadata().getName());
      slot = index + 1;
      batch = index / cluster.maxConcurrentServices() + 1;
      traffic = traffic(s, routes, spec(clusters, s));
    }
    return new ServiceMove(
        s.getMetadata().getNamespace(),
        s.getMetadata().getName(),
        clusterName(spec.clusterRef),
        from,
        to,
        moves,
        desired,
        note,
        minimumHealthy,
        floor,
        steps,
        slot,
        batch,
        traffic.held(),
        traffic.why(),
        findings.refusals(),
        findings.warnings());
  }

  /**
   * Whether the cut-over of {@code s} would stop before Shift, as the operator decides it: a route
   * of the input sends it traffic in a routing mode whose load balancer the two sides do not share,
   * and the Service does not carry {@link CutOver#TRAFFIC_SHIFTED}{@code =true}.
   */
  private static Traffic traffic(
      EcsService s, List<LoadBalancerRoute> routes, ClusterSpec cluster) {
    var annotations = s.getMetadata().getAnnotations();
    if (annotations != null && "true".equals(annotations.get(CutOver.TRAFFIC_SHIFTED))) {
      return new Traffic(
          false, "annotated " + CutOver.TRAFFIC_SHIFTED + "=true: traffic was moved by hand");
    }
    String mode = cluster == null || cluster.routing == null ? null : cluster.routing.mode;
    var route =
        routes.stream()
            .filter(
                r -> Objects.equals(r.getMetadata().getNamespace(), s.getMetadata().getNamespace()))
            .filter(r -> s.getMetadata().getName().equals(targetOf(r)))
            .findFirst();
    if (route.isEmpty()) {
      return new Traffic(false, "no LoadBalancerRoute of the input sends it traffic");
    }
    String held = CutOver.trafficHeld(route.get().getMetadata().getName(), mode);
    return held != null
        ? new Traffic(true, held)
        : new Traffic(
            false,
            "LoadBalancerRoute "
                + route.get().getMetadata().getName()
                + " in routing mode aws: both sides register in its one target group");
  }

  /** Whether traffic holds the cut-over before Shift, and why (or why not). */
  private record Traffic(boolean held, String why) {}

  /** The Service a route sends its traffic to. */
  static String targetOf(LoadBalancerRoute r) {
    return r.getSpec() == null
            || r.getSpec().target == null
            || r.getSpec().target.serviceRef == null
        ? null
        : r.getSpec().target.serviceRef.name;
  }

  /** The backend a Service runs on now: its Cluster's in the input, else kubernetes. */
  static String backendOf(InputClusters clusters, EcsService s) {
    ClusterSpec spec = spec(clusters, s);
    return spec == null || spec.backend == null ? "kubernetes" : spec.backend;
  }

  private static ClusterSpec spec(InputClusters clusters, EcsService s) {
    return clusters.resolve(s.getMetadata().getNamespace(), s.getSpec().clusterRef).orElse(null);
  }

  private static MigrationSettings knobs(ClusterSpec spec) {
    return spec == null || spec.migration == null ? new MigrationSettings() : spec.migration;
  }

  static String clusterName(ObjectRef ref) {
    return ref == null || ref.name == null ? "default" : ref.name;
  }

  private static String clusterKey(EcsService s) {
    String ns = s.getMetadata().getNamespace();
    return (ns == null ? "" : ns) + "/" + clusterName(s.getSpec().clusterRef);
  }
}
