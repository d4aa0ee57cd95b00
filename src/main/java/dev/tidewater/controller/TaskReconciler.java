package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.task.TaskStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskOverrides;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a Task once: picks the TaskDefinition revision (pinned, else the latest when it starts, then
 * kept), has the backend start its tasks exactly once, and reports them in ECS's words with
 * Succeeded / Failed / Running. A finished Task with {@code ttlSecondsAfterFinished} is deleted
 * that long after its last task stopped. Stopping on deletion (ecs) is {@link
 * TaskCleanupReconciler}'s.
 */
@ControllerConfiguration(name = "task")
public class TaskReconciler implements Reconciler<Task>, ShardNamespaces.Sharded<Task> {

  /** When a Task whose backend call failed (AWS error) is tried again. */
  static final Duration FAILURE_RETRY = Duration.ofSeconds(15);

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final StatusRecorder status;
  private final Clock clock;
  private final BackendFactory backends;
  private final ReconcileMetrics metrics;
  private final TenancyPolicies tenancy;
  private final SharedInformers informers;

  // two constructors (the other takes a test clock): CDI needs to be told which one it calls
  @Inject
  public TaskReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this(backends, metrics, tenancy, informers, Clock.systemUTC());
  }

  TaskReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers,
      Clock clock) {
    this.backends = backends;
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.informers = informers;
    this.clock = clock;
    this.status = new StatusRecorder(clock);
  }

  private static String taskDefinitionName(Task t) {
    return t.getSpec() == null || t.getSpec().taskDefinitionRef == null
        ? null
        : t.getSpec().taskDefinitionRef.name;
  }

  private static Stream<Task> tasksUsing(
      EventSourceContext<Task> context, String namespace, String labelValue) {
    return context
        .getPrimaryCache()
        .list(namespace)
        .filter(
            t ->
                taskDefinitionName(t) != null
                    && TidewaterLabels.value(taskDefinitionName(t)).equals(labelValue));
  }

  @Override
  public List<EventSource<?, Task>> prepareEventSources(EventSourceContext<Task> context) {
    List<EventSource<?, Task>> sources = new ArrayList<>();
    sources.addAll(
        RevisionInputSources.of(
            context,
            informers,
            TaskReconciler::taskDefinitionName,
            (namespace, label) -> tasksUsing(context, namespace, label),
            // a Task waits for its task role's ServiceAccount: any TaskRole change wakes the
            // namespace's Tasks that have not started yet (few; started ones no longer wait)
            role ->
                context
                    .getPrimaryCache()
                    .list(role.getMetadata().getNamespace())
                    .filter(t -> t.getStatus() == null || t.getStatus().revision == null)
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet())));
    // a Task's pods carry its exact name in an annotation (the Job's name may be shortened)
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, Task.class)
                .withLabelSelector(TidewaterLabels.TASK)
                .withSecondaryToPrimaryMapper(
                    p -> {
                      var a = p.getMetadata().getAnnotations();
                      String name = a == null ? null : a.get(TidewaterLabels.TASK);
                      return name == null
                          ? Set.of()
                          : Set.of(new ResourceID(name, p.getMetadata().getNamespace()));
                    })
                .build(),
            context);
    sources.add(
        ClusterEventSources.create(
            context, informers, t -> t.getSpec() == null ? null : t.getSpec().clusterRef));
    sources.add(pods);
    sources.add(OwnedEventSources.owned(Job.class, context));
    return sources;
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<Task> context) {
    return new EventRecorder(context.getClient());
  }

  /** What the Task's backend reads: this reconcile's caches and the informers above. */
  TaskBackend.Caches caches(Context<Task> context) {
    return new ReconcileCaches(context, informers.revisions(), informers.taskRoles(), null);
  }

  /** Deletes a finished Task whose time to live ran out (unit tests record it instead). */
  void deleteExpired(Task task, Context<Task> context) {
    context.getClient().resource(task).delete();
  }

  @Override
  public UpdateControl<Task> reconcile(Task task, Context<Task> context) {
    return StatusRecorder.write(context, task, converge(task, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<Task> converge(Task task, Context<Task> context) {
    if (task.getSpec() == null) {
      return status.record(task, new TaskStatus(), Outcome.missingSpec(), List.of());
    }
    TaskStatus previous = task.getStatus();
    // AWS refused the start of an earlier generation (the Task finished then, as failed to start);
    // the spec was edited since: tried again as a Task that never started
    boolean retry =
        previous != null
            && previous.getBackend() == null
            && previous.startRefusedGeneration != null
            && !previous.startRefusedGeneration.equals(task.getMetadata().getGeneration());
    Optional<Duration> ttlLeft = retry ? Optional.empty() : ttlLeft(task);
    if (ttlLeft.isPresent() && ttlLeft.get().isZero()) {
      deleteExpired(task, context);
      return UpdateControl.noUpdate();
    }
    if (previous != null && previous.finishedAt != null && !retry) {
      // every task stopped: nothing can change what they did, whatever happens to the
      // TaskDefinition or Cluster since; no backend call, the status stays (until the TTL)
      TaskStatus same = JSON.clone(task).getStatus();
      UpdateControl<Task> kept =
          status.record(task, same, new ArrayList<>(same.getConditions()), same.getWarnings());
      return ttlLeft.map(kept::rescheduleAfter).orElse(kept);
    }
    if (previous != null
        && previous.getBackend() == null
        && previous.startRefusedGeneration != null
        && previous.startRefusedGeneration.equals(task.getMetadata().getGeneration())) {
      // AWS refused this spec's start with a client error: the same start would be refused again,
      // so nothing is asked until the generation changes
      TaskStatus same = JSON.clone(task).getStatus();
      return status.record(task, same, new ArrayList<>(same.getConditions()), same.getWarnings());
    }
    EventRecorder events = events(context);
    TaskStatus next = new TaskStatus();
    if (previous != null) {
      next.revision = previous.revision;
      next.jobName = previous.jobName;
      next.startedBy = previous.startedBy;
      next.tasks = previous.tasks;
      next.finishedAt = retry ? null : previous.finishedAt;
      next.started = previous.started;
      next.running = previous.running;
      next.stopped = previous.stopped;
      next.setBackend(previous.getBackend());
      next.clusterArn = previous.clusterArn;
      next.taskDefinitionArn = previous.taskDefinitionArn;
      next.essentialContainers = previous.essentialContainers;
    }
    TenancyCeiling ceiling = tenancy.ceilingFor(task.getMetadata().getNamespace());
    ResolvedCluster resolved =
        ClusterEventSources.resolve(task, task.getSpec().clusterRef, context);
    ResolvedCluster cluster =
        resolved.withGuardrails(ceiling.effectiveGuardrails(resolved.spec().guardrails));
    String startedOn = previous == null ? null : previous.getBackend();
    List<Problem> problems;
    Outcome outcome = null;
    List<Condition> conditions = null;
    List<StatusWarning> warnings = List.of();
    Duration recheckAfter = null;
    Optional<TaskDefinition> td;
    if (startedOn != null) {
      // started: observed (and stopped) on the backend and in the ECS cluster it started on, for
      // good — a Cluster now saying another backend, a TaskDefinition, revision or TaskRole gone
      // since change nothing of what runs
      warnings = previous.getWarnings();
      try {
        TaskBackend.Observation observed =
            backends.tasks(startedOn).observe(task, cluster, caches(context));
        Progress p = progress(task, next, observed, startedOn, Set.of());
        outcome = p.outcome();
        conditions = p.conditions();
        recheckAfter = observed.recheckAfter();
      } catch (BackendFailure e) {
        outcome = failed(e);
        recheckAfter = e.retryAfter().orElse(backoff(previous, e.reason()));
      }
    } else if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (!(problems = TaskValidator.validate(task.getSpec())).isEmpty()) {
      outcome = Outcome.degraded(reasonOf(problems), Problems.summary(problems));
    } else if ((td = context.getSecondaryResource(TaskDefinition.class)).isEmpty()) {
      outcome =
          Outcome.progressing(
              "TaskDefinitionNotFound",
              "TaskDefinition " + taskDefinitionName(task) + " does not exist (yet)");
    } else if (!ClusterEventSources.clusterName(task.getSpec().clusterRef)
        .equals(
            ClusterEventSources.clusterName(
                td.get().getSpec() == null ? null : td.get().getSpec().clusterRef))) {
      outcome =
          Outcome.degraded(
              "ClusterMismatch",
              "spec.clusterRef: TaskDefinition "
                  + taskDefinitionName(task)
                  + " uses Cluster "
                  + ClusterEventSources.clusterName(
                      td.get().getSpec() == null ? null : td.get().getSpec().clusterRef)
                  + ", this Task uses Cluster "
                  + ClusterEventSources.clusterName(task.getSpec().clusterRef)
                  + "; both must use the same Cluster");
    } else {
      TaskBackend backend = backends.tasks(cluster);
      TaskBackend.Caches caches = caches(context);
      List<Integer> revisions = backend.revisions(task, td.get(), caches);
      // once started, the revision it started with stays (a Task runs once)
      Integer target =
          next.revision != null
              ? next.revision
              : task.getSpec().taskDefinitionRef.revision != null
                  ? task.getSpec().taskDefinitionRef.revision
                  : revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
      Optional<Problem> waiting;
      if (target == null || !revisions.contains(target)) {
        outcome =
            task.getSpec().taskDefinitionRef.revision != null
                ? Outcome.degraded(
                    "RevisionNotFound",
                    "revision "
                        + target
                        + " of TaskDefinition "
                        + taskDefinitionName(task)
                        + " does not exist")
                : Outcome.progressing(
                    "RevisionPending",
                    "TaskDefinition " + taskDefinitionName(task) + " has no revision yet");
      } else if (next.revision == null
          && (waiting = backend.waitingFor(task, td.get(), target, caches)).isPresent()) {
        outcome = Outcome.progressing(waiting.get().reason(), waiting.get().message());
      } else {
        if (backend.needsFinalizer()) {
          // before the first call that may start something outside Kubernetes
          CleanupHolds.hold(context, task, TaskCleanupReconciler.FINALIZER);
        }
        try {
          TaskBackend.Plan plan = backend.plan(task, td.get(), target, caches);
          TaskBackend.Observation observed = backend.run(task, cluster, plan, caches);
          warnings = observed.warnings();
          if (!observed.refusals().isEmpty()) {
            outcome =
                Outcome.degraded(
                    reasonOf(observed.refusals()), Problems.summary(observed.refusals()));
          } else {
            next.revision = target;
            Set<String> planned =
                plan.task() == null
                    ? Set.of()
                    : new LinkedHashSet<>(TaskOverrides.essentialContainers(plan.task()));
            Progress p = progress(task, next, observed, cluster.backend().value(), planned);
            outcome = p.outcome();
            conditions = p.conditions();
            recheckAfter = observed.recheckAfter();
          }
        } catch (BackendFailure e) {
          outcome = failed(e);
          if (e.terminal()) {
            // a client error (InvalidParameter, AccessDenied, NotFound): the Task failed to
            // start, and the same RunTask is not asked again until the spec changes
            conditions = TaskProgress.refused(outcome);
            next.startRefusedGeneration = task.getMetadata().getGeneration();
            // finished (failed to start): ttlSecondsAfterFinished counts from now; editing the
            // spec before it runs out starts it again
            next.finishedAt = Instant.now(clock).toString();
          } else {
            recheckAfter = e.retryAfter().orElse(backoff(previous, e.reason()));
          }
        }
      }
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(task, outcome.reason(), outcome.message());
    }
    metrics.reconciled("Task", outcome);
    UpdateControl<Task> update =
        status.record(task, next, conditions == null ? outcome.conditions() : conditions, warnings);
    Optional<Duration> ttl = ttlLeft(task.getSpec().ttlSecondsAfterFinished, next.finishedAt);
    if (ttl.isPresent() && (recheckAfter == null || ttl.get().compareTo(recheckAfter) < 0)) {
      // a zero wait means "delete now": the next reconcile deletes it
      recheckAfter = ttl.get().isZero() ? Duration.ofMillis(1) : ttl.get();
    }
    return recheckAfter == null ? update : update.rescheduleAfter(recheckAfter);
  }

  private record Progress(Outcome outcome, List<Condition> conditions) {}

  /**
   * Records what the backend saw in {@code next}: the tasks, where and what they run (so that they
   * are observed and stopped there for good), the counts and the verdict.
   *
   * @param backend the backend that started (or observed) the tasks
   * @param planned the essential containers of the plan, used when neither the backend nor the
   *     status knows those of the revision actually run
   */
  private Progress progress(
      Task task,
      TaskStatus next,
      TaskBackend.Observation observed,
      String backend,
      Set<String> planned) {
    if (observed.jobName() != null) next.jobName = observed.jobName();
    if (observed.startedBy() != null) next.startedBy = observed.startedBy();
    if (!observed.tasks().isEmpty()) next.tasks = observed.tasks();
    if (observed.started()) next.setBackend(backend);
    TaskBackend.Placement where = observed.placement();
    if (where != null) {
      if (where.clusterArn() != null) next.clusterArn = where.clusterArn();
      if (where.taskDefinitionArn() != null) next.taskDefinitionArn = where.taskDefinitionArn();
      // the revision the tasks found run, not the one planned (a lost status write, a latest
      // that moved on since)
      if (where.revision() != null) next.revision = where.revision();
      if (where.essentialContainers() != null) {
        next.essentialContainers = List.copyOf(where.essentialContainers());
      }
    }
    if (next.essentialContainers == null && !planned.isEmpty() && observed.started()) {
      next.essentialContainers = List.copyOf(planned);
    }
    Set<String> essential =
        next.essentialContainers == null ? Set.of() : new HashSet<>(next.essentialContainers);
    int count = task.getSpec().count == null ? 1 : task.getSpec().count;
    List<TaskRunStatus> tasks = next.tasks == null ? List.of() : next.tasks;
    TaskProgress.Result progress = TaskProgress.of(tasks, count, essential);
    next.started = progress.started();
    next.running = progress.running();
    next.stopped = progress.stopped();
    if (progress.finished() && next.finishedAt == null) {
      next.finishedAt =
          tasks.stream()
              .map(t -> t.stoppedAt)
              .filter(s -> s != null)
              .max(String::compareTo)
              .orElse(Instant.now(clock).toString());
    }
    return new Progress(progress.outcome(), progress.conditions());
  }

  private static Outcome failed(BackendFailure e) {
    return e.progressing()
        ? Outcome.progressing(e.reason(), e.getMessage())
        : Outcome.degraded(e.reason(), e.getMessage());
  }

  /** The longest wait between tries of a failing call. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /**
   * How long to wait before trying a failed call again: {@link #FAILURE_RETRY} at first, then as
   * long as it has been failing with the same reason (so the waits double), at most {@link
   * #MAX_BACKOFF}.
   */
  private Duration backoff(TaskStatus previous, String reason) {
    Duration wait = FAILURE_RETRY;
    if (previous != null) {
      for (Condition c : previous.getConditions()) {
        if ("Degraded".equals(c.getType())
            && "True".equals(c.getStatus())
            && reason.equals(c.getReason())
            && c.getLastTransitionTime() != null) {
          try {
            Duration failing =
                Duration.between(Instant.parse(c.getLastTransitionTime()), Instant.now(clock));
            if (failing.compareTo(wait) > 0) wait = failing;
          } catch (DateTimeParseException e) {
            // an unreadable time: the first wait
          }
        }
      }
    }
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }

  private Optional<Duration> ttlLeft(Task task) {
    return ttlLeft(
        task.getSpec().ttlSecondsAfterFinished,
        task.getStatus() == null ? null : task.getStatus().finishedAt);
  }

  /** How long a finished Task has left to live; empty without a TTL or before it finished. */
  private Optional<Duration> ttlLeft(Integer ttlSeconds, String finishedAt) {
    if (ttlSeconds == null || finishedAt == null) return Optional.empty();
    try {
      Instant until = Instant.parse(finishedAt).plusSeconds(ttlSeconds);
      Duration left = Duration.between(Instant.now(clock), until);
      return Optional.of(left.isNegative() ? Duration.ZERO : left);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String reasonOf(List<Problem> problems) {
    String first = problems.get(0).reason();
    return problems.stream().allMatch(p -> p.reason().equals(first)) ? first : "InvalidSpec";
  }

  @Override
  public ErrorStatusUpdateControl<Task> updateErrorStatus(
      Task task, Context<Task> context, Exception e) {
    return status.recordError(task, TaskStatus::new, e, context.getRetryInfo());
  }
}
