package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a TaskDefinition spec for everything the CRD schema cannot: returns every problem, each
 * with its field path. Used by the reconcilers, the CLI and any webhook.
 */
public final class TaskDefinitionValidator {

  /** Every problem of {@code spec}; empty when it is valid. */
  public List<Problem> validate(TaskDefinitionSpec spec) {
    List<Problem> problems = new ArrayList<>();
    List<ContainerDefinition> containers =
        spec.containerDefinitions == null ? List.of() : spec.containerDefinitions;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      String name = containers.get(i).name;
      if (name != null && !names.add(name)) {
        problems.add(
            new Problem(
                "containerDefinitions[" + i + "].name",
                "DuplicateContainerName",
                "container name \"" + name + "\" is used twice; names must be unique in a task"));
      }
    }
    return problems;
  }
}
