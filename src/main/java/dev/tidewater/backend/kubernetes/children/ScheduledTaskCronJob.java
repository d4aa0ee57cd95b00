package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CronJob of a ScheduledTask on the kubernetes backend (pure): its {@code jobTemplate} is the
 * Job a Task with the same RunTask fields gets ({@link TaskJob}: the same renderer, the same stop
 * semantics, no retries), its schedule and time zone the translation of the EventBridge expression,
 * {@code concurrencyPolicy: Allow} (EventBridge starts a run whether or not the last one ended),
 * the history limits from the spec, and {@code suspend} as the backend's window says. Its Jobs and
 * pods carry the ScheduledTask's label and annotation, and not the Task annotation, so no Task of
 * the same name takes them for its own.
 */
public final class ScheduledTaskCronJob {

  /** The longest CronJob name: the CronJob controller appends 11 characters for its Jobs. */
  public static final int NAME_MAX = 52;

  /**
   * How late a run may still start (the CronJob controller's startingDeadlineSeconds): lifting
   * {@code suspend} just after a window opens still starts the run due at that instant, nothing
   * older.
   */
  public static final long STARTING_DEADLINE_SECONDS = 120;

  /** Default successfulRunsHistoryLimit (as a CronJob's). */
  public static final int DEFAULT_SUCCESSFUL_HISTORY = 3;

  /** Default failedRunsHistoryLimit (as a CronJob's). */
  public static final int DEFAULT_FAILED_HISTORY = 1;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ScheduledTaskCronJob() {}

  /**
   * What the CronJob depends on.
   *
   * @param cluster the Cluster's spec (null: defaults)
   * @param schedule the translated schedule
   * @param suspend whether no run may start now (paused, outside the window, an at() that ran)
   */
  public record Inputs(
      ScheduledTask scheduled,
      ClusterSpec cluster,
      TaskBackend.Plan plan,
      boolean podLevelResources,
      CronJobSchedule schedule,
      boolean suspend) {}

  /**
   * The CronJob, or the refusals that stop it, with what cannot be honoured.
   *
   * @param containerNames Kubernetes container name → ECS container name
   */
  public record Desired(
      CronJob cronJob,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      Map<String, String> containerNames) {}

  /** The CronJob's name: the ScheduledTask's, as a DNS label of at most {@value #NAME_MAX}. */
  public static String name(ScheduledTask scheduled) {
    String label = KubernetesNames.dnsLabel(scheduled.getMetadata().getName());
    if (label.length() <= NAME_MAX) return label;
    String hash = KubernetesNames.hash(scheduled.getMetadata().getName());
    String prefix = label.substring(0, NAME_MAX - hash.length() - 1).replaceAll("-+$", "");
    return prefix + "-" + hash;
  }

  /** The CronJob for {@code in}. */
  public static Desired desired(Inputs in) {
    ScheduledTask scheduled = in.scheduled();
    ScheduledTaskSpec spec = scheduled.getSpec();
    TaskJob.Desired job =
        TaskJob.desired(
            new TaskJob.Inputs(
                ScheduledTaskRuns.asTask(scheduled, false),
                in.cluster(),
                in.plan(),
                in.podLevelResources()));
    List<StatusWarning> warnings =
        job.warnings().stream()
            .map(
                w ->
                    new StatusWarning(
                        ScheduledTaskRuns.taskPath(w.field()), w.reason(), w.message()))
            .toList();
    if (!job.refusals().isEmpty()) {
      List<Problem> refusals =
          job.refusals().stream()
              .map(p -> new Problem(ScheduledTaskRuns.taskPath(p.path()), p.reason(), p.message()))
              .toList();
      return new Desired(null, warnings, refusals, job.containerNames());
    }
    JobSpec jobSpec = JSON.clone(job.job()).getSpec();
    relabelled(jobSpec.getTemplate(), scheduled);
    String label = TidewaterLabels.value(scheduled.getMetadata().getName());
    CronJob cronJob =
        new CronJobBuilder()
            .withMetadata(meta(scheduled))
            .withNewSpec()
            .withSchedule(in.schedule().schedule())
            .withTimeZone(in.schedule().timeZone())
            .withSuspend(in.suspend())
            .withConcurrencyPolicy("Allow")
            .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
            .withSuccessfulJobsHistoryLimit(
                spec.successfulRunsHistoryLimit == null
                    ? DEFAULT_SUCCESSFUL_HISTORY
                    : spec.successfulRunsHistoryLimit)
            .withFailedJobsHistoryLimit(
                spec.failedRunsHistoryLimit == null
                    ? DEFAULT_FAILED_HISTORY
                    : spec.failedRunsHistoryLimit)
            .withNewJobTemplate()
            .withNewMetadata()
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(TidewaterLabels.SCHEDULED_TASK, label)
            .addToAnnotations(TidewaterLabels.SCHEDULED_TASK, scheduled.getMetadata().getName())
            .endMetadata()
            .withSpec(jobSpec)
            .endJobTemplate()
            .endSpec()
            .build();
    cronJob
        .getMetadata()
        .getAnnotations()
        .put(TidewaterLabels.APPLIED_HASH, Sha256.hex(JSON.asJson(cronJob.getSpec()), 16));
    return new Desired(cronJob, warnings, List.of(), job.containerNames());
  }

  private static ObjectMeta meta(ScheduledTask scheduled) {
    var m =
        new ObjectMetaBuilder()
            .withName(name(scheduled))
            .withNamespace(scheduled.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(
                TidewaterLabels.SCHEDULED_TASK,
                TidewaterLabels.value(scheduled.getMetadata().getName()))
            .addToAnnotations(TidewaterLabels.SCHEDULED_TASK, scheduled.getMetadata().getName());
    if (scheduled.getMetadata().getUid() != null) {
      m.addToOwnerReferences(OwnerReferences.controlledBy(scheduled));
    }
    return m.build();
  }

  /**
   * The pods are the ScheduledTask's, not a Task's: TaskJob's Task annotation (by which the Task
   * controller maps a pod to its Task) goes; its label stays, as the placement's spread selectors
   * use it.
   */
  private static void relabelled(PodTemplateSpec template, ScheduledTask scheduled) {
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
    labels.put(
        TidewaterLabels.SCHEDULED_TASK, TidewaterLabels.value(scheduled.getMetadata().getName()));
    template.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>(template.getMetadata().getAnnotations());
    annotations.remove(TaskJob.TASK_ANNOTATION);
    annotations.put(TidewaterLabels.SCHEDULED_TASK, scheduled.getMetadata().getName());
    template.getMetadata().setAnnotations(annotations);
  }
}
