package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The operator's one informer and cache per kind for the kinds its controllers read beside their
 * own primary resources: Clusters, TaskDefinitions and their ControllerRevisions, TaskRoles,
 * Services, LoadBalancerRoutes, Tasks and ScheduledTasks. Before, the Operator SDK opened an
 * informer per controller and event source, so a ControllerRevision was watched, decoded and cached
 * four times and a Cluster thirteen; now each controller registers a {@link SharedEventSource} over
 * the kind's one {@link KindCache}. A kind that is a controller's primary resource is still watched
 * by that controller's own informer too (the Operator SDK keeps it to itself).
 */
@ApplicationScoped
public class SharedInformers {

  /**
   * Index of Services, Tasks and ScheduledTasks by the TaskDefinition they name ({@link
   * TidewaterLabels#taskDefinitionKey} of its label value), and of ControllerRevisions by the
   * TaskDefinition they belong to: the same keys as the Service controller's own index.
   */
  public static final String TASK_DEFINITION_INDEX = TidewaterLabels.TASK_DEFINITION_INDEX;

  private final Instance<KubernetesClient> client;
  // a shard's namespaces once known (then every cache watches them), else null: each cache watches
  // what the controllers do (all namespaces, or those the operator was configured with)
  private volatile Set<String> namespaces;
  private final Map<Class<?>, KindCache<?>> caches = new ConcurrentHashMap<>();

  SharedInformers(Instance<KubernetesClient> client) {
    this.client = client;
  }

  /** Clusters. */
  public KindCache<Cluster> clusters() {
    return cache(Cluster.class, null, Map.of());
  }

  /** TaskDefinitions. */
  public KindCache<TaskDefinition> taskDefinitions() {
    return cache(TaskDefinition.class, null, Map.of());
  }

  /** The TaskDefinitions' revisions (ControllerRevisions labelled as Tidewater's). */
  public KindCache<ControllerRevision> revisions() {
    return cache(
        ControllerRevision.class,
        TidewaterLabels.MANAGED_SELECTOR,
        Map.of(
            TASK_DEFINITION_INDEX,
            r -> {
              String label =
                  r.getMetadata().getLabels() == null
                      ? null
                      : r.getMetadata().getLabels().get(TidewaterLabels.TASK_DEFINITION);
              return label == null
                  ? List.of()
                  : List.of(
                      TidewaterLabels.taskDefinitionKey(r.getMetadata().getNamespace(), label));
            }));
  }

  /** TaskRoles. */
  public KindCache<TaskRole> taskRoles() {
    return cache(TaskRole.class, null, Map.of());
  }

  /** Services, indexed by the TaskDefinition they run. */
  public KindCache<EcsService> services() {
    return cache(
        EcsService.class,
        null,
        byTaskDefinition(s -> s.getSpec() == null ? null : s.getSpec().taskDefinitionRef));
  }

  /** Tasks, indexed by the TaskDefinition they run. */
  public KindCache<Task> tasks() {
    return cache(
        Task.class,
        null,
        byTaskDefinition(t -> t.getSpec() == null ? null : t.getSpec().taskDefinitionRef));
  }

  /** ScheduledTasks, indexed by the TaskDefinition they run. */
  public KindCache<ScheduledTask> scheduledTasks() {
    return cache(
        ScheduledTask.class,
        null,
        byTaskDefinition(
            t ->
                t.getSpec() == null || t.getSpec().task == null
                    ? null
                    : t.getSpec().task.taskDefinitionRef));
  }

  /** LoadBalancerRoutes. */
  public KindCache<LoadBalancerRoute> routes() {
    return cache(LoadBalancerRoute.class, null, Map.of());
  }

  /** The {@link #TASK_DEFINITION_INDEX} key of the TaskDefinition named {@code name}. */
  public static String taskDefinitionKey(String namespace, String name) {
    return TidewaterLabels.taskDefinitionKey(namespace, TidewaterLabels.value(name));
  }

  /**
   * Watches exactly {@code namespaces} in every cache from now on (a shard's set); completes once
   * the new informers listed.
   */
  synchronized CompletableFuture<Void> changeNamespaces(Set<String> namespaces) {
    this.namespaces = Set.copyOf(namespaces);
    return CompletableFuture.allOf(
        caches.values().stream()
            .map(c -> c.changeNamespaces(namespaces))
            .toArray(CompletableFuture[]::new));
  }

  private static <T extends HasMetadata> Map<String, Function<T, List<String>>> byTaskDefinition(
      Function<T, TaskDefinitionRef> ref) {
    return Map.of(
        TASK_DEFINITION_INDEX,
        o -> {
          TaskDefinitionRef r = ref.apply(o);
          return r == null || r.name == null
              ? List.of()
              : List.of(taskDefinitionKey(o.getMetadata().getNamespace(), r.name));
        });
  }

  @SuppressWarnings("unchecked")
  private synchronized <T extends HasMetadata> KindCache<T> cache(
      Class<T> type, String labelSelector, Map<String, Function<T, List<String>>> indexers) {
    return (KindCache<T>)
        caches.computeIfAbsent(
            type,
            t -> new KindCache<>(type, labelSelector, indexers, () -> client.get(), namespaces));
  }
}
