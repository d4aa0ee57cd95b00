package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledRunStatus;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskStatus;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.model.EventBridgeSchedule;
import dev.tidewater.model.EventBridgeScheduleParser;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduleRuns;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.ScheduledTaskValidator;
import dev.tidewater.model.TaskOverrides;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps a ScheduledTask's schedule on its backend: validates it (AWS's expression rules; on the
 * kubernetes backend what a CronJob can run), picks the TaskDefinition revision each run starts
 * (the pinned one, else the latest: a schedule follows its TaskDefinition as a Service does), has
 * the backend apply it, and reports the state (Active, Paused, Pending, Ended, Completed), the next
 * run, the last run in a Task's words and the recent finished runs. Removing what is outside
 * Kubernetes on deletion (ecs) is {@link ScheduledTaskCleanupReconciler}'s.
 */
@ControllerConfiguration(name = "scheduledtask")
public class ScheduledTaskReconciler
    implements Reconciler<ScheduledTask>, ShardNamespaces.Sharded<ScheduledTask> {

  /** When a ScheduledTask whose backend call failed (AWS error) is tried again. */
  static final Duration FAILURE_RETRY = Duration.ofSeconds(15);

  /** How long after a run is due the schedule is looked at (its tasks, the next run time). */
  static final Duration AFTER_DUE = Duration.ofSeconds(20);

  /** The condition that is True while something is approximated (status.warnings). */
  static final String WARNING = "Warning";

  static final String ACTIVE = "Active";
  static final String PAUSED = "Paused";
  static final String PENDING = "Pending";
  static final String ENDED = "Ended";
  static final String COMPLETED = "Completed";

  private final StatusRecorder status;
  private final Clock clock;
  private final BackendFactory backends;
  private final ReconcileMetrics metrics;
  private final TenancyPolicies tenancy;
  private final SharedInformers informers;

  // two constructors (the other takes a test clock): CDI needs to be told which one it calls
  @Inject
  public ScheduledTaskReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this(backends, metrics, tenancy, informers, Clock.systemUTC());
  }

  ScheduledTaskReconciler(
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

  private static String taskDefinitionName(ScheduledTask s) {
    return s.getSpec() == null
            || s.getSpec().task == null
            || s.getSpec().task.taskDefinitionRef == null
        ? null
        : s.getSpec().task.taskDefinitionRef.name;
  }

  private static Stream<ScheduledTask> using(
      EventSourceContext<ScheduledTask> context, String namespace, String labelValue) {
    return context
        .getPrimaryCache()
        .list(namespace)
        .filter(
            s ->
                taskDefinitionName(s) != null
                    && TidewaterLabels.value(taskDefinitionName(s)).equals(labelValue));
  }

  /** Maps a child to its ScheduledTask by the annotation carrying its exact name. */
  private static Set<ResourceID> byAnnotation(HasMetadata child) {
    Map<String, String> a = child.getMetadata().getAnnotations();
    String name = a == null ? null : a.get(TidewaterLabels.SCHEDULED_TASK);
    return name == null
        ? Set.of()
        : Set.of(new ResourceID(name, child.getMetadata().getNamespace()));
  }

  @Override
  public List<EventSource<?, ScheduledTask>> prepareEventSources(
      EventSourceContext<ScheduledTask> context) {
    List<EventSource<?, ScheduledTask>> sources = new ArrayList<>();
    sources.addAll(
        RevisionInputSources.of(
            context,
            informers,
            ScheduledTaskReconciler::taskDefinitionName,
            (namespace, label) -> using(context, namespace, label),
            // the task role's ServiceAccount: any TaskRole change wakes the namespace's
            // ScheduledTasks (few per namespace)
            role ->
                context
                    .getPrimaryCache()
                    .list(role.getMetadata().getNamespace())
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet())));
    var jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, ScheduledTask.class)
                .withLabelSelector(TidewaterLabels.SCHEDULED_TASK)
                .withSecondaryToPrimaryMapper(ScheduledTaskReconciler::byAnnotation)
                .build(),
            context);
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, ScheduledTask.class)
                .withLabelSelector(TidewaterLabels.SCHEDULED_TASK)
                .withSecondaryToPrimaryMapper(ScheduledTaskReconciler::byAnnotation)
                .build(),
            context);
    sources.add(
        ClusterEventSources.create(
            context, informers, s -> s.getSpec() == null ? null : s.getSpec().clusterRef));
    sources.add(jobs);
    sources.add(pods);
    sources.add(OwnedEventSources.owned(CronJob.class, context));
    return sources;
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<ScheduledTask> context) {
    return new EventRecorder(context.getClient());
  }

  /** What the backend reads: this reconcile's caches and the informers above. */
  ScheduledTaskBackend.Caches caches(Context<ScheduledTask> context) {
    return new ReconcileCaches(context, informers.revisions(), informers.taskRoles(), null);
  }

  /** Puts the cleanup finalizer on (unit tests record it instead). */
  void hold(Context<ScheduledTask> context, ScheduledTask scheduled) {
    CleanupHolds.hold(context, scheduled, ScheduledTaskCleanupReconciler.FINALIZER);
  }

  @Override
  public UpdateControl<ScheduledTask> reconcile(
      ScheduledTask scheduled, Context<ScheduledTask> context) {
    return StatusRecorder.write(context, scheduled, converge(scheduled, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<ScheduledTask> converge(ScheduledTask scheduled, Context<ScheduledTask> context) {
    if (scheduled.getSpec() == null || scheduled.getSpec().task == null) {
      return status.record(scheduled, new ScheduledTaskStatus(), Outcome.missingSpec(), List.of());
    }
    ScheduledTaskSpec spec = scheduled.getSpec();
    ScheduledTaskStatus previous = scheduled.getStatus();
    Instant now = Instant.now(clock);
    EventRecorder events = events(context);
    ScheduledTaskStatus next = carried(previous);
    TenancyCeiling ceiling = tenancy.ceilingFor(scheduled.getMetadata().getNamespace());
    ResolvedCluster resolved = ClusterEventSources.resolve(scheduled, spec.clusterRef, context);
    ResolvedCluster cluster =
        resolved.withGuardrails(ceiling.effectiveGuardrails(resolved.spec().guardrails));
    Optional<TaskDefinition> td = context.getSecondaryResource(TaskDefinition.class);
    Optional<Instant> created = instant(scheduled.getMetadata().getCreationTimestamp());
    List<Problem> problems = new ArrayList<>();
    Outcome outcome = null;
    List<StatusWarning> warnings = List.of();
    Duration recheckAfter = null;
    String why = null;
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (!(problems = validate(spec, cluster, ceiling, created)).isEmpty()) {
      outcome = Outcome.degraded(reasonOf(problems), Problems.summary(problems));
    } else if (td.isEmpty()) {
      outcome =
          Outcome.progressing(
              "TaskDefinitionNotFound",
              "TaskDefinition " + taskDefinitionName(scheduled) + " does not exist (yet)");
    } else if (!ClusterEventSources.clusterName(spec.clusterRef)
        .equals(
            ClusterEventSources.clusterName(
                td.get().getSpec() == null ? null : td.get().getSpec().clusterRef))) {
      outcome =
          Outcome.degraded(
              "ClusterMismatch",
              "spec.clusterRef: TaskDefinition "
                  + taskDefinitionName(scheduled)
                  + " uses Cluster "
                  + ClusterEventSources.clusterName(
                      td.get().getSpec() == null ? null : td.get().getSpec().clusterRef)
                  + ", this ScheduledTask uses Cluster "
                  + ClusterEventSources.clusterName(spec.clusterRef)
                  + "; both must use the same Cluster");
    } else {
      ScheduledTaskBackend backend = backends.scheduledTasks(cluster);
      ScheduledTaskBackend.Caches caches = caches(context);
      List<Integer> revisions = backend.revisions(scheduled, td.get(), caches);
      Integer pinned = spec.task.taskDefinitionRef.revision;
      Integer target =
          pinned != null
              ? pinned
              : revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
      Optional<Problem> waiting;
      if (target == null || !revisions.contains(target)) {
        outcome =
            pinned != null
                ? Outcome.degraded(
                    "RevisionNotFound",
                    "revision "
                        + target
                        + " of TaskDefinition "
                        + taskDefinitionName(scheduled)
                        + " does not exist")
                : Outcome.progressing(
                    "RevisionPending",
                    "TaskDefinition " + taskDefinitionName(scheduled) + " has no revision yet");
      } else if ((waiting = backend.waitingFor(scheduled, td.get(), target, caches)).isPresent()) {
        outcome = Outcome.progressing(waiting.get().reason(), waiting.get().message());
      } else {
        if (backend.needsFinalizer()) {
          // before the first call that may make something outside Kubernetes
          hold(context, scheduled);
        }
        try {
          String placed = placedOn(previous);
          String here = cluster.backend().value();
          if (placed != null && !placed.equals(here)) {
            // the Cluster moved: the old side's schedule goes first, so that it never runs on both
            ScheduledTaskBackend.Removal retired =
                backends.scheduledTasks(placed).retire(scheduled, cluster, caches);
            if (!retired.removed().isEmpty()) {
              events.normal(
                  scheduled,
                  "ScheduleMoved",
                  "the Cluster's backend is "
                      + here
                      + " now: removed "
                      + String.join(", ", retired.removed())
                      + " from "
                      + placed);
            }
            if (!retired.finished()) {
              throw BackendFailure.progressing(
                  "ScheduleMoving",
                  "the schedule on " + placed + " is being removed before it moves to " + here,
                  retired.retryAfter());
            }
            forget(next);
          }
          TaskBackend.Plan plan = backend.plan(scheduled, td.get(), target, caches);
          ScheduledTaskBackend.Observation observed =
              backend.apply(
                  scheduled, cluster, new ScheduledTaskBackend.Desired(plan, now), caches);
          warnings = observed.warnings();
          if (!observed.refusals().isEmpty()) {
            List<Problem> refusals = observed.refusals();
            outcome = Outcome.degraded(reasonOf(refusals), Problems.summary(refusals));
          } else {
            next.revision = target;
            next.setBackend(here);
            record(next, observed);
            why = observed.why();
            runs(scheduled, next, observed, plan, events);
            for (String[] e : observed.events()) events.normal(scheduled, e[0], e[1]);
            recheckAfter = observed.recheckAfter();
          }
        } catch (BackendFailure e) {
          outcome =
              e.progressing()
                  ? Outcome.progressing(e.reason(), e.getMessage())
                  : Outcome.degraded(e.reason(), e.getMessage());
          recheckAfter = e.retryAfter().orElse(FAILURE_RETRY);
        }
      }
    }
    Optional<EventBridgeSchedule> parsed =
        EventBridgeScheduleParser.parse(
            spec.scheduleExpression, "scheduleExpression", new ArrayList<>());
    Optional<ZoneId> zone =
        EventBridgeScheduleParser.zone(
            spec.scheduleExpressionTimezone, "scheduleExpressionTimezone", new ArrayList<>());
    if (parsed.isPresent() && zone.isPresent() && problems.isEmpty()) {
      state(spec, next, parsed.get(), zone.get(), created.orElse(now), now);
      Duration untilChange = untilChange(spec, next, now);
      if (untilChange != null
          && (recheckAfter == null || untilChange.compareTo(recheckAfter) < 0)) {
        recheckAfter = untilChange;
      }
    }
    if (outcome == null) {
      outcome = scheduleOutcome(next, why);
    }
    for (StatusWarning w : warnings) {
      if (previous == null || !previous.getWarnings().contains(w)) {
        events.warning(scheduled, w.reason(), w.field() + ": " + w.message());
      }
    }
    if (!warnings.isEmpty()) {
      StatusWarning first = warnings.get(0);
      outcome =
          outcome.with(
              StatusConditions.condition(
                  WARNING, true, first.reason(), first.field() + ": " + first.message()));
    } else {
      outcome =
          outcome.with(StatusConditions.condition(WARNING, false, "None", "nothing approximated"));
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(scheduled, outcome.reason(), outcome.message());
    }
    metrics.reconciled("ScheduledTask", outcome);
    UpdateControl<ScheduledTask> update = status.record(scheduled, next, outcome, warnings);
    return recheckAfter == null ? update : update.rescheduleAfter(recheckAfter);
  }

  private static ScheduledTaskStatus carried(ScheduledTaskStatus previous) {
    ScheduledTaskStatus next = new ScheduledTaskStatus();
    if (previous != null) {
      next.state = previous.state;
      next.scheduleArn = previous.scheduleArn;
      next.scheduleName = previous.scheduleName;
      next.scheduleState = previous.scheduleState;
      next.schedulerRoleArn = previous.schedulerRoleArn;
      next.schedulerRoleHash = previous.schedulerRoleHash;
      next.revision = previous.revision;
      next.cronJobName = previous.cronJobName;
      next.cronJobSchedule = previous.cronJobSchedule;
      next.cronJobTimeZone = previous.cronJobTimeZone;
      next.lastRunTime = previous.lastRunTime;
      next.nextRunTime = previous.nextRunTime;
      next.lastRunResult = previous.lastRunResult;
      next.lastRunTasks = previous.lastRunTasks;
      next.recentRuns = previous.recentRuns;
      next.completed = previous.completed;
      next.completedFor = previous.completedFor;
      next.lastFailedRunReported = previous.lastFailedRunReported;
      next.setBackend(previous.getBackend());
    }
    return next;
  }

  /**
   * The backend the schedule was made on: status.backend, else (a status written before it was
   * recorded) the ecs schedule's ARN or the CronJob it names; null when nothing was made.
   */
  static String placedOn(ScheduledTaskStatus status) {
    if (status == null) return null;
    if (status.getBackend() != null) return status.getBackend();
    if (status.scheduleArn != null) return "ecs";
    if (status.cronJobName != null) return "kubernetes";
    return null;
  }

  /** Forgets what status said of a schedule that was removed from the backend it left. */
  private static void forget(ScheduledTaskStatus next) {
    next.setBackend(null);
    next.scheduleArn = null;
    next.scheduleName = null;
    next.scheduleState = null;
    next.schedulerRoleArn = null;
    next.schedulerRoleHash = null;
    next.cronJobName = null;
    next.cronJobSchedule = null;
    next.cronJobTimeZone = null;
  }

  private List<Problem> validate(
      ScheduledTaskSpec spec,
      ResolvedCluster cluster,
      TenancyCeiling ceiling,
      Optional<Instant> created) {
    List<Problem> problems = new ArrayList<>();
    problems.addAll(
        ScheduledTaskValidator.validate(
            spec, ValidationContext.forCluster(cluster.spec(), ceiling), created));
    problems.addAll(ScheduledTaskRuns.taskPaths(TaskValidator.validateTemplate(spec.task)));
    TenancyChecks.roleArn("schedulerRoleArn", spec.schedulerRoleArn, ceiling)
        .ifPresent(problems::add);
    return problems;
  }

  private static void record(ScheduledTaskStatus next, ScheduledTaskBackend.Observation observed) {
    next.cronJobName = observed.cronJobName();
    next.cronJobSchedule = observed.cronJobSchedule();
    next.cronJobTimeZone = observed.cronJobTimeZone();
    next.scheduleArn = observed.scheduleArn();
    next.scheduleName = observed.scheduleName();
    next.scheduleState = observed.scheduleState();
    next.schedulerRoleArn = observed.schedulerRoleArn();
    next.schedulerRoleHash = observed.schedulerRoleHash();
  }

  /**
   * The last run and the finished runs kept, from the runs the backend saw (none: what status holds
   * stands): each run's result as a Task's, by {@link TaskProgress}; a newly failed run is a
   * Warning Event, once.
   */
  private void runs(
      ScheduledTask scheduled,
      ScheduledTaskStatus next,
      ScheduledTaskBackend.Observation observed,
      TaskBackend.Plan plan,
      EventRecorder events) {
    List<ScheduledTaskBackend.Run> runs = observed.runs();
    if (runs.isEmpty()) return;
    ScheduledTaskSpec spec = scheduled.getSpec();
    int count = spec.task.count == null ? 1 : spec.task.count;
    // the revision's essential containers as the backend registered it (ecs: any revision, not
    // only the latest whose spec the plan carries), else the plan's
    Set<String> essential =
        observed.essentialContainers() != null
            ? new HashSet<>(observed.essentialContainers())
            : plan.task() == null
                ? Set.of()
                : new HashSet<>(TaskOverrides.essentialContainers(plan.task()));
    // a run older than the last one seen before was reported then (or trimmed from the history)
    Optional<Instant> previousLastRun = instant(next.lastRunTime);
    Map<String, ScheduledRunStatus> kept = new LinkedHashMap<>();
    if (next.recentRuns != null) next.recentRuns.forEach(r -> kept.put(r.name, r));
    ScheduledTaskBackend.Run last = runs.get(0);
    for (ScheduledTaskBackend.Run run : runs) {
      TaskProgress.Result progress = TaskProgress.of(run.tasks(), count, essential);
      String result = result(progress);
      if (run == last) {
        next.lastRunTime = run.startedAt().toString();
        next.lastRunResult = result;
        next.lastRunTasks = run.tasks().isEmpty() ? null : run.tasks();
      }
      if (progress.finished() && !kept.containsKey(run.name())) {
        ScheduledRunStatus finished = new ScheduledRunStatus();
        finished.name = run.name();
        finished.startedAt = run.startedAt().toString();
        finished.stoppedAt =
            run.tasks().stream()
                .map((TaskRunStatus t) -> t.stoppedAt)
                .filter(s -> s != null)
                .max(String::compareTo)
                .orElse(null);
        finished.result = result;
        if (TaskProgress.FAILED.equals(result)) {
          finished.reason = progress.outcome().reason();
          if (newerThanLastSeen(run, previousLastRun)
              && !run.name().equals(next.lastFailedRunReported)) {
            // remembered in status: with failedRunsHistoryLimit 0 the run is not kept, and it
            // would be "new" again on every look
            events.warning(
                scheduled, "RunFailed", "run " + run.name() + ": " + progress.outcome().message());
            next.lastFailedRunReported = run.name();
          }
        }
        kept.put(run.name(), finished);
      }
    }
    int successful = spec.successfulRunsHistoryLimit == null ? 3 : spec.successfulRunsHistoryLimit;
    int failed = spec.failedRunsHistoryLimit == null ? 1 : spec.failedRunsHistoryLimit;
    List<ScheduledRunStatus> newestFirst =
        kept.values().stream()
            .sorted(Comparator.comparing((ScheduledRunStatus r) -> r.startedAt).reversed())
            .toList();
    List<ScheduledRunStatus> out = new ArrayList<>();
    int s = 0;
    int f = 0;
    for (ScheduledRunStatus r : newestFirst) {
      if (TaskProgress.SUCCEEDED.equals(r.result) && s++ < successful) out.add(r);
      if (TaskProgress.FAILED.equals(r.result) && f++ < failed) out.add(r);
    }
    next.recentRuns = out.isEmpty() ? null : out;
  }

  private static boolean newerThanLastSeen(
      ScheduledTaskBackend.Run run, Optional<Instant> previousLastRun) {
    return previousLastRun.isEmpty() || !run.startedAt().isBefore(previousLastRun.get());
  }

  private static String result(TaskProgress.Result progress) {
    if (!progress.finished()) return TaskProgress.RUNNING;
    return progress.outcome().ready() ? TaskProgress.SUCCEEDED : TaskProgress.FAILED;
  }

  /** The state and the next run, as EventBridge Scheduler reads the schedule (both backends). */
  static void state(
      ScheduledTaskSpec spec,
      ScheduledTaskStatus next,
      EventBridgeSchedule schedule,
      ZoneId zone,
      Instant created,
      Instant now) {
    Optional<Instant> start = instant(spec.startDate);
    Optional<Instant> end = instant(spec.endDate);
    Optional<Instant> nextRun = ScheduleRuns.next(schedule, zone, start, end, created, now);
    boolean at = schedule instanceof EventBridgeSchedule.At;
    String key = ScheduledTaskRuns.completionKey(spec);
    if (!at || !key.equals(next.completedFor)) {
      // another expression than the one that completed: its single run is still to come
      next.completed = null;
      next.completedFor = null;
    }
    if (at) {
      Instant when = ((EventBridgeSchedule.At) schedule).time().atZone(zone).toInstant();
      // a run of this at(): one that started at its time or later (a run of an earlier at() the
      // expression was edited from does not count)
      boolean ran = instant(next.lastRunTime).filter(t -> !t.isBefore(when)).isPresent();
      if (ran || nextRun.isEmpty()) {
        next.completed = Boolean.TRUE;
        next.completedFor = key;
      }
    }
    if (Boolean.TRUE.equals(spec.paused)) {
      next.state = PAUSED;
    } else if (at && Boolean.TRUE.equals(next.completed)) {
      next.state = COMPLETED;
    } else if (end.isPresent() && !now.isBefore(end.get())) {
      next.state = ENDED;
    } else if (start.isPresent() && now.isBefore(start.get())) {
      next.state = PENDING;
    } else if (nextRun.isEmpty()) {
      next.state = ENDED;
    } else {
      next.state = ACTIVE;
    }
    next.nextRunTime =
        (ACTIVE.equals(next.state) || PENDING.equals(next.state))
            ? nextRun.map(Instant::toString).orElse(null)
            : null;
  }

  /** When to look again: just after the next run is due (its tasks, the next time), or a bound. */
  private static Duration untilChange(
      ScheduledTaskSpec spec, ScheduledTaskStatus next, Instant now) {
    Instant soonest = null;
    for (Optional<Instant> t :
        List.of(
            instant(next.nextRunTime).map(n -> n.plus(AFTER_DUE)),
            instant(spec.startDate),
            instant(spec.endDate))) {
      if (t.isPresent() && t.get().isAfter(now) && (soonest == null || t.get().isBefore(soonest))) {
        soonest = t.get();
      }
    }
    return soonest == null ? null : Duration.between(now, soonest);
  }

  private static Outcome scheduleOutcome(ScheduledTaskStatus next, String why) {
    String state = next.state == null ? ACTIVE : next.state;
    String lastRun =
        next.lastRunResult == null
            ? ""
            : "; last run " + next.lastRunTime + ": " + next.lastRunResult;
    return switch (state) {
      case PAUSED -> Outcome.ready(PAUSED, "spec.paused: no run starts" + lastRun);
      case PENDING ->
          Outcome.ready("NotStarted", "no run before startDate; first run " + next.nextRunTime);
      case ENDED -> Outcome.ready(ENDED, "no run is due any more" + lastRun);
      case COMPLETED -> Outcome.ready(COMPLETED, "the at() schedule ran" + lastRun);
      default ->
          why != null
              ? Outcome.ready("Suspended", "no run starts now: " + why + lastRun)
              : Outcome.ready("Scheduled", "next run " + next.nextRunTime + lastRun);
    };
  }

  private static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null) return Optional.empty();
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String reasonOf(List<Problem> problems) {
    String first = problems.get(0).reason();
    return problems.stream().allMatch(p -> p.reason().equals(first)) ? first : "InvalidSpec";
  }

  @Override
  public ErrorStatusUpdateControl<ScheduledTask> updateErrorStatus(
      ScheduledTask scheduled, Context<ScheduledTask> context, Exception e) {
    return status.recordError(scheduled, ScheduledTaskStatus::new, e, context.getRetryInfo());
  }
}
