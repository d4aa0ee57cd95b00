package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/kubernetes-mapping.md has a row for every field of the TaskDefinition API (found by
 * reflection over the public fields, nested types included), no row for a field that does not
 * exist, and explains every reason the renderer reports.
 */
class KubernetesMappingDocTest {

  static final Path DOC = Path.of("docs", "kubernetes-mapping.md");

  // Referenced types the table treats as one field: a reference by name, an AWS tag.
  static final Set<Class<?>> LEAVES = Set.of(ObjectRef.class, Tag.class);

  // A table row whose first cell is a back-quoted field path.
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

  /** Every field path of the spec, e.g. containerDefinitions[].healthCheck.interval. */
  static Set<String> apiPaths() {
    Set<String> out = new LinkedHashSet<>();
    walk(TaskDefinitionSpec.class, "", out);
    return out;
  }

  private static void walk(Class<?> type, String prefix, Set<String> out) {
    for (Field f : type.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      String path = prefix + f.getName();
      out.add(path);
      Class<?> element = f.getType();
      String childPrefix = path + ".";
      if (List.class.isAssignableFrom(element)) {
        element = typeArgument(f.getGenericType());
        childPrefix = path + "[].";
      }
      if (isApiType(element) && !LEAVES.contains(element)) {
        walk(element, childPrefix, out);
      }
    }
  }

  private static Class<?> typeArgument(Type t) {
    if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    return Object.class;
  }

  private static boolean isApiType(Class<?> c) {
    return c.getPackageName().startsWith("dev.tidewater.api") && !c.isEnum();
  }

  /** The reasons MappingReasons declares. */
  static List<String> reasons() {
    List<String> out = new ArrayList<>();
    for (Field f : MappingReasons.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          out.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  static List<String> docRows() throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(DOC)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        rows.add(m.group(1));
      }
    }
    return rows;
  }

  @Test
  void everyApiFieldHasARow() throws IOException {
    assertThat(docRows()).containsAll(apiPaths());
  }

  @Test
  void everyRowIsAnApiFieldOrAReasonListedOnce() throws IOException {
    Set<String> known = new LinkedHashSet<>(apiPaths());
    known.addAll(reasons());
    assertThat(docRows()).doesNotHaveDuplicates();
    assertThat(known).containsAll(docRows());
  }

  @Test
  void everyReasonIsExplained() throws IOException {
    assertThat(docRows()).containsAll(reasons());
  }

  @Test
  void theWalkSeesNestedFields() {
    // Guards the reflection itself: a broken walk would make the other tests vacuous.
    assertThat(apiPaths())
        .contains(
            "containerDefinitions[].healthCheck.startPeriod",
            "containerDefinitions[].linuxParameters.tmpfs[].mountOptions",
            "volumes[].efsVolumeConfiguration.authorizationConfig.accessPointId",
            "containerDefinitions[].logConfiguration.secretOptions[].valueFrom",
            "taskRoleRef")
        .doesNotContain("taskRoleRef.name")
        .hasSizeGreaterThan(150);
    assertThat(reasons()).contains("TaskResourcesSplit", "HostNetworkNotAllowed");
  }
}
