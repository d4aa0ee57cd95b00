package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs a Task on one backend: starts its tasks exactly once (a crash after the start never starts a
 * second set), reports each task in ECS's words, and stops them when the Task is deleted while they
 * run. kubernetes: a Job; ecs: RunTask / DescribeTasks / StopTask.
 */
public interface TaskBackend {

  /**
   * What a Task's backend reads of the informer caches the Task controller registered: its own
   * children ({@link InformerCaches}: the Job, the pods) and the look-ups across the namespace.
   */
  interface Caches extends InformerCaches {

    /** The one cached resource of {@code type} related to the Task (its Job, Cluster, ...). */
    <T extends HasMetadata> Optional<T> one(Class<T> type);

    /** The ControllerRevisions of the TaskDefinition with label value {@code label}. */
    List<ControllerRevision> revisionsOf(String namespace, String label);

    /** The TaskRole {@code name}, as cached. */
    Optional<TaskRole> taskRole(String namespace, String name);
  }

  /**
   * What a Task runs: a TaskDefinition revision.
   *
   * @param revision the revision number
   * @param task that revision's spec (kubernetes; on ecs the TaskDefinition's spec when the
   *     revision is its latest, else null)
   * @param taskDefinitionName the TaskDefinition resource
   * @param serviceAccountName the ServiceAccount of the task role, or null
   * @param taskDefinitionArn ecs: the registered revision's ARN, else null
   */
  record Plan(
      int revision,
      TaskDefinitionSpec task,
      String taskDefinitionName,
      String serviceAccountName,
      String taskDefinitionArn) {}

  /**
   * Where and what a Task started, recorded in its status when it starts: a started Task is
   * observed and stopped there for good, whatever its Cluster or TaskDefinition say later.
   *
   * @param clusterArn ecs: the ECS cluster the tasks run in, else null
   * @param taskDefinitionArn ecs: the task definition the tasks run (from the tasks themselves when
   *     found again), else null
   * @param revision the revision the tasks run, read from the tasks when the backend can (null: the
   *     revision planned)
   * @param essentialContainers the essential containers of the revision run (null: unknown)
   */
  record Placement(
      String clusterArn,
      String taskDefinitionArn,
      Integer revision,
      List<String> essentialContainers) {}

  /**
   * What the backend saw of a Task's tasks.
   *
   * @param tasks one entry per task (started or failed to start), in start order; empty before any
   *     started
   * @param started whether the tasks were started (by this call or before)
   * @param jobName kubernetes: the Job, else null
   * @param startedBy ecs: the startedBy the tasks are found by again, else null
   * @param warnings what was accepted but cannot be honoured (paths of the Task or TaskDefinition
   *     spec)
   * @param refusals what stops the start (nothing was started)
   * @param recheckAfter when to look again while tasks run (ECS sends no events), or null
   * @param placement where and what was started, when {@code started}; null when nothing new is
   *     known (the status keeps what it recorded)
   */
  record Observation(
      List<TaskRunStatus> tasks,
      boolean started,
      String jobName,
      String startedBy,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      Duration recheckAfter,
      Placement placement) {

    public Observation(
        List<TaskRunStatus> tasks,
        boolean started,
        String jobName,
        String startedBy,
        List<StatusWarning> warnings,
        List<Problem> refusals,
        Duration recheckAfter) {
      this(tasks, started, jobName, startedBy, warnings, refusals, recheckAfter, null);
    }

    /** Nothing started: {@code refusals} stop it. */
    public static Observation refused(List<StatusWarning> warnings, List<Problem> refusals) {
      return new Observation(List.of(), false, null, null, warnings, refusals, null, null);
    }
  }

  /** What stopping a deleted Task's tasks came to. */
  record Removal(boolean finished, Duration retryAfter, List<String> stopped) {

    public static Removal complete(List<String> stopped) {
      return new Removal(true, null, stopped);
    }
  }

  /** The revision numbers of {@code taskDefinition} this backend can run now, ascending. */
  List<Integer> revisions(Task task, TaskDefinition taskDefinition, Caches caches);

  /**
   * What revision {@code revision} still waits for before it can run (a task role's ServiceAccount,
   * the ECS cluster), as a Progressing reason and message; empty when it can run.
   */
  default Optional<Problem> waitingFor(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    return Optional.empty();
  }

  /** The plan that runs revision {@code revision} of {@code taskDefinition}. */
  Plan plan(Task task, TaskDefinition taskDefinition, int revision, Caches caches);

  /**
   * Starts the Task's tasks unless they were started before (found by what the backend left: the
   * Job; the tasks' startedBy and owner tags), and reports them.
   */
  Observation run(Task task, ResolvedCluster cluster, Plan plan, Caches caches);

  /**
   * Reports the tasks of a Task that started on this backend before ({@code status.backend} names
   * it), from what its status recorded (the ECS cluster, the task ARNs; the Job) alone: neither its
   * TaskDefinition, its revision nor its TaskRole need to exist any more, and the Cluster is only
   * asked for the AWS context. Never starts anything.
   */
  Observation observe(Task task, ResolvedCluster cluster, Caches caches);

  /** Whether the tasks live outside Kubernetes, so deleting the Task needs a finalizer. */
  default boolean needsFinalizer() {
    return false;
  }

  /**
   * Stops what still runs for a Task being deleted (honouring its deletionPolicy). Kubernetes
   * children go by garbage collection, so the default stops nothing.
   */
  default Removal stop(Task task, ResolvedCluster cluster, Caches caches) {
    return Removal.complete(List.of());
  }
}
