package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.model.Problem;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Optional;

/**
 * Runs Services on one backend: knows the TaskDefinition revisions it can run, applies a plan (only
 * what differs), reports what runs and removes it when the Service goes. A backend that reads
 * remote state in batches (ECS: ten services per DescribeServices) caches the batch per resync and
 * serves each Service from it.
 */
public interface ServiceBackend {

  /**
   * The revision numbers of {@code taskDefinition} this backend can run now, ascending (kubernetes:
   * its ControllerRevisions; ecs: the registered revisions in its status).
   */
  List<Integer> revisions(
      EcsService service, TaskDefinition taskDefinition, Context<EcsService> context);

  /**
   * What revision {@code revision} still waits for before it can run (a task role's ServiceAccount
   * on kubernetes), as a Progressing reason and message; empty when it can run.
   */
  default Optional<Problem> waitingFor(
      EcsService service,
      TaskDefinition taskDefinition,
      int revision,
      Context<EcsService> context) {
    return Optional.empty();
  }

  /** The plan that runs revision {@code revision} of {@code taskDefinition}. */
  ServicePlan plan(
      EcsService service, TaskDefinition taskDefinition, int revision, Context<EcsService> context);

  /**
   * The spec of the revision {@code plan} runs as the backend registered it, for a check against
   * the guardrails in effect now; empty where the backend checks what it runs itself (kubernetes
   * renders each revision under today's guardrails, and its renderer refuses).
   */
  default Optional<TaskDefinitionSpec> registeredSpec(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Context<EcsService> context) {
    return Optional.empty();
  }

  ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Context<EcsService> context);

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
  default ServiceRemoval remove(
      EcsService service, ResolvedCluster cluster, Context<EcsService> context) {
    return ServiceRemoval.complete();
  }
}
