package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.TaskJob;
import dev.tidewater.backend.kubernetes.children.TaskPods;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskOverrides;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A Task as a Job ({@link TaskJob}), made once and never changed (a Task runs once); its pods are
 * reported as ECS tasks ({@link TaskPods}). The Job carries an owner reference to the Task, so
 * deleting the Task stops its pods through garbage collection, with no finalizer.
 */
public class KubernetesTaskBackend implements TaskBackend {

  /** A Job of the Task's name that the Task does not control. */
  public static final String NAME_CONFLICT = "NameConflict";

  private final KubernetesClient client;
  private volatile Boolean podLevelResources;

  public KubernetesTaskBackend(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public List<Integer> revisions(Task task, TaskDefinition taskDefinition, Caches caches) {
    return controllerRevisions(task, taskDefinition, caches).stream()
        .map(r -> r.getRevision().intValue())
        .sorted()
        .toList();
  }

  private static List<ControllerRevision> controllerRevisions(
      Task task, TaskDefinition taskDefinition, Caches caches) {
    return caches.revisionsOf(
        task.getMetadata().getNamespace(),
        TidewaterLabels.value(taskDefinition.getMetadata().getName()));
  }

  private static TaskDefinitionSpec spec(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    return controllerRevisions(task, taskDefinition, caches).stream()
        .filter(r -> r.getRevision().intValue() == revision)
        .findFirst()
        .map(KubernetesTaskDefinitionBackend::specOf)
        .orElseThrow(() -> new IllegalArgumentException("no revision " + revision));
  }

  private static Optional<String> serviceAccount(
      Task task, TaskDefinitionSpec spec, Caches caches) {
    return caches
        .taskRole(task.getMetadata().getNamespace(), spec.taskRoleRef.name)
        .map(r -> r.getStatus() == null ? null : r.getStatus().serviceAccountName);
  }

  @Override
  public Optional<Problem> waitingFor(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    TaskDefinitionSpec spec = spec(task, taskDefinition, revision, caches);
    if (spec.taskRoleRef == null || serviceAccount(task, spec, caches).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        new Problem(
            "taskRoleRef",
            "TaskRoleNotFound",
            "TaskRole " + spec.taskRoleRef.name + " does not exist or has no ServiceAccount yet"));
  }

  @Override
  public Plan plan(Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    TaskDefinitionSpec spec = spec(task, taskDefinition, revision, caches);
    String serviceAccount =
        spec.taskRoleRef == null ? null : serviceAccount(task, spec, caches).orElseThrow();
    return new Plan(revision, spec, taskDefinition.getMetadata().getName(), serviceAccount, null);
  }

  @Override
  public Observation run(Task task, ResolvedCluster cluster, Plan plan, Caches caches) {
    TaskJob.Desired desired =
        TaskJob.desired(new TaskJob.Inputs(task, cluster.spec(), plan, podLevelResources()));
    String name = TaskJob.name(task);
    Optional<Job> job = caches.one(Job.class).filter(j -> OwnerReferences.isControlledBy(j, task));
    boolean startedBefore = task.getStatus() != null && task.getStatus().jobName != null;
    if (job.isEmpty() && startedBefore) {
      // the Job went (deleted by hand): a Task runs once, so it is not made again; what was last
      // seen of its tasks stays
      List<TaskRunStatus> last =
          task.getStatus().tasks == null ? List.of() : task.getStatus().tasks;
      return new Observation(last, true, name, null, desired.warnings(), List.of(), null);
    }
    if (job.isEmpty()) {
      if (!desired.refusals().isEmpty()) {
        return Observation.refused(desired.warnings(), desired.refusals());
      }
      // one GET at creation only: the cache holds only Jobs this Task controls, and a Job of the
      // same name made by someone else must not be taken over
      Job found =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(task.getMetadata().getNamespace())
              .withName(name)
              .get();
      if (found != null && !OwnerReferences.isControlledBy(found, task)) {
        return Observation.refused(
            desired.warnings(),
            List.of(
                new Problem(
                    "metadata.name",
                    NAME_CONFLICT,
                    "Job " + name + " exists and does not belong to this Task")));
      }
      if (found == null) {
        client.resource(desired.job()).create();
      }
    }
    List<Pod> pods =
        caches.of(Pod.class).stream()
            .filter(
                p ->
                    p.getMetadata().getAnnotations() != null
                        && task.getMetadata()
                            .getName()
                            .equals(p.getMetadata().getAnnotations().get(TaskJob.TASK_ANNOTATION)))
            .toList();
    List<TaskRunStatus> tasks =
        TaskPods.tasks(
            pods,
            desired.containerNames(),
            new HashSet<>(TaskOverrides.essentialContainers(plan.task())));
    return new Observation(tasks, true, name, null, desired.warnings(), List.of(), null);
  }

  /** Whether the API server takes pod-level resources; asked once per operator process. */
  boolean podLevelResources() {
    Boolean known = podLevelResources;
    if (known == null) {
      var version = client.getKubernetesVersion();
      int major = Integer.parseInt(version.getMajor().replaceAll("\\D", ""));
      int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
      known = ServiceChildren.podLevelResources(major, minor);
      podLevelResources = known;
    }
    return known;
  }
}
