package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A ScheduledTask's run as a Task (pure): each run of a schedule is what a Task with the same
 * RunTask fields would start, so the backends build it with the Task's own code (the Job of {@code
 * TaskJob}, the RunTask fields of {@code EcsTaskRequests}) from this view.
 */
public final class ScheduledTaskRuns {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** The spec fields of a run (TaskTemplate's): their paths get the {@code task.} prefix. */
  private static final Set<String> TASK_FIELDS =
      Arrays.stream(TaskTemplate.class.getFields())
          .filter(f -> !Modifier.isStatic(f.getModifiers()))
          .map(Field::getName)
          .collect(Collectors.toSet());

  private ScheduledTaskRuns() {}

  /**
   * The instant an at() schedule runs at (its time read in the spec's zone); empty for cron and
   * rate, or an expression that does not parse.
   */
  public static Optional<Instant> atInstant(ScheduledTaskSpec spec) {
    Optional<EventBridgeSchedule> parsed =
        EventBridgeScheduleParser.parse(
            spec.scheduleExpression, "scheduleExpression", new ArrayList<>());
    Optional<ZoneId> zone =
        EventBridgeScheduleParser.zone(
            spec.scheduleExpressionTimezone, "scheduleExpressionTimezone", new ArrayList<>());
    if (parsed.isEmpty()
        || zone.isEmpty()
        || !(parsed.get() instanceof EventBridgeSchedule.At at)) {
      return Optional.empty();
    }
    return Optional.of(at.time().atZone(zone.get()).toInstant());
  }

  /**
   * What an at() schedule's {@code status.completed} applies to: the expression and its zone (an
   * edited at() is another single run).
   */
  public static String completionKey(ScheduledTaskSpec spec) {
    return spec.scheduleExpression
        + (spec.scheduleExpressionTimezone == null ? "" : " " + spec.scheduleExpressionTimezone);
  }

  /**
   * A path of a run's fields as a path of the ScheduledTask's spec: {@code count} becomes {@code
   * task.count} ({@code spec.count}: {@code spec.task.count}); a TaskDefinition path ({@code
   * containerDefinitions[app].image}) stays.
   */
  public static String taskPath(String path) {
    if (path == null) return null;
    if (path.startsWith("spec.")) return "spec." + taskPath(path.substring("spec.".length()));
    String first = path.split("[.\\[]", 2)[0];
    return TASK_FIELDS.contains(first) ? "task." + path : path;
  }

  /** {@code problems} with {@link #taskPath} paths. */
  public static List<Problem> taskPaths(List<Problem> problems) {
    return problems.stream()
        .map(p -> new Problem(taskPath(p.path()), p.reason(), p.message()))
        .toList();
  }

  /**
   * The Task one run of {@code scheduled} is: its name, namespace and uid, and a spec with the
   * schedule's task fields and Cluster. The uid is left out when {@code withUid} is false, so no
   * owner reference to a Task that does not exist is rendered.
   */
  public static Task asTask(ScheduledTask scheduled, boolean withUid) {
    ScheduledTaskSpec spec = scheduled.getSpec();
    TaskSpec task = JSON.convertValue(JSON.convertValue(spec.task, Object.class), TaskSpec.class);
    task.clusterRef = spec.clusterRef;
    Task t = new Task();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withName(scheduled.getMetadata().getName())
            .withNamespace(scheduled.getMetadata().getNamespace())
            .withUid(withUid ? scheduled.getMetadata().getUid() : null)
            .withGeneration(scheduled.getMetadata().getGeneration())
            .build());
    t.setSpec(task);
    return t;
  }
}
