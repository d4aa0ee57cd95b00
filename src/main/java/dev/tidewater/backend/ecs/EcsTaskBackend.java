package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrorReason;
import dev.tidewater.aws.AwsErrors;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
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

  /** Task uid → RunTask calls of it under way in this process (its cleanup waits for them). */
  private final Map<String, Integer> starting = new ConcurrentHashMap<>();

  /**
   * Task uid → what RunTask would refuse of its spec's generation (checked on the registered
   * revision): the same generation is refused again without any AWS call.
   */
  private final Map<String, Refused> refusedGenerations = new ConcurrentHashMap<>();

  private record Refused(Long generation, String taskDefinitionArn, List<Problem> problems) {}

  /** Task uid → the task ARNs RunTask answered in this process, until the Task's cleanup ran. */
  private final Map<String, List<String>> started = new ConcurrentHashMap<>();

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
    return EcsServiceBackend.clusterArnOf(caches.one(Cluster.class));
  }

  private AwsContext aws(Task task, ResolvedCluster cluster) {
    return contexts.resolveOrFail(cluster, task.getMetadata().getNamespace(), client);
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
   * them; AWS calls only, from explicit inputs (what the crash-safety test drives). While it runs,
   * a cleanup of the same Task in this process waits ({@link #stop}), and a Task found being
   * deleted just before RunTask is not started.
   */
  public Observation run(Task task, Plan plan, AwsContext aws, String clusterArn) {
    return run(task, plan, clients.ecs(aws), clusterArn);
  }

  /** {@link #run(Task, Plan, AwsContext, String)} with the ECS client given (unit tests). */
  public Observation run(Task task, Plan plan, EcsClient ecs, String clusterArn) {
    String uid = task.getMetadata().getUid();
    starting.merge(uid, 1, Integer::sum);
    try {
      return runUnguarded(task, plan, ecs, clusterArn);
    } finally {
      starting.computeIfPresent(uid, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private Observation runUnguarded(Task task, Plan plan, EcsClient ecs, String clusterArn) {
    List<TaskRunStatus> known =
        task.getStatus() == null || task.getStatus().tasks == null
            ? List.of()
            : task.getStatus().tasks;
    if (!known.isEmpty()) {
      // started before this operator recorded status.backend: observed as a started Task
      return observed(task, ecs, clusterArn, known, new Placement(clusterArn, null, null, null));
    }
    Refused refusedBefore = refusedGenerations.get(task.getMetadata().getUid());
    if (refusedBefore != null
        && java.util.Objects.equals(refusedBefore.generation(), task.getMetadata().getGeneration())
        && java.util.Objects.equals(refusedBefore.taskDefinitionArn(), plan.taskDefinitionArn())) {
      // this generation was refused on this revision before (nothing started): no AWS call until
      // the spec changes or the TaskDefinition gets a new latest revision
      return Observation.refused(List.of(), refusedBefore.problems());
    }
    int count = task.getSpec().count == null ? 1 : task.getSpec().count;
    // find before run: a crash after RunTask (or a lost status write) left tasks with our
    // startedBy and uid tag; they are this Task's tasks, and none are started again
    List<software.amazon.awssdk.services.ecs.model.Task> found =
        ours(ecs, clusterArn, task, family(plan.taskDefinitionArn()));
    List<TaskRunStatus> tasks;
    Placement placement;
    if (!found.isEmpty()) {
      notAllListedYet(found, count);
      // the revision they run is theirs, not the one planned now (the latest may have moved on)
      String arn = found.get(0).taskDefinitionArn();
      tasks = EcsTaskStatuses.padded(found.stream().map(EcsTaskStatuses::of).toList(), count);
      placement =
          new Placement(
              clusterArn,
              arn,
              revisionOf(arn).orElse(null),
              essentialContainers(ecs, arn).orElse(null));
    } else {
      if (plan.taskDefinitionArn() == null) {
        throw BackendFailure.progressing(
            "RevisionPending", "revision " + plan.revision() + " has no task definition ARN yet");
      }
      // the revision to run as ECS registered it (any revision, not only the latest): its network
      // mode for RunTask's own checks, its essential containers for reading the exits
      var registered =
          AwsFailures.translated(
                  () -> ecs.describeTaskDefinition(r -> r.taskDefinition(plan.taskDefinitionArn())))
              .taskDefinition();
      List<Problem> refused =
          TaskValidator.forEcs(task.getSpec(), registered.networkModeAsString());
      if (!refused.isEmpty()) {
        refusedGenerations.put(
            task.getMetadata().getUid(),
            new Refused(
                task.getMetadata().getGeneration(),
                plan.taskDefinitionArn(),
                List.copyOf(refused)));
        return Observation.refused(List.of(), refused);
      }
      refusedGenerations.remove(task.getMetadata().getUid());
      tasks = start(ecs, clusterArn, task, plan);
      placement =
          new Placement(
              clusterArn,
              plan.taskDefinitionArn(),
              plan.revision(),
              EcsTaskStatuses.essentialContainers(registered.containerDefinitions()));
    }
    boolean running = tasks.stream().anyMatch(t -> !"STOPPED".equals(t.lastStatus));
    return new Observation(
        tasks,
        true,
        null,
        EcsTaskRequests.startedBy(task),
        List.of(),
        List.of(),
        running ? POLL : null,
        placement);
  }

  @Override
  public Observation observe(Task task, ResolvedCluster cluster, Caches caches) {
    List<TaskRunStatus> known = task.getStatus().tasks == null ? List.of() : task.getStatus().tasks;
    if (!known.isEmpty() && known.stream().allMatch(t -> "STOPPED".equals(t.lastStatus))) {
      // every task stopped: nothing can change any more, so no call at all
      return new Observation(known, true, null, startedBy(task), List.of(), List.of(), null);
    }
    if (cluster.missing()) {
      throw BackendFailure.degraded(
          "ClusterNotFound",
          "Cluster " + cluster.name() + " does not exist: no AWS context to observe the tasks in");
    }
    String clusterArn =
        Optional.ofNullable(task.getStatus().clusterArn)
            .or(() -> clusterArn(caches))
            .orElseThrow(
                () ->
                    BackendFailure.degraded(
                        "ClusterNotReady", "no ECS cluster is recorded for the tasks"));
    return observe(task, clients.ecs(aws(task, cluster)), clusterArn);
  }

  /** A started Task's tasks in {@code clusterArn}, described again; AWS calls only. */
  public Observation observe(Task task, EcsClient ecs, String clusterArn) {
    List<TaskRunStatus> known = task.getStatus().tasks == null ? List.of() : task.getStatus().tasks;
    return observed(task, ecs, clusterArn, known, null);
  }

  /** The tasks {@code known} described again (or found again, when none are known). */
  private Observation observed(
      Task task, EcsClient ecs, String clusterArn, List<TaskRunStatus> known, Placement placement) {
    List<TaskRunStatus> tasks;
    if (known.isEmpty()) {
      var found = ours(ecs, clusterArn, task, family(task.getStatus().taskDefinitionArn));
      int count = task.getSpec().count == null ? 1 : task.getSpec().count;
      notAllListedYet(found, count);
      tasks = EcsTaskStatuses.padded(found.stream().map(EcsTaskStatuses::of).toList(), count);
    } else {
      tasks = describe(ecs, clusterArn, known, longGone(task));
    }
    boolean running = tasks.stream().anyMatch(t -> !"STOPPED".equals(t.lastStatus));
    if (!running) {
      started.remove(task.getMetadata().getUid());
    }
    return new Observation(
        tasks, true, null, startedBy(task), List.of(), List.of(), running ? POLL : null, placement);
  }

  /**
   * Fewer tasks found than RunTask was asked for, the first created moments ago: ECS may not list
   * the others yet (a crash right after RunTask), so they are looked for again rather than taken as
   * never started.
   */
  private static void notAllListedYet(
      List<software.amazon.awssdk.services.ecs.model.Task> found, int count) {
    if (EcsTaskStatuses.mayStillBeListed(found, count, Instant.now())) {
      throw BackendFailure.progressing(
          "TasksNotListedYet",
          "ECS lists "
              + found.size()
              + " of the "
              + count
              + " tasks started; the others may not be listed yet, looking again",
          POLL);
    }
  }

  /** The startedBy the tasks were started with: as recorded, else as the spec says. */
  private static String startedBy(Task task) {
    return task.getStatus() != null && task.getStatus().startedBy != null
        ? task.getStatus().startedBy
        : EcsTaskRequests.startedBy(task);
  }

  /** Whether the Task is older than ECS keeps a stopped task describable (about an hour). */
  private static boolean longGone(Task task) {
    String created = task.getMetadata().getCreationTimestamp();
    try {
      return created != null
          && Instant.parse(created).plus(Duration.ofHours(1)).isBefore(Instant.now());
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static Optional<Integer> revisionOf(String taskDefinitionArn) {
    return taskDefinitionArn == null
        ? Optional.empty()
        : EcsTaskDefinitionBackend.familyRevision(taskDefinitionArn).map(Map.Entry::getValue);
  }

  private static Optional<String> family(String taskDefinitionArn) {
    return taskDefinitionArn == null
        ? Optional.empty()
        : EcsTaskDefinitionBackend.familyRevision(taskDefinitionArn).map(Map.Entry::getKey);
  }

  /**
   * The essential containers of the registered revision {@code arn}, one DescribeTaskDefinition.
   */
  private static Optional<List<String>> essentialContainers(EcsClient ecs, String arn) {
    if (arn == null) return Optional.empty();
    return Optional.of(
        EcsTaskStatuses.essentialContainers(
            AwsFailures.translated(() -> ecs.describeTaskDefinition(r -> r.taskDefinition(arn)))
                .taskDefinition()
                .containerDefinitions()));
  }

  private List<TaskRunStatus> start(EcsClient ecs, String clusterArn, Task task, Plan plan) {
    if (client != null) {
      // deleted since this reconcile read it: its cleanup may have found nothing yet and let it
      // go, so nothing may start now (the cleanup waits while this start is under way)
      Task now = client.resource(task).get();
      if (now == null
          || now.getMetadata().getDeletionTimestamp() != null
          || !task.getMetadata().getUid().equals(now.getMetadata().getUid())) {
        throw BackendFailure.progressing("Deleting", "the Task is being deleted: nothing starts");
      }
    }
    Map<String, String> tags = AwsOwnership.tags(task, AwsOwnership.userTags(task.getSpec().tags));
    RunTaskResponse answer;
    try {
      answer =
          ecs.runTask(
              EcsTaskRequests.runTask(
                  task.getSpec(),
                  clusterArn,
                  plan.taskDefinitionArn(),
                  EcsTaskRequests.startedBy(task),
                  EcsTaskRequests.clientToken(task),
                  tags));
    } catch (SdkException e) {
      AwsErrorReason reason = AwsErrors.reasonOf(e);
      if (TERMINAL.contains(reason)) {
        // what was asked is refused (a parameter, the policy, the cluster): the same RunTask would
        // be refused again, so it is not retried until the spec changes
        throw BackendFailure.terminal(reason.name(), "RunTask: " + AwsErrors.messageOf(e), e);
      }
      throw BackendFailure.callFailed(reason.name(), "RunTask: " + AwsErrors.messageOf(e), e);
    }
    List<TaskRunStatus> out = new ArrayList<>();
    answer.tasks().forEach(t -> out.add(EcsTaskStatuses.of(t)));
    started.put(
        task.getMetadata().getUid(), answer.tasks().stream().map(t -> t.taskArn()).toList());
    // RunTask placed fewer tasks than asked: ECS starts none for these and never will
    answer.failures().forEach(f -> out.add(EcsTaskStatuses.failedToStart(f)));
    return out;
  }

  /** AWS's answers to RunTask that the same RunTask would get again. */
  private static final Set<AwsErrorReason> TERMINAL =
      Set.of(AwsErrorReason.InvalidParameter, AwsErrorReason.AccessDenied, AwsErrorReason.NotFound);

  /**
   * This Task's tasks ECS knows, described: ListTasks by startedBy alone (ECS refuses startedBy
   * with any other filter; it lists the tasks whose desired status is RUNNING, PENDING ones
   * included), and, when the family is known, the family's tasks whose desired status is STOPPED (a
   * task that ended before a crash was recorded); then those carrying the owner uid tag (a
   * startedBy the user chose may be shared with tasks that are not this Task's).
   */
  private List<software.amazon.awssdk.services.ecs.model.Task> ours(
      EcsClient ecs, String clusterArn, Task task, Optional<String> family) {
    String startedBy = startedBy(task);
    List<String> candidates = new ArrayList<>();
    AwsFailures.translated(
        () ->
            ecs.listTasksPaginator(r -> r.cluster(clusterArn).startedBy(startedBy))
                .taskArns()
                .forEach(
                    arn -> {
                      if (!candidates.contains(arn)) candidates.add(arn);
                    }));
    family.ifPresent(
        f ->
            AwsFailures.translated(
                () ->
                    ecs.listTasksPaginator(
                            r ->
                                r.cluster(clusterArn)
                                    .family(f)
                                    .desiredStatus(DesiredStatus.STOPPED))
                        .taskArns()
                        .forEach(
                            arn -> {
                              if (!candidates.contains(arn)) candidates.add(arn);
                            })));
    return describeOurs(ecs, clusterArn, task, candidates);
  }

  /** {@code arns} described with their tags, keeping those of {@code task} (its uid tag). */
  private static List<software.amazon.awssdk.services.ecs.model.Task> describeOurs(
      EcsClient ecs, String clusterArn, Task task, List<String> arns) {
    List<software.amazon.awssdk.services.ecs.model.Task> ours = new ArrayList<>();
    for (List<String> batch : batches(arns)) {
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
   * The tasks {@code known} as DescribeTasks reports them now, in the same order; a task
   * DescribeTasks answers MISSING for is stopped with an unknown result once it had been seen
   * ({@link EcsTaskStatuses#missing}); tasks that failed to start have no ARN and stay as they
   * were.
   */
  private static List<TaskRunStatus> describe(
      EcsClient ecs, String clusterArn, List<TaskRunStatus> known, boolean longGone) {
    Map<String, TaskRunStatus> byArn = new LinkedHashMap<>();
    known.stream().filter(t -> t.taskArn != null).forEach(t -> byArn.put(t.taskArn, t));
    List<String> live =
        byArn.values().stream()
            .filter(t -> !"STOPPED".equals(t.lastStatus))
            .map(t -> t.taskArn)
            .toList();
    for (List<String> batch : batches(live)) {
      var answer =
          AwsFailures.translated(() -> ecs.describeTasks(r -> r.cluster(clusterArn).tasks(batch)));
      answer.tasks().forEach(t -> byArn.put(t.taskArn(), EcsTaskStatuses.of(t)));
      for (Failure f : answer.failures()) {
        if (EcsTaskStatuses.MISSING.equals(f.reason()) && byArn.containsKey(f.arn())) {
          byArn.put(f.arn(), EcsTaskStatuses.missing(byArn.get(f.arn()), longGone));
        }
      }
    }
    List<TaskRunStatus> out = new ArrayList<>();
    for (TaskRunStatus t : known) {
      out.add(t.taskArn == null ? t : byArn.get(t.taskArn));
    }
    return out;
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
    if (isStarting(task)) {
      // a RunTask of this Task is under way in this process: its tasks are stopped once known
      return new Removal(false, STARTING_WAIT, List.of());
    }
    // where the tasks were started (status), else the Cluster's ECS cluster (a Task deleted before
    // its status recorded the start)
    Optional<String> clusterArn =
        Optional.ofNullable(task.getStatus() == null ? null : task.getStatus().clusterArn)
            .or(() -> clusterArn(caches));
    if (clusterArn.isEmpty()) {
      // no ECS cluster known: nothing this Task could have started
      return Removal.complete(List.of());
    }
    return stop(task, aws(task, cluster), clusterArn.get());
  }

  /** Whether a RunTask of {@code task} is under way in this process. */
  public boolean isStarting(Task task) {
    return starting.containsKey(task.getMetadata().getUid());
  }

  /** How soon a cleanup that waits for a RunTask under way looks again. */
  static final Duration STARTING_WAIT = Duration.ofSeconds(1);

  /**
   * Stops what still runs of {@code task}'s tasks on {@code clusterArn}; AWS calls only. The tasks
   * are those ECS lists by the Task's startedBy (desired status RUNNING: pending ones too), those
   * its status recorded and those a RunTask of this process started (ECS may not list a task right
   * after RunTask), each checked for the owner uid tag.
   */
  public Removal stop(Task task, AwsContext aws, String clusterArn) {
    return stop(task, clients.ecs(aws), clusterArn);
  }

  /** {@link #stop(Task, AwsContext, String)} with the ECS client given (unit tests). */
  public Removal stop(Task task, EcsClient ecs, String clusterArn) {
    String uid = task.getMetadata().getUid();
    refusedGenerations.remove(uid);
    List<String> candidates = new ArrayList<>();
    AwsFailures.translated(
        () ->
            ecs.listTasksPaginator(r -> r.cluster(clusterArn).startedBy(startedBy(task)))
                .taskArns()
                .forEach(candidates::add));
    List<String> recorded = new ArrayList<>(started.getOrDefault(uid, List.of()));
    if (task.getStatus() != null && task.getStatus().tasks != null) {
      task.getStatus().tasks.stream()
          .filter(t -> t.taskArn != null && !"STOPPED".equals(t.lastStatus))
          .forEach(t -> recorded.add(t.taskArn));
    }
    recorded.stream().filter(a -> !candidates.contains(a)).forEach(candidates::add);
    List<String> stopped = new ArrayList<>();
    for (var t : describeOurs(ecs, clusterArn, task, candidates)) {
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
    started.remove(uid);
    return Removal.complete(stopped);
  }
}
