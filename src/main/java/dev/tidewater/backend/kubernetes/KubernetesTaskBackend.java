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
import java.util.Set;

/**
 * A Task as a Job ({@link TaskJob}), made once and never changed (a Task runs once); its pods are
 * reported as ECS tasks ({@link TaskPods}). The Job carries an owner reference to the Task, so
 * deleting the Task stops its pods through garbage collection, with no finalizer.
 */
public class KubernetesTaskBackend implements TaskBackend {

  /** A Job of the Task's name that the Task does not control. */
  public static final String NAME_CONFLICT = "NameConflict";

  private final KubernetesClient client;
  private final RevisionSpecs revisionSpecs;
  private volatile Boolean podLevelResources;

  /**
   * @param revisionSpecs the parsed revisions, shared with the Service backend
   */
  public KubernetesTaskBackend(KubernetesClient client, RevisionSpecs revisionSpecs) {
    this.client = client;
    this.revisionSpecs = revisionSpecs;
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

  private TaskDefinitionSpec spec(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    return controllerRevisions(task, taskDefinition, caches).stream()
        .filter(r -> r.getRevision().intValue() == revision)
        .findFirst()
        .map(revisionSpecs::specOf)
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
    Optional<Job> job = controlledJob(task, caches);
    boolean startedBefore = task.getStatus() != null && task.getStatus().jobName != null;
    if (job.isEmpty() && startedBefore) {
      // made before, by an operator that did not record status.backend: observed as started
      return observe(task, cluster, caches);
    }
    Job current;
    if (job.isPresent()) {
      current = job.get();
    } else {
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
      current = found != null ? found : client.resource(desired.job()).create();
    }
    List<TaskRunStatus> tasks =
        TaskPods.tasks(
            TaskPods.of(current, caches.of(Pod.class)),
            desired.containerNames(),
            new HashSet<>(TaskOverrides.essentialContainers(plan.task())));
    return new Observation(tasks, true, name, null, desired.warnings(), List.of(), null);
  }

  @Override
  public Observation observe(Task task, ResolvedCluster cluster, Caches caches) {
    String name = task.getStatus().jobName != null ? task.getStatus().jobName : TaskJob.name(task);
    Optional<Job> job = controlledJob(task, caches);
    if (job.isEmpty()) {
      // not in the cache: asked once more (a Job made a moment ago may not be cached yet)
      job =
          Optional.ofNullable(
                  client
                      .batch()
                      .v1()
                      .jobs()
                      .inNamespace(task.getMetadata().getNamespace())
                      .withName(name)
                      .get())
              .filter(j -> OwnerReferences.isControlledBy(j, task));
    }
    List<TaskRunStatus> last = task.getStatus().tasks == null ? List.of() : task.getStatus().tasks;
    if (job.isEmpty()) {
      // the Job went (deleted by hand): a Task runs once, so it is not made again; what had not
      // stopped was stopped by that deletion
      int count = task.getSpec().count == null ? 1 : task.getSpec().count;
      return new Observation(
          TaskPods.jobDeleted(last, count, name), true, name, null, List.of(), List.of(), null);
    }
    Set<String> essential =
        task.getStatus().essentialContainers == null
            ? Set.of()
            : new HashSet<>(task.getStatus().essentialContainers);
    List<TaskRunStatus> tasks =
        TaskPods.tasks(
            TaskPods.of(job.get(), caches.of(Pod.class)),
            TaskJob.containerNames(job.get()),
            essential);
    return new Observation(tasks, true, name, null, List.of(), List.of(), null);
  }

  private static Optional<Job> controlledJob(Task task, Caches caches) {
    return caches.one(Job.class).filter(j -> OwnerReferences.isControlledBy(j, task));
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
