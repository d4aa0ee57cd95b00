package dev.tidewater.api.v1alpha1;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;

/** The Tidewater kinds, in the order they depend on each other. */
public final class TidewaterKinds {

  public static final String GROUP = "ecs.tidewater.dev";
  public static final String VERSION = "v1alpha1";

  /** Every kind's resource class. */
  public static final List<Class<? extends CustomResource<?, ?>>> ALL =
      List.of(
          Cluster.class,
          TaskRole.class,
          TaskDefinition.class,
          EcsService.class,
          LoadBalancerRoute.class,
          Task.class,
          ScheduledTask.class);

  /** The cluster-scoped kinds: the ceiling a platform team sets for namespaces. */
  public static final List<Class<? extends CustomResource<?, ?>>> CLUSTER_SCOPED =
      List.of(TenancyPolicy.class);

  private TidewaterKinds() {}

  /**
   * The resource class of {@code kind} ("Service" for {@link EcsService}), namespaced or
   * cluster-scoped, or null.
   */
  public static Class<? extends CustomResource<?, ?>> byKind(String kind) {
    return java.util.stream.Stream.concat(ALL.stream(), CLUSTER_SCOPED.stream())
        .filter(c -> io.fabric8.kubernetes.api.model.HasMetadata.getKind(c).equals(kind))
        .findFirst()
        .orElse(null);
  }
}
