package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Runs Services on one backend: knows the TaskDefinition revisions it can run, applies a plan (only
 * what differs), reports what runs and removes it when the Service goes. A backend that reads
 * remote state in batches (ECS: ten services per DescribeServices) caches the batch per resync and
 * serves each Service from it.
 */
public interface ServiceBackend {

  /**
   * What a Service's backend reads of the informer caches the Service controller registered: its
   * own children and referenced resources ({@link InformerCaches}), and the typed look-ups across
   * the namespace the controller indexes for it.
   */
  interface Caches extends InformerCaches {

    /** The one cached resource of {@code type} related to the Service (its Deployment, ...). */
    <T extends HasMetadata> Optional<T> one(Class<T> type);

    /** The ControllerRevisions of the TaskDefinition with label value {@code label}. */
    List<ControllerRevision> revisionsOf(String namespace, String label);

    /** The TaskRole {@code name}, as cached. */
    Optional<TaskRole> taskRole(String namespace, String name);

    /** The LoadBalancerRoutes of {@code namespace} that {@code which} accepts. */
    List<LoadBalancerRoute> routes(String namespace, Predicate<LoadBalancerRoute> which);

    /**
     * What the API server answered to a write of a child, so that reads see it before the watch
     * brings it: a reconcile that comes sooner (woken by another change) would not find the child
     * just made and would apply it again.
     */
    default void written(HasMetadata child) {}
  }

  /**
   * The revision numbers of {@code taskDefinition} this backend can run now, ascending (kubernetes:
   * its ControllerRevisions; ecs: the registered revisions in its status).
   */
  List<Integer> revisions(EcsService service, TaskDefinition taskDefinition, Caches caches);

  /**
   * What revision {@code revision} still waits for before it can run (a task role's ServiceAccount
   * on kubernetes), as a Progressing reason and message; empty when it can run.
   */
  default Optional<Problem> waitingFor(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.empty();
  }

  /** The plan that runs revision {@code revision} of {@code taskDefinition}. */
  ServicePlan plan(EcsService service, TaskDefinition taskDefinition, int revision, Caches caches);

  /**
   * The spec of the revision {@code plan} runs as the backend registered it, for a check against
   * the guardrails in effect now; empty where the backend checks what it runs itself (kubernetes
   * renders each revision under today's guardrails, and its renderer refuses).
   */
  default Optional<TaskDefinitionSpec> registeredSpec(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    return Optional.empty();
  }

  ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches);

  /**
   * The name of the workload this backend runs the Service as, for {@code status.workloadName}
   * (kubernetes: its Deployment or DaemonSet); null when it has none.
   */
  default String workloadName(EcsService service) {
    return null;
  }

  /**
   * What the namespace's ceiling refuses of the secret sources this backend would read {@code
   * task}'s secrets through (kubernetes: the ClusterSecretStore of each); the secret ARNs
   * themselves are the reconciler's check.
   */
  default List<Problem> secretSourcesRefused(
      TaskDefinitionSpec task, ResolvedCluster cluster, TenancyCeiling ceiling) {
    return List.of();
  }

  /**
   * Whether what this backend runs lives outside Kubernetes, so deleting the Service needs a
   * finalizer (Kubernetes children go by garbage collection).
   */
  default boolean needsFinalizer() {
    return false;
  }

  /**
   * Removes what this backend runs for a Service being deleted (honouring its deletionPolicy).
   * Kubernetes children go by garbage collection, so the default removes nothing.
   */
  default ServiceRemoval remove(EcsService service, ResolvedCluster cluster, Caches caches) {
    return ServiceRemoval.complete();
  }

  /**
   * What this backend runs for the Service now, read without changing anything: the other side of a
   * migration ({@link CutOver.Side#NONE} when nothing runs).
   */
  CutOver.Side observeSide(EcsService service, ResolvedCluster cluster, Caches caches);

  /**
   * Scales what this backend runs for the Service to {@code count}. The old side of a migration
   * while it shifts has its autoscaling removed first (it would scale it back); the new side of an
   * autoscaled Service keeps it ({@code keepAutoscaling}) and starts from this count. An apply
   * brings the autoscaling back. DAEMON services have no count and are left as they are.
   */
  void scaleTo(
      EcsService service,
      ResolvedCluster cluster,
      int count,
      boolean keepAutoscaling,
      Caches caches);

  /**
   * Removes what this backend runs for the Service while the Service stays: the side a migration
   * leaves (deletionPolicy Retain keeps it, scaled to zero).
   */
  ServiceRemoval removeSide(EcsService service, ResolvedCluster cluster, Caches caches);

  /**
   * Removes what this backend ran for a Service being deleted whose Cluster is gone or now selects
   * another backend, from where it was last seen; empty when it knows of nothing there.
   */
  default Optional<ServiceRemoval> removeWhereLastSeen(EcsService service) {
    return Optional.empty();
  }
}
