package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.task.TaskTemplate;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a Task (the RunTask shape) the way ECS RunTask would, returning every problem with its
 * field path: on its own ({@link #validate}) and against the TaskDefinition revision it runs
 * ({@link #withRevision}). The reconciler, {@code validate} and the ScheduledTask's task share it.
 */
public final class TaskValidator {

  /** count outside RunTask's 1-10. */
  public static final String COUNT_OUT_OF_RANGE = "CountOutOfRange";

  /** startedBy has characters or a length RunTask refuses. */
  public static final String INVALID_STARTED_BY = "InvalidStartedBy";

  /** An override names a container the task definition does not have, or one twice. */
  public static final String UNKNOWN_CONTAINER = "UnknownContainer";

  /** overrides.taskRoleRef: a task role override is not run by either backend yet. */
  public static final String TASK_ROLE_OVERRIDE_NOT_SUPPORTED = "TaskRoleOverrideNotSupported";

  /** ttlSecondsAfterFinished is negative. */
  public static final String INVALID_TTL = "InvalidTtl";

  /** The taskDefinitionRef has no name. */
  public static final String MISSING_TASK_DEFINITION = "MissingTaskDefinition";

  /** A RunTask network setting the task definition's network mode or launch type cannot take. */
  public static final String INVALID_NETWORK_CONFIGURATION = "InvalidNetworkConfiguration";

  /** RunTask's startedBy: up to 128 letters, digits, hyphens, slashes and underscores. */
  private static final Pattern STARTED_BY = Pattern.compile("[A-Za-z0-9/_-]{1,128}");

  /** The largest count RunTask takes. */
  public static final int MAX_COUNT = 10;

  private TaskValidator() {}

  /** Every problem of {@code spec} on its own (paths relative to the spec). */
  public static List<Problem> validate(TaskSpec spec) {
    List<Problem> problems = new ArrayList<>(validateTemplate(spec));
    if (spec.ttlSecondsAfterFinished != null && spec.ttlSecondsAfterFinished < 0) {
      problems.add(
          new Problem(
              "ttlSecondsAfterFinished",
              INVALID_TTL,
              "ttlSecondsAfterFinished " + spec.ttlSecondsAfterFinished + " is negative"));
    }
    return List.copyOf(problems);
  }

  /** Every problem of the RunTask fields {@code spec} (a Task's, or a ScheduledTask's task). */
  public static List<Problem> validateTemplate(TaskTemplate spec) {
    List<Problem> problems = new ArrayList<>();
    if (spec.taskDefinitionRef == null
        || spec.taskDefinitionRef.name == null
        || spec.taskDefinitionRef.name.isBlank()) {
      problems.add(
          new Problem(
              "taskDefinitionRef.name",
              MISSING_TASK_DEFINITION,
              "name the TaskDefinition to run (a TaskDefinition in this namespace)"));
    }
    if (spec.count != null && (spec.count < 1 || spec.count > MAX_COUNT)) {
      problems.add(
          new Problem(
              "count",
              COUNT_OUT_OF_RANGE,
              "count "
                  + spec.count
                  + " is outside 1-"
                  + MAX_COUNT
                  + ", what RunTask starts at once"));
    }
    if (spec.launchType != null
        && spec.capacityProviderStrategy != null
        && !spec.capacityProviderStrategy.isEmpty()) {
      problems.add(
          new Problem(
              "capacityProviderStrategy",
              EcsServiceValidator.CONFLICTING_FIELDS,
              "set launchType or capacityProviderStrategy, not both (RunTask refuses both)"));
    }
    if (spec.startedBy != null && !STARTED_BY.matcher(spec.startedBy).matches()) {
      problems.add(
          new Problem(
              "startedBy",
              INVALID_STARTED_BY,
              "startedBy "
                  + quote(spec.startedBy)
                  + " must be 1-128 letters, digits, hyphens, slashes or underscores"));
    }
    problems.addAll(AwsTagRules.validate(spec.tags, "tags"));
    if (spec.overrides != null && spec.overrides.taskRoleRef != null) {
      // refused rather than dropped: the tasks would run with the task definition's role
      problems.add(
          new Problem(
              "overrides.taskRoleRef",
              TASK_ROLE_OVERRIDE_NOT_SUPPORTED,
              "a task role override is not supported yet; give the TaskDefinition the role"));
    }
    if (spec.overrides != null && spec.overrides.containerOverrides != null) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < spec.overrides.containerOverrides.size(); i++) {
        ContainerOverride o = spec.overrides.containerOverrides.get(i);
        if (o.name != null && !seen.add(o.name)) {
          problems.add(
              new Problem(
                  "overrides.containerOverrides[" + i + "].name",
                  UNKNOWN_CONTAINER,
                  "container " + quote(o.name) + " is overridden twice"));
        }
        if (o.memory != null && o.memoryReservation != null && o.memoryReservation > o.memory) {
          problems.add(
              new Problem(
                  "overrides.containerOverrides[" + i + "].memoryReservation",
                  "MemoryReservationAboveMemory",
                  "memoryReservation "
                      + o.memoryReservation
                      + " MiB is above memory "
                      + o.memory
                      + " MiB"));
        }
      }
    }
    return problems;
  }

  /** What {@code spec} asks of {@code revision} that it does not have (paths of the Task spec). */
  public static List<Problem> withRevision(TaskTemplate spec, TaskDefinitionSpec revision) {
    List<Problem> problems = new ArrayList<>();
    if (spec.overrides == null || spec.overrides.containerOverrides == null) {
      return problems;
    }
    Set<String> containers = new HashSet<>();
    if (revision.containerDefinitions != null) {
      for (ContainerDefinition d : revision.containerDefinitions) containers.add(d.name);
    }
    for (int i = 0; i < spec.overrides.containerOverrides.size(); i++) {
      ContainerOverride o = spec.overrides.containerOverrides.get(i);
      if (!containers.contains(o.name)) {
        problems.add(
            new Problem(
                "overrides.containerOverrides[" + i + "].name",
                UNKNOWN_CONTAINER,
                "the task definition has no container "
                    + quote(o.name)
                    + " (it has "
                    + String.join(", ", containers.stream().sorted().toList())
                    + ")"));
      }
    }
    return problems;
  }

  /**
   * What ECS RunTask refuses of {@code spec} for a task definition revision with {@code
   * networkMode} (null: bridge): Fargate runs only awsvpc; an awsvpc task needs {@code
   * networkConfiguration.awsvpcConfiguration.subnets}; only an awsvpc task takes a network
   * configuration; no public IP for an awsvpc task on EC2 or EXTERNAL. The kubernetes backend takes
   * none of these (pods get the cluster's network), so only the ecs backend asks.
   */
  public static List<Problem> forEcs(TaskTemplate spec, String networkMode) {
    List<Problem> problems = new ArrayList<>();
    boolean awsvpc = "awsvpc".equals(networkMode);
    boolean fargate =
        "FARGATE".equals(spec.launchType)
            || (spec.launchType == null
                && spec.capacityProviderStrategy != null
                && spec.capacityProviderStrategy.stream()
                    .anyMatch(
                        c ->
                            "FARGATE".equals(c.capacityProvider)
                                || "FARGATE_SPOT".equals(c.capacityProvider)));
    var vpc =
        spec.networkConfiguration == null ? null : spec.networkConfiguration.awsvpcConfiguration;
    if (fargate && !awsvpc) {
      problems.add(
          new Problem(
              spec.launchType != null ? "launchType" : "capacityProviderStrategy",
              INVALID_NETWORK_CONFIGURATION,
              "Fargate runs only awsvpc tasks; the task definition's networkMode is "
                  + (networkMode == null ? "not set (bridge)" : quote(networkMode))));
    }
    if (awsvpc && (vpc == null || vpc.subnets == null || vpc.subnets.isEmpty())) {
      problems.add(
          new Problem(
              "networkConfiguration.awsvpcConfiguration.subnets",
              INVALID_NETWORK_CONFIGURATION,
              "the task definition uses networkMode awsvpc: RunTask needs at least one subnet"));
    }
    if (!awsvpc && vpc != null) {
      problems.add(
          new Problem(
              "networkConfiguration",
              INVALID_NETWORK_CONFIGURATION,
              "a network configuration is only for networkMode awsvpc; the task definition's is "
                  + (networkMode == null ? "not set (bridge)" : quote(networkMode))));
    }
    if (vpc != null
        && "ENABLED".equals(vpc.assignPublicIp)
        && awsvpc
        && ("EC2".equals(spec.launchType) || "EXTERNAL".equals(spec.launchType))) {
      problems.add(
          new Problem(
              "networkConfiguration.awsvpcConfiguration.assignPublicIp",
              INVALID_NETWORK_CONFIGURATION,
              "assignPublicIp ENABLED is for Fargate: an awsvpc task on "
                  + spec.launchType
                  + " gets no public IP"));
    }
    return problems;
  }
}
