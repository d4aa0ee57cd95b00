package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.ValidationContext;
import java.util.Set;

/** Turns TaskDefinition specs into numbered, immutable revisions on one backend. */
public interface TaskDefinitionBackend {

  /** Revisions kept beyond those in use when the spec sets no limit. */
  int DEFAULT_HISTORY_LIMIT = 10;

  /**
   * Makes {@code canonical} the latest revision (a new revision only when it differs from the
   * latest) and prunes revisions beyond the history limit that no Service uses.
   *
   * @param inUse revisions Services run or pin; never pruned
   * @param caches its revisions and the TaskRoles it references, as the controller's informers
   *     cache them
   * @throws BackendFailure when it cannot (AWS failures included: {@link
   *     BackendFailure#retryable()})
   */
  RevisionState reconcile(
      TaskDefinition taskDefinition,
      ResolvedCluster cluster,
      CanonicalTaskDefinition canonical,
      Set<Integer> inUse,
      InformerCaches caches);

  /**
   * Removes what the backend made for a TaskDefinition being deleted with {@code deletionPolicy:
   * Delete}. Backends whose revisions are garbage collected with the resource do nothing.
   */
  default void delete(TaskDefinition taskDefinition, ResolvedCluster cluster) {}

  /**
   * Removes what the backend made for a TaskDefinition being deleted whose Cluster is gone or now
   * selects another backend, where it was last seen; false when it knows of nothing to remove.
   */
  default boolean deleteWhereLastSeen(TaskDefinition taskDefinition) {
    return false;
  }

  /**
   * The family a first revision of {@code taskDefinition} would be in on this backend (ecs: the
   * unambiguous form, docs/naming.md), for status until the backend has said.
   */
  String firstFamily(TaskDefinition taskDefinition);

  /**
   * The spec as this backend registers it under {@code guardrails}: unchanged where the platform
   * enforces Pod Security itself (kubernetes); ecs hardens it under restricted (capabilities
   * dropped, no escalation), so a guardrail change makes a new revision there.
   */
  default TaskDefinitionSpec asRegistered(TaskDefinitionSpec spec, ValidationContext guardrails) {
    return spec;
  }

  /** Whether revisions live outside Kubernetes, so deleting the resource needs a finalizer. */
  default boolean needsFinalizer() {
    return false;
  }
}
