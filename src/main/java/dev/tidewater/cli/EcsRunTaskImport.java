package dev.tidewater.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.cli.EcsJsonImport.ImportedResource;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code aws ecs run-task} input (the RunTask request shape, as {@code --cli-input-json}
 * takes it) into a {@code Task}: {@code taskDefinition} ({@code family}, {@code family:revision} or
 * an ARN) becomes {@code taskDefinitionRef}, named from the family as an imported TaskDefinition
 * is; every other RunTask field Tidewater has is kept as given.
 *
 * <p>What a Task cannot say is either dropped with a comment above the resource, when it only
 * tracks or addresses the request ({@code cluster}, {@code referenceId}; {@code clientToken}
 * silently, as for a service definition), or refused with its path, when dropping it would change
 * what the task runs as or with ({@link #overrides}: role overrides, environment files, Elastic
 * Inference; {@code volumeConfigurations}).
 */
final class EcsRunTaskImport {

  /** Keys only a RunTask input has: a service definition has none of them. */
  static final Set<String> MARKERS =
      Set.of("count", "overrides", "startedBy", "group", "referenceId");

  /** Keys a service definition has and a RunTask input does not. */
  static final Set<String> SERVICE_ONLY =
      Set.of(
          "serviceName",
          "desiredCount",
          "schedulingStrategy",
          "deploymentConfiguration",
          "deploymentController",
          "loadBalancers",
          "serviceRegistries",
          "healthCheckGracePeriodSeconds",
          "serviceConnectConfiguration",
          "serviceArn",
          "role");

  /** A task that cannot be run as asked, so it is refused rather than dropped. */
  static final String NOT_SUPPORTED = "NotSupported";

  private static final ShapeCheck.Settings SETTINGS =
      new ShapeCheck.Settings(
          true,
          true,
          Map.of(
              TaskSpec.class,
              Set.of(
                  "taskDefinitionRef", "clusterRef", "ttlSecondsAfterFinished", "deletionPolicy"),
              TaskOverride.class,
              Set.of("taskRoleRef")),
          Map.of());

  private EcsRunTaskImport() {}

  /** Whether {@code root} reads as a RunTask input rather than a service definition. */
  static boolean matches(ObjectNode root) {
    return root.path("taskDefinition").isTextual()
        && MARKERS.stream().anyMatch(root::has)
        && SERVICE_ONLY.stream().noneMatch(root::has);
  }

  /** The Task of one RunTask input. */
  static Outcome importRunTask(ObjectNode input, String fileName) {
    List<Problem> problems = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    ObjectNode spec = input.deepCopy();
    String cluster = EcsJsonImport.text(spec, "cluster", problems);
    String taskDefinition = EcsJsonImport.text(spec, "taskDefinition", problems);
    EcsJsonImport.text(spec, "clientToken", problems);
    String referenceId = EcsJsonImport.text(spec, "referenceId", problems);
    spec.remove(List.of("cluster", "taskDefinition", "clientToken", "referenceId"));
    if (cluster != null) {
      comments.add("cluster \"" + cluster + "\" is set by the Cluster resource");
    }
    if (referenceId != null) {
      comments.add(
          "referenceId \"" + referenceId + "\" is not kept: a Task is known by its name and uid");
    }
    JsonNode volumes = spec.remove("volumeConfigurations");
    if (volumes != null && !volumes.isNull() && !(volumes.isArray() && volumes.isEmpty())) {
      problems.add(
          new Problem(
              "volumeConfigurations",
              NOT_SUPPORTED,
              "Tidewater cannot configure volumes at launch (EBS); the task would start without"
                  + " them. Give the TaskDefinition the volume instead"));
    }
    JsonNode overrides = spec.get("overrides");
    if (overrides != null && overrides.isObject()) {
      spec.set("overrides", overrides((ObjectNode) overrides, "overrides", problems));
    }
    TaskDefinitionRef ref = null;
    if (taskDefinition != null) {
      ref = EcsJsonImport.taskDefinitionRef(taskDefinition, problems);
    } else if (problems.stream().noneMatch(p -> p.path().equals("taskDefinition"))) {
      problems.add(
          new Problem(
              "taskDefinition", "Required", "missing: RunTask requires \"taskDefinition\""));
    }
    ShapeCheck.Result result = ShapeCheck.check(spec, TaskSpec.class, "", SETTINGS);
    problems.addAll(result.problems());
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    TaskSpec typed = EcsJsonImport.convert(result.normalised(), TaskSpec.class);
    typed.taskDefinitionRef = ref;
    problems.addAll(TaskValidator.validate(typed));
    if (!problems.isEmpty()) {
      return EcsJsonImport.failed(problems);
    }
    String family = ref.name;
    String name = ResourceNames.fromEcsName(ResourceNames.baseName(fileName), family + "-run");
    comments.add(
        "metadata.name \""
            + name
            + "\" is made from the input's name: a Task runs once, so name each run anew");
    Task resource = new Task();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    resource.setSpec(typed);
    return new Outcome(List.of(new ImportedResource(resource, List.copyOf(comments))), List.of());
  }

  /**
   * RunTask overrides as a Task's: a copy of {@code overrides} without what a Task cannot run,
   * which is refused with its path (under {@code path}) — a task or execution role override (the
   * task would run with the task definition's roles; a Task refuses {@code taskRoleRef} for the
   * same reason), container {@code environmentFiles} (the variables would be missing) and Elastic
   * Inference accelerators. Empty values of those go without a word.
   */
  static ObjectNode overrides(ObjectNode overrides, String path, List<Problem> problems) {
    ObjectNode copy = overrides.deepCopy();
    for (String role : List.of("taskRoleArn", "executionRoleArn")) {
      JsonNode value = copy.remove(role);
      if (value != null && !value.isNull() && !value.asText().isEmpty()) {
        problems.add(
            new Problem(
                ShapeCheck.join(path, role),
                NOT_SUPPORTED,
                "a per-run "
                    + (role.startsWith("task") ? "task" : "execution")
                    + " role is not supported: the task would run with the task definition's"
                    + " roles instead. Give the TaskDefinition (a family of its own) that role"));
      }
    }
    JsonNode inference = copy.remove("inferenceAcceleratorOverrides");
    if (inference != null && !inference.isNull() && !(inference.isArray() && inference.isEmpty())) {
      problems.add(
          new Problem(
              ShapeCheck.join(path, "inferenceAcceleratorOverrides"),
              NOT_SUPPORTED,
              "Elastic Inference accelerators are not supported (AWS retired Elastic Inference)"));
    }
    JsonNode containers = copy.get("containerOverrides");
    if (containers instanceof ArrayNode list) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof ObjectNode container)) continue;
        JsonNode files = container.remove("environmentFiles");
        if (files != null && !files.isNull() && !(files.isArray() && files.isEmpty())) {
          problems.add(
              new Problem(
                  path + ".containerOverrides[" + i + "].environmentFiles",
                  NOT_SUPPORTED,
                  "environment files are not supported in overrides: the container would start"
                      + " without their variables. Put the variables in environment instead"));
        }
      }
    }
    return copy;
  }
}
