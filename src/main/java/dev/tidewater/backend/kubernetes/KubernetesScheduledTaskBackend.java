package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskRunStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ScheduledTaskBackend;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.children.ScheduledTaskCronJob;
import dev.tidewater.backend.kubernetes.children.TaskPods;
import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.ScheduledTaskValidator;
import dev.tidewater.model.TaskOverrides;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A ScheduledTask as a CronJob ({@link ScheduledTaskCronJob}), server-side applied when what it
 * should be differs from what was last applied (a hash annotation) or someone changed a field of
 * ours; its Jobs are the runs, their pods reported as ECS tasks ({@link TaskPods}). The CronJob is
 * held {@code suspend: true} while paused and outside the window: before startDate or the first
 * year of the cron / the at() time's year, from endDate or after the last year on, and once an at()
 * schedule's Job exists. It carries an owner reference to the ScheduledTask, so it goes with it.
 */
public class KubernetesScheduledTaskBackend implements ScheduledTaskBackend {

  /** A CronJob of the ScheduledTask's name that it does not control. */
  public static final String NAME_CONFLICT = "NameConflict";

  /** Annotation the CronJob controller puts on each Job: the time the run was due. */
  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

  private final KubernetesClient client;
  private final KubernetesTaskBackend tasks;

  public KubernetesScheduledTaskBackend(KubernetesClient client, KubernetesTaskBackend tasks) {
    this.client = client;
    this.tasks = tasks;
  }

  @Override
  public List<Integer> revisions(
      ScheduledTask scheduled, TaskDefinition taskDefinition, Caches caches) {
    return tasks.revisions(ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, caches);
  }

  @Override
  public Optional<Problem> waitingFor(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return tasks.waitingFor(
        ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, revision, caches);
  }

  @Override
  public TaskBackend.Plan plan(
      ScheduledTask scheduled, TaskDefinition taskDefinition, int revision, Caches caches) {
    return tasks.plan(ScheduledTaskRuns.asTask(scheduled, true), taskDefinition, revision, caches);
  }

  /** Why no run may start at {@code now}, and when that changes; empty why when runs may start. */
  public record Window(String why, Instant changesAt) {}

  /**
   * The window of {@code spec} at {@code now} (pure): paused, startDate / endDate, the
   * translation's active years, an at() that ran.
   */
  public static Window window(
      ScheduledTaskSpec spec, CronJobSchedule schedule, boolean ran, Instant now) {
    Optional<Instant> start = instant(spec.startDate);
    Optional<Instant> end = instant(spec.endDate);
    Instant changesAt = null;
    for (Optional<Instant> boundary :
        List.of(start, end, schedule.activeFrom(), schedule.activeUntil())) {
      if (boundary.isPresent()
          && boundary.get().isAfter(now)
          && (changesAt == null || boundary.get().isBefore(changesAt))) {
        changesAt = boundary.get();
      }
    }
    String why = null;
    if (Boolean.TRUE.equals(spec.paused)) {
      why = "spec.paused is true";
    } else if (schedule.once() && ran) {
      why = "the at() schedule ran once";
    } else if (start.isPresent() && now.isBefore(start.get())) {
      why = "startDate " + spec.startDate + " has not come";
    } else if (end.isPresent() && !now.isBefore(end.get())) {
      why = "endDate " + spec.endDate + " has passed";
    } else if (schedule.activeFrom().isPresent() && now.isBefore(schedule.activeFrom().get())) {
      why =
          "no run before "
              + schedule.activeFrom().get()
              + " (the first year of scheduleExpression; a CronJob has no year field)";
    } else if (schedule.activeUntil().isPresent() && !now.isBefore(schedule.activeUntil().get())) {
      why =
          "no run from "
              + schedule.activeUntil().get()
              + " on (after the last year of scheduleExpression)";
    }
    return new Window(why, changesAt);
  }

  private static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null) return Optional.empty();
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public Observation apply(
      ScheduledTask scheduled, ResolvedCluster cluster, Desired desired, Caches caches) {
    Optional<Instant> created =
        Optional.ofNullable(scheduled.getMetadata().getCreationTimestamp())
            .flatMap(c -> instant(c));
    Translation translation = ScheduledTaskValidator.translate(scheduled.getSpec(), created);
    if (translation.cronJob().isEmpty()) {
      return Observation.refused(List.of(), translation.problems());
    }
    CronJobSchedule schedule = translation.cronJob().get();
    String name = scheduled.getMetadata().getName();
    List<Job> jobs =
        caches.of(Job.class).stream()
            .filter(j -> name.equals(annotation(j, TidewaterLabels.SCHEDULED_TASK)))
            .toList();
    boolean ran = ran(scheduled, jobs);
    Window window = window(scheduled.getSpec(), schedule, ran, desired.now());
    ScheduledTaskCronJob.Desired cronJob =
        ScheduledTaskCronJob.desired(
            new ScheduledTaskCronJob.Inputs(
                scheduled,
                cluster.spec(),
                desired.plan(),
                tasks.podLevelResources(),
                schedule,
                window.why() != null));
    List<StatusWarning> warnings = new ArrayList<>(translation.warnings());
    warnings.addAll(cronJob.warnings());
    if (!cronJob.refusals().isEmpty()) {
      return Observation.refused(warnings, cronJob.refusals());
    }
    Optional<CronJob> observed =
        caches.of(CronJob.class).stream()
            .filter(c -> OwnerReferences.isControlledBy(c, scheduled))
            .findFirst();
    List<String[]> events = new ArrayList<>();
    CronJob wanted = cronJob.cronJob();
    if (observed.isEmpty()) {
      // one GET at creation only: the cache holds only CronJobs this ScheduledTask controls, and a
      // CronJob of the same name made by someone else must not be taken over
      CronJob found =
          client
              .batch()
              .v1()
              .cronjobs()
              .inNamespace(scheduled.getMetadata().getNamespace())
              .withName(wanted.getMetadata().getName())
              .get();
      if (found != null && !OwnerReferences.isControlledBy(found, scheduled)) {
        return Observation.refused(
            warnings,
            List.of(
                new Problem(
                    "metadata.name",
                    NAME_CONFLICT,
                    "CronJob "
                        + wanted.getMetadata().getName()
                        + " exists and does not belong to this ScheduledTask")));
      }
      apply(wanted);
    } else if (!hash(wanted).equals(hash(observed.get()))
        || AppliedFields.lostField(wanted, observed.get()).isPresent()) {
      apply(wanted);
      events.add(
          new String[] {
            "CronJobUpdated",
            "CronJob "
                + wanted.getMetadata().getName()
                + " updated in place (schedule "
                + wanted.getSpec().getSchedule()
                + ", suspend "
                + wanted.getSpec().getSuspend()
                + ")"
          });
    }
    Set<String> essential = new HashSet<>(TaskOverrides.essentialContainers(desired.plan().task()));
    List<Run> runs = runs(jobs, caches, cronJob.containerNames(), essential);
    Duration recheck =
        window.changesAt() == null
            ? null
            : Duration.between(desired.now(), window.changesAt()).plusSeconds(1);
    return new Observation(
        wanted.getMetadata().getName(),
        schedule.schedule(),
        schedule.timeZone(),
        null,
        null,
        null,
        null,
        null,
        window.why() != null,
        window.why(),
        runs,
        warnings,
        List.of(),
        events,
        recheck);
  }

  /**
   * Whether an at() schedule's single run started: a Job due at its instant (the CronJob's
   * scheduled-timestamp; a Job of an at() it was edited from does not count), or status saying it
   * completed for this very expression. Cron and rate: whether any run started (unused).
   */
  static boolean ran(ScheduledTask scheduled, List<Job> jobs) {
    var status = scheduled.getStatus();
    if (status != null
        && Boolean.TRUE.equals(status.completed)
        && ScheduledTaskRuns.completionKey(scheduled.getSpec()).equals(status.completedFor)) {
      return true;
    }
    Optional<Instant> at = ScheduledTaskRuns.atInstant(scheduled.getSpec());
    if (at.isEmpty()) return !jobs.isEmpty();
    return jobs.stream()
        .map(j -> instant(annotation(j, SCHEDULED_TIMESTAMP)))
        .anyMatch(due -> due.isPresent() && due.get().equals(at.get()));
  }

  /** The Cluster moved to ecs: the CronJob goes (and its Jobs with it), so no run starts here. */
  @Override
  public Removal retire(ScheduledTask scheduled, ResolvedCluster cluster, Caches caches) {
    List<String> removed = new ArrayList<>();
    for (CronJob c : caches.of(CronJob.class)) {
      if (!OwnerReferences.isControlledBy(c, scheduled)) continue;
      client.resource(c).delete();
      removed.add("CronJob " + c.getMetadata().getName());
    }
    return Removal.complete(removed);
  }

  private void apply(CronJob cronJob) {
    client
        .resource(cronJob)
        .fieldManager(TidewaterLabels.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  private static String hash(HasMetadata o) {
    String h = annotation(o, TidewaterLabels.APPLIED_HASH);
    return h == null ? "" : h;
  }

  private static String annotation(HasMetadata o, String key) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  /** The runs: one per Job, newest first, each with its pods as tasks. */
  static List<Run> runs(
      List<Job> jobs, Caches caches, Map<String, String> containerNames, Set<String> essential) {
    List<Pod> pods = new ArrayList<>(caches.of(Pod.class));
    List<Run> runs = new ArrayList<>();
    for (Job job : jobs) {
      String jobName = job.getMetadata().getName();
      List<Pod> own =
          pods.stream()
              .filter(
                  p ->
                      p.getMetadata().getOwnerReferences() != null
                          && p.getMetadata().getOwnerReferences().stream()
                              .anyMatch(
                                  o -> "Job".equals(o.getKind()) && jobName.equals(o.getName())))
              .toList();
      List<TaskRunStatus> tasks = TaskPods.tasks(own, containerNames, essential);
      runs.add(new Run(jobName, startedAt(job), tasks));
    }
    runs.sort(Comparator.comparing(Run::startedAt).reversed());
    return runs;
  }

  private static Instant startedAt(Job job) {
    Optional<Instant> due = instant(annotation(job, SCHEDULED_TIMESTAMP));
    return due.or(() -> instant(job.getMetadata().getCreationTimestamp())).orElse(Instant.EPOCH);
  }
}
