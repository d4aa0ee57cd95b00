package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.task.ContainerOverride;
import dev.tidewater.api.v1alpha1.task.TaskOverride;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RunTask's overrides applied to a task definition revision (pure), as ECS applies them: a
 * container's command replaced, its environment merged by name (the override wins), its cpu,
 * memory, memory reservation and resource requirements replaced; the task's cpu, memory and
 * ephemeral storage replaced. The kubernetes backend renders the result; the ecs backend sends the
 * overrides with RunTask instead.
 */
public final class TaskOverrides {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TaskOverrides() {}

  /** {@code revision} with {@code overrides} applied; {@code revision} itself is not changed. */
  public static TaskDefinitionSpec apply(TaskDefinitionSpec revision, TaskOverride overrides) {
    TaskDefinitionSpec out = JSON.clone(revision);
    if (overrides == null) {
      return out;
    }
    if (overrides.cpu != null) out.cpu = overrides.cpu;
    if (overrides.memory != null) out.memory = overrides.memory;
    if (overrides.ephemeralStorage != null) out.ephemeralStorage = overrides.ephemeralStorage;
    if (overrides.containerOverrides == null || out.containerDefinitions == null) {
      return out;
    }
    for (ContainerOverride o : overrides.containerOverrides) {
      for (ContainerDefinition d : out.containerDefinitions) {
        if (d.name != null && d.name.equals(o.name)) {
          apply(d, o);
        }
      }
    }
    return out;
  }

  private static void apply(ContainerDefinition d, ContainerOverride o) {
    if (o.command != null) d.command = new ArrayList<>(o.command);
    if (o.cpu != null) d.cpu = o.cpu;
    if (o.memory != null) d.memory = o.memory;
    if (o.memoryReservation != null) d.memoryReservation = o.memoryReservation;
    if (o.resourceRequirements != null) d.resourceRequirements = o.resourceRequirements;
    if (o.environment != null) {
      Map<String, KeyValuePair> byName = new LinkedHashMap<>();
      if (d.environment != null) d.environment.forEach(e -> byName.put(e.name, e));
      o.environment.forEach(e -> byName.put(e.name, e));
      d.environment = new ArrayList<>(byName.values());
    }
  }

  /** The essential containers of {@code task} by name (ECS: essential unless said otherwise). */
  public static List<String> essentialContainers(TaskDefinitionSpec task) {
    List<String> out = new ArrayList<>();
    if (task.containerDefinitions != null) {
      for (ContainerDefinition d : task.containerDefinitions) {
        if (d.essential == null || d.essential) out.add(d.name);
      }
    }
    return out;
  }
}
