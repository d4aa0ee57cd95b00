package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.model.Problem;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field paths of a rendered revision keyed by name ({@code containerDefinitions[web].ulimits})
 * rather than by index: a revision keeps the order of the spec that created it (and revisions made
 * before the normal form are sorted by name), which need not be the order of the spec as it reads
 * now.
 */
public final class NamedPaths {

  private static final Pattern INDEXED =
      Pattern.compile("^(containerDefinitions|volumes)\\[(\\d+)]");

  private NamedPaths() {}

  static String of(String path, TaskDefinitionSpec task) {
    Matcher m = INDEXED.matcher(path);
    if (!m.find()) {
      return path;
    }
    int i = Integer.parseInt(m.group(2));
    String name = null;
    if (m.group(1).equals("containerDefinitions")
        && task.containerDefinitions != null
        && i < task.containerDefinitions.size()) {
      name = task.containerDefinitions.get(i).name;
    } else if (m.group(1).equals("volumes") && task.volumes != null && i < task.volumes.size()) {
      name = task.volumes.get(i).name;
    }
    return name == null ? path : m.group(1) + "[" + name + "]" + path.substring(m.end());
  }

  public static List<StatusWarning> warnings(
      List<StatusWarning> warnings, TaskDefinitionSpec task) {
    return map(warnings, w -> new StatusWarning(of(w.field(), task), w.reason(), w.message()));
  }

  public static List<Problem> problems(List<Problem> problems, TaskDefinitionSpec task) {
    return map(problems, p -> new Problem(of(p.path(), task), p.reason(), p.message()));
  }

  private static <T> List<T> map(List<T> items, Function<T, T> f) {
    return items.stream().map(f).toList();
  }
}
