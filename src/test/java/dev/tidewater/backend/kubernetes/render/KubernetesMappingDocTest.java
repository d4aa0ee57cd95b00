package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
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
 * docs/kubernetes-mapping.md has a row for every field of the TaskDefinition API in its first part
 * and for every field of the Service API in its second (found by reflection over the public fields,
 * nested types included), no row for a field that does not exist, and explains every reason the
 * renderer and {@link ServicePodMapping} report.
 */
class KubernetesMappingDocTest {

  static final Path DOC = Path.of("docs", "kubernetes-mapping.md");

  // Referenced types the table treats as one field: a reference by name, an AWS tag.
  static final Set<Class<?>> LEAVES = Set.of(ObjectRef.class, Tag.class);

  /** The heading that starts the Service part of the document. */
  static final String SERVICE_PART = "# From an ECS Service to Kubernetes objects";

  // A table row whose first cell is a back-quoted field path.
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

  /** Every field path of the spec, e.g. containerDefinitions[].healthCheck.interval. */
  static Set<String> apiPaths() {
    return paths(TaskDefinitionSpec.class);
  }

  /** Every field path of the Service's spec, e.g. volumeConfigurations[].name. */
  static Set<String> serviceApiPaths() {
    return paths(EcsServiceSpec.class);
  }

  private static Set<String> paths(Class<?> spec) {
    Set<String> out = new LinkedHashSet<>();
    walk(spec, "", out);
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

  /** The first cells of the task definition part's rows. */
  static List<String> docRows() throws IOException {
    return rows(true);
  }

  /** The first cells of the Service part's rows. */
  static List<String> serviceDocRows() throws IOException {
    return rows(false);
  }

  private static List<String> rows(boolean taskDefinitionPart) throws IOException {
    List<String> rows = new ArrayList<>();
    boolean inServicePart = false;
    for (String line : Files.readAllLines(DOC)) {
      inServicePart |= line.strip().equals(SERVICE_PART);
      Matcher m = ROW.matcher(line);
      if (m.find() && inServicePart != taskDefinitionPart) {
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
  void everyServiceFieldHasARow() throws IOException {
    assertThat(serviceDocRows()).containsAll(serviceApiPaths());
  }

  @Test
  void everyRowIsAnApiFieldOrAReasonListedOnce() throws IOException {
    Set<String> known = new LinkedHashSet<>(apiPaths());
    known.addAll(reasons());
    assertThat(docRows()).doesNotHaveDuplicates();
    assertThat(known).containsAll(docRows());
    Set<String> knownOfService = new LinkedHashSet<>(serviceApiPaths());
    knownOfService.addAll(reasons());
    assertThat(serviceDocRows()).doesNotHaveDuplicates();
    assertThat(knownOfService).containsAll(serviceDocRows());
    List<String> reasonRows = new ArrayList<>(docRows());
    reasonRows.addAll(serviceDocRows());
    reasonRows.retainAll(reasons());
    assertThat(reasonRows).doesNotHaveDuplicates();
  }

  @Test
  void everyReasonIsExplained() throws IOException {
    List<String> all = new ArrayList<>(docRows());
    all.addAll(serviceDocRows());
    assertThat(all).containsAll(reasons());
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
    assertThat(serviceApiPaths())
        .contains(
            "volumeConfigurations[].managedEBSVolume.snapshotId",
            "serviceConnectConfiguration.services[].clientAliases[].testTrafficRules.header.value.exact",
            "serviceConnectConfiguration.logConfiguration.secretOptions[].valueFrom",
            "placementConstraints[].expression",
            "clusterRef")
        .doesNotContain("clusterRef.name", "tags[].key")
        .hasSizeGreaterThan(100);
    assertThat(reasons())
        .contains("TaskResourcesSplit", "HostNetworkNotAllowed", "PlacementStrategyNotMapped");
  }
}
