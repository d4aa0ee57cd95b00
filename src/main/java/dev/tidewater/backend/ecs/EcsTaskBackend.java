package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.aws.AwsFailures;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * A Task as ECS tasks: RunTask once, with owner tags, a startedBy unique to the Task and a client
 * token derived from it. Before RunTask, ListTasks by that startedBy (running and stopped) and the
 * owner uid tag find tasks a crash left unrecorded, so nothing starts twice. DescribeTasks (up to
 * 100 tasks a call) only while a task has not stopped; StopTask when the Task is deleted while its
 * tasks run (a finalizer holds it), unless {@code deletionPolicy: Retain}.
 */
public final class EcsTaskBackend implements TaskBackend {

  /** How often running tasks are described (ECS sends no events). */
  public static final Duration POLL = Duration.ofSeconds(5);

  /** The most tasks one DescribeTasks takes. */
  static final int DESCRIBE_BATCH = 100;

  private final AwsClientFactory clients;
  private final ClusterAwsContexts contexts;
  private final KubernetesClient client;

  public EcsTaskBackend(
      AwsClientFactory clients, ClusterAwsContexts contexts, KubernetesClient client) {
    this.clients = clients;
    this.contexts = contexts;
    this.client = client;
  }

  @Override
  public List<Integer> revisions(Task task, TaskDefinition taskDefinition, Caches caches) {
    return EcsServiceBackend.registered(taskDefinition).keySet().stream().sorted().toList();
  }

  @Override
  public Optional<Problem> waitingFor(
      Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    if (clusterArn(caches).isEmpty()) {
      return Optional.of(
          new Problem(
              "clusterRef",
              "ClusterNotReady",
              "the Cluster has no ECS cluster ARN yet (it is being created or checked)"));
    }
    return Optional.empty();
  }

  @Override
  public Plan plan(Task task, TaskDefinition taskDefinition, int revision, Caches caches) {
    boolean latest =
        taskDefinition.getStatus() != null
            && Integer.valueOf(revision).equals(taskDefinition.getStatus().revision);
    return new Plan(
        revision,
        latest ? taskDefinition.getSpec() : null,
        taskDefinition.getMetadata().getName(),
        null,
        EcsServiceBackend.registered(taskDefinition).get(revision));
  }

  private static Optional<String> clusterArn(Caches caches) {
    return caches
        .one(Cluster.class)
        .map(c -> c.getStatus() == null ? null : c.getStatus().clusterArn);
  }

  private AwsContext aws(Task task, ResolvedCluster cluster) {
    try {
      return contexts.resolve(cluster, task.getMetadata().getNamespace(), client);
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      throw BackendFailure.degraded(e.reason(), e.getMessage());
    }
  }

  @Override
  public boolean needsFinalizer() {
    return true;
  }

  @Override
  public Observation run(Task task, ResolvedCluster cluster, Plan plan, Caches caches) {
    List<Problem> refused =
        plan.task() == null ? List.of() : TaskValidator.withRevision(task.getSpec(), plan.task());
    if (!refused.isEmpty()) {
      return Observation.refused(List.of(), refused);
    }
    String clusterArn =
        clusterArn(caches)
            .orElseThrow(
                () -> BackendFailure.progressing("ClusterNotReady", "the Cluster has no ARN yet"));
    return run(task, plan, aws(task, cluster), clusterArn);
  }

  /**
   * Starts {@code task}'s tasks on {@code clusterArn} unless ECS already has them, and describes
   * them; AWS calls only, from explicit inputs (what the crash-safety test drives).
   */
  public Observation run(Task task, Plan plan, AwsContext aws, String clusterArn) {
    EcsClient ecs = clients.ecs(aws);
    List<TaskRunStatus> known =
        task.getStatus() == null || task.getStatus().tasks == null
            ? List.of()
            : task.getStatus().tasks;
    List<TaskRunStatus> tasks;
    if (!known.isEmpty()) {
      if (known.stream().allMatch(t -> "STOPPED".equals(t.lastStatus))) {
        // every task stopped: nothing can change any more, so no call at all
        return new Observation(
            known, true, null, EcsTaskRequests.startedBy(task), List.of(), List.of(), null);
      }
      tasks = describe(ecs, clusterArn, arns(known), known);
    } else {
      // find before run: a crash after RunTask (or a lost status write) left tasks with our
      // startedBy and uid tag; they are this Task's tasks, and none are started again
      List<software.amazon.awssdk.services.ecs.model.Task> found = ours(ecs, clusterArn, task);
      if (!found.isEmpty()) {
        tasks = found.stream().map(EcsTaskStatuses::of).toList();
      } else {
        tasks = start(ecs, clusterArn, task, plan);
      }
    }
    boolean running = tasks.stream().anyMatch(t -> !"STOPPED".equals(t.lastStatus));
    return new Observation(
        tasks,
        true,
        null,
        EcsTaskRequests.startedBy(task),
        List.of(),
        List.of(),
        running ? POLL : null);
  }

  private List<TaskRunStatus> start(EcsClient ecs, String clusterArn, Task task, Plan plan) {
    if (plan.taskDefinitionArn() == null) {
      throw BackendFailure.progressing(
          "RevisionPending", "revision " + plan.revision() + " has no task definition ARN yet");
    }
    Map<String, String> tags = AwsOwnership.tags(task, AwsOwnership.userTags(task.getSpec().tags));
    RunTaskResponse answer =
        AwsFailures.translated(
            () ->
                ecs.runTask(
                    EcsTaskRequests.runTask(
                        task.getSpec(),
                        clusterArn,
                        plan.taskDefinitionArn(),
                        EcsTaskRequests.startedBy(task),
                        EcsTaskRequests.clientToken(task),
                        tags)));
    List<TaskRunStatus> out = new ArrayList<>();
    answer.tasks().forEach(t -> out.add(EcsTaskStatuses.of(t)));
    for (Failure f : answer.failures()) {
      // RunTask placed fewer tasks than asked: ECS starts none for these and never will
      TaskRunStatus failed = new TaskRunStatus();
      failed.taskArn = f.arn();
      failed.lastStatus = "STOPPED";
      failed.stopCode = EcsTaskStatuses.TASK_FAILED_TO_START;
      failed.stoppedReason =
          f.reason() + (f.detail() == null || f.detail().isBlank() ? "" : ": " + f.detail());
      out.add(failed);
    }
    return out;
  }

  /**
   * This Task's tasks ECS knows, running or stopped, described: by startedBy, then the owner uid
   * tag (a startedBy the user chose may be shared with tasks that are not this Task's).
   */
  private List<software.amazon.awssdk.services.ecs.model.Task> ours(
      EcsClient ecs, String clusterArn, Task task) {
    String startedBy = EcsTaskRequests.startedBy(task);
    List<String> candidates = new ArrayList<>();
    for (DesiredStatus desired : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
      AwsFailures.translated(
          () ->
              ecs.listTasksPaginator(
                      r -> r.cluster(clusterArn).startedBy(startedBy).desiredStatus(desired))
                  .taskArns()
                  .forEach(
                      arn -> {
                        if (!candidates.contains(arn)) candidates.add(arn);
                      }));
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    List<software.amazon.awssdk.services.ecs.model.Task> ours = new ArrayList<>();
    for (List<String> batch : batches(candidates)) {
      var described =
          AwsFailures.translated(
              () ->
                  ecs.describeTasks(
                      r -> r.cluster(clusterArn).tasks(batch).include(TaskField.TAGS)));
      described.tasks().stream()
          .filter(
              t ->
                  t.tags().stream()
                      .anyMatch(
                          tag ->
                              AwsOwnership.UID_TAG.equals(tag.key())
                                  && task.getMetadata().getUid().equals(tag.value())))
          .forEach(ours::add);
    }
    return ours;
  }

  /**
   * The tasks {@code arns} as DescribeTasks reports them, in the order of {@code arns}; a task ECS
   * no longer describes (stopped long ago) keeps what {@code known} last said of it.
   */
  private List<TaskRunStatus> describe(
      EcsClient ecs, String clusterArn, List<String> arns, List<TaskRunStatus> known) {
    Map<String, TaskRunStatus> byArn = new LinkedHashMap<>();
    known.forEach(t -> byArn.put(t.taskArn, t));
    List<String> live =
        arns.stream()
            .filter(a -> a != null)
            .filter(a -> byArn.get(a) == null || !"STOPPED".equals(byArn.get(a).lastStatus))
            .toList();
    for (List<String> batch : batches(live)) {
      AwsFailures.translated(() -> ecs.describeTasks(r -> r.cluster(clusterArn).tasks(batch)))
          .tasks()
          .forEach(t -> byArn.put(t.taskArn(), EcsTaskStatuses.of(t)));
    }
    List<TaskRunStatus> out = new ArrayList<>();
    for (String arn : arns) {
      if (byArn.containsKey(arn)) out.add(byArn.get(arn));
    }
    // tasks that failed to start have no ARN to describe: kept as they were
    known.stream().filter(t -> t.taskArn == null).forEach(out::add);
    return out;
  }

  private static List<String> arns(List<TaskRunStatus> tasks) {
    return tasks.stream().map(t -> t.taskArn).filter(a -> a != null).toList();
  }

  private static List<List<String>> batches(List<String> arns) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < arns.size(); i += DESCRIBE_BATCH) {
      out.add(arns.subList(i, Math.min(arns.size(), i + DESCRIBE_BATCH)));
    }
    return out;
  }

  @Override
  public Removal stop(Task task, ResolvedCluster cluster, Caches caches) {
    if ("Retain".equals(task.getSpec().deletionPolicy)) {
      return Removal.complete(List.of());
    }
    Optional<String> clusterArn = clusterArn(caches);
    if (clusterArn.isEmpty()) {
      // no ECS cluster known: nothing this Task could have started
      return Removal.complete(List.of());
    }
    return stop(task, aws(task, cluster), clusterArn.get());
  }

  /** Stops what still runs of {@code task}'s tasks on {@code clusterArn}; AWS calls only. */
  public Removal stop(Task task, AwsContext aws, String clusterArn) {
    EcsClient ecs = clients.ecs(aws);
    List<String> stopped = new ArrayList<>();
    // the status may lag (a crash right after RunTask): ECS is asked, by startedBy and uid tag
    for (var t : ours(ecs, clusterArn, task)) {
      if ("STOPPED".equals(t.lastStatus()) || "STOPPED".equals(t.desiredStatus())) continue;
      AwsFailures.translated(
          () ->
              ecs.stopTask(
                  r ->
                      r.cluster(clusterArn)
                          .task(t.taskArn())
                          .reason(
                              "Task "
                                  + task.getMetadata().getNamespace()
                                  + "/"
                                  + task.getMetadata().getName()
                                  + " deleted")));
      stopped.add(t.taskArn());
    }
    return Removal.complete(stopped);
  }
}
