package dev.tidewater.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.DockerVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The canonical form of a TaskDefinition spec and its content hash, the identity of a revision: two
 * specs that ECS would run the same way have the same canonical form and hash.
 *
 * <p>The rules are documented in {@code docs/canonical-form.md}. Changing any of them changes the
 * hash of existing specs, and so makes a new revision of every TaskDefinition on upgrade; the
 * golden test in {@code TaskDefinitionCanonicalizerTest} exists to make that a deliberate choice.
 */
public final class TaskDefinitionCanonicalizer {

  /** Length of {@link #hash} in lowercase hex characters (128 bits of SHA-256). */
  public static final int HASH_LENGTH = 32;

  static final String DEFAULT_COMPATIBILITY = "EC2";
  static final String DEFAULT_NETWORK_MODE = "bridge";
  static final String DEFAULT_PROTOCOL = "tcp";
  static final String DEFAULT_VERSION_CONSISTENCY = "enabled";
  static final int DEFAULT_CONTAINER_CPU = 0;
  static final int DEFAULT_HEALTH_CHECK_INTERVAL = 30;
  static final int DEFAULT_HEALTH_CHECK_TIMEOUT = 5;
  static final int DEFAULT_HEALTH_CHECK_RETRIES = 3;

  // Sorted properties and map keys, no indentation, no nulls: the bytes depend only on the
  // values, never on field declaration order, map insertion order or the JVM.
  private static final ObjectMapper CANONICAL_MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  // An empty object of these types still means something: "dockerVolumeConfiguration: {}" makes
  // the volume a Docker volume instead of a bind mount.
  private static final Set<Class<?>> MEANINGFUL_WHEN_EMPTY =
      Set.of(DockerVolumeConfiguration.class);

  private static final String API_PACKAGE_PREFIX = "dev.tidewater.api.";

  /**
   * A new spec in canonical form: ECS defaults filled, order-free lists sorted, empty values and
   * fields outside the revision identity dropped. The input is not modified.
   */
  public TaskDefinitionSpec canonicalize(TaskDefinitionSpec spec) {
    return form(spec, true);
  }

  /**
   * A new spec in normal form: as {@link #canonicalize} (defaults filled, empty values and fields
   * outside the revision identity dropped) but every list in the user's order. What a revision
   * stores and runs: the pod's containers, their DNS servers and the indexes in warning paths
   * follow the order the user wrote, while the identity ({@link #hash}) stays order-free. The input
   * is not modified.
   */
  public TaskDefinitionSpec normalize(TaskDefinitionSpec spec) {
    return form(spec, false);
  }

  private TaskDefinitionSpec form(TaskDefinitionSpec spec, boolean sort) {
    Objects.requireNonNull(spec, "spec");
    TaskDefinitionSpec c = deepCopy(spec);

    // They change how Tidewater manages the revisions, not what a revision runs.
    c.clusterRef = null;
    c.revisionHistoryLimit = null;
    c.deletionPolicy = null;
    c.adopt = null;

    // First, so that "" and [] count as absent when defaults are filled below.
    pruneEmpty(c);

    c.cpu = normalized(c.cpu, EcsUnits::parseTaskCpu);
    c.memory = normalized(c.memory, EcsUnits::parseTaskMemory);
    if (c.requiresCompatibilities == null) {
      c.requiresCompatibilities = new ArrayList<>(List.of(DEFAULT_COMPATIBILITY));
    }
    sortNatural(c.requiresCompatibilities, sort);
    if (c.networkMode == null && defaultsToBridge(c)) {
      c.networkMode = DEFAULT_NETWORK_MODE;
    }
    c.enableFaultInjection = nullIfFalse(c.enableFaultInjection);

    if (c.containerDefinitions != null) {
      for (ContainerDefinition container : c.containerDefinitions) {
        if (container != null) {
          canonicalizeContainer(container, c.networkMode, sort);
        }
      }
      // ECS gives container order no meaning: containers are addressed by name (dependsOn,
      // links, load balancers, proxyConfiguration) and start order comes from dependsOn/links.
      sortBy(c.containerDefinitions, d -> d.name, sort);
    }
    if (c.volumes != null) {
      c.volumes.stream()
          .filter(Objects::nonNull)
          .forEach(TaskDefinitionCanonicalizer::canonicalizeVolume);
      sortBy(c.volumes, v -> v.name, sort);
    }
    sortBy(c.placementConstraints, p -> p.type, p -> p.expression, sort);
    sortBy(c.tags, t -> t.key, sort);
    sortBy(c.inferenceAccelerators, a -> a.deviceName, sort);
    if (c.proxyConfiguration != null) {
      sortBy(c.proxyConfiguration.properties, p -> p.name, sort);
    }
    // Again, for objects that dropping false flags left empty (linuxParameters: {}).
    pruneEmpty(c);
    return c;
  }

  /**
   * The canonical form as compact JSON with properties and map keys in alphabetical order: what
   * {@link #hash} digests, and what the ECS backend compares with a described task definition.
   */
  public String canonicalJson(TaskDefinitionSpec spec) {
    return json(canonicalize(spec));
  }

  /** The {@link #normalize normal form} as compact JSON: what a revision stores. */
  public String normalJson(TaskDefinitionSpec spec) {
    return json(normalize(spec));
  }

  /** A form made here as compact JSON, sorted properties and keys. */
  static String json(TaskDefinitionSpec form) {
    try {
      return CANONICAL_MAPPER.writeValueAsString(form);
    } catch (JsonProcessingException e) {
      // Plain data classes of strings, numbers, lists and maps always serialise.
      throw new IllegalStateException("cannot serialise a TaskDefinitionSpec", e);
    }
  }

  /**
   * The identity of the spec's revision: the first {@value #HASH_LENGTH} lowercase hex characters
   * of SHA-256 over the UTF-8 bytes of {@link #canonicalJson}.
   */
  public String hash(TaskDefinitionSpec spec) {
    return Sha256.hex(canonicalJson(spec), HASH_LENGTH);
  }

  private static void canonicalizeContainer(
      ContainerDefinition c, String networkMode, boolean sort) {
    if (c.essential == null) {
      c.essential = true;
    }
    if (c.cpu == null) {
      // DescribeTaskDefinition reports 0 for a container without a cpu reservation.
      c.cpu = DEFAULT_CONTAINER_CPU;
    }
    if (c.versionConsistency == null) {
      c.versionConsistency = DEFAULT_VERSION_CONSISTENCY;
    }
    c.disableNetworking = nullIfFalse(c.disableNetworking);
    c.privileged = nullIfFalse(c.privileged);
    c.readonlyRootFilesystem = nullIfFalse(c.readonlyRootFilesystem);
    c.interactive = nullIfFalse(c.interactive);
    c.pseudoTerminal = nullIfFalse(c.pseudoTerminal);

    if (c.portMappings != null) {
      // Order kept: the first port mapping is the default target of a load balancer.
      c.portMappings.stream()
          .filter(Objects::nonNull)
          .forEach(p -> canonicalizePortMapping(p, networkMode));
    }
    if (c.healthCheck != null) {
      canonicalizeHealthCheck(c.healthCheck);
    }
    if (c.linuxParameters != null) {
      canonicalizeLinuxParameters(c.linuxParameters, sort);
    }
    if (c.logConfiguration != null) {
      canonicalizeLogConfiguration(c.logConfiguration, sort);
    }
    if (c.firelensConfiguration != null) {
      c.firelensConfiguration.options = sorted(c.firelensConfiguration.options);
    }
    if (c.restartPolicy != null) {
      sortNatural(c.restartPolicy.ignoredExitCodes, sort);
    }
    if (c.mountPoints != null) {
      c.mountPoints.stream()
          .filter(Objects::nonNull)
          .forEach(m -> m.readOnly = nullIfFalse(m.readOnly));
    }
    if (c.volumesFrom != null) {
      c.volumesFrom.stream()
          .filter(Objects::nonNull)
          .forEach(v -> v.readOnly = nullIfFalse(v.readOnly));
    }

    c.dockerLabels = sorted(c.dockerLabels);
    sortBy(c.environment, e -> e.name, sort);
    sortBy(c.secrets, s -> s.name, sort);
    sortBy(c.ulimits, u -> u.name, sort);
    sortBy(c.systemControls, s -> s.namespace, sort);
    // By host name only, and stably: for one host name listed twice /etc/hosts answers with the
    // first entry, so the relative order of such entries is kept.
    sortBy(c.extraHosts, h -> h.hostname, sort);
    sortBy(c.resourceRequirements, r -> r.type, sort);
    sortBy(c.dependsOn, d -> d.containerName, sort);
    sortBy(c.mountPoints, m -> m.containerPath, sort);
    sortBy(c.volumesFrom, v -> v.sourceContainer, sort);
    // Kept in order: command, entryPoint, links, dnsServers, dnsSearchDomains,
    // dockerSecurityOptions, credentialSpecs and environmentFiles (a variable set in two files
    // takes the value ECS reads first, so their order is meaningful).
  }

  private static void canonicalizePortMapping(PortMapping p, String networkMode) {
    if (p.protocol == null) {
      p.protocol = DEFAULT_PROTOCOL;
    }
    if (DEFAULT_NETWORK_MODE.equals(networkMode)) {
      // Under bridge, 0 and absent both ask for a dynamic host port.
      if (Integer.valueOf(0).equals(p.hostPort)) {
        p.hostPort = null;
      }
    } else if (("awsvpc".equals(networkMode) || "host".equals(networkMode))
        && p.hostPort == null
        && p.containerPort != null) {
      // Under awsvpc and host the container port is the host port.
      p.hostPort = p.containerPort;
    }
  }

  private static void canonicalizeHealthCheck(HealthCheck h) {
    if (h.interval == null) {
      h.interval = DEFAULT_HEALTH_CHECK_INTERVAL;
    }
    if (h.timeout == null) {
      h.timeout = DEFAULT_HEALTH_CHECK_TIMEOUT;
    }
    if (h.retries == null) {
      h.retries = DEFAULT_HEALTH_CHECK_RETRIES;
    }
    // startPeriod stays absent: ECS has no grace period unless one is asked for.
  }

  private static void canonicalizeLinuxParameters(LinuxParameters l, boolean sort) {
    l.initProcessEnabled = nullIfFalse(l.initProcessEnabled);
    if (l.capabilities != null) {
      sortNatural(l.capabilities.add, sort);
      sortNatural(l.capabilities.drop, sort);
    }
    if (l.devices != null) {
      l.devices.stream().filter(Objects::nonNull).forEach(d -> sortNatural(d.permissions, sort));
      sortBy(l.devices, d -> d.hostPath, d -> d.containerPath, sort);
    }
    // Each tmpfs has its own path; mountOptions inside one keep their order (later ones win).
    sortBy(l.tmpfs, t -> t.containerPath, sort);
  }

  private static void canonicalizeLogConfiguration(LogConfiguration l, boolean sort) {
    l.options = sorted(l.options);
    sortBy(l.secretOptions, s -> s.name, sort);
  }

  private static void canonicalizeVolume(Volume v) {
    v.configuredAtLaunch = nullIfFalse(v.configuredAtLaunch);
    DockerVolumeConfiguration d = v.dockerVolumeConfiguration;
    if (d != null) {
      d.autoprovision = nullIfFalse(d.autoprovision);
      d.driverOpts = sorted(d.driverOpts);
      d.labels = sorted(d.labels);
    }
  }

  private static boolean defaultsToBridge(TaskDefinitionSpec s) {
    // Fargate and Managed Instances have no bridge mode, and Windows uses its own "default"
    // (NAT) mode when none is given: only Linux EC2 / EXTERNAL tasks get bridge.
    boolean ec2OrExternalOnly =
        s.requiresCompatibilities.stream().allMatch(c -> "EC2".equals(c) || "EXTERNAL".equals(c));
    boolean windows =
        s.runtimePlatform != null
            && s.runtimePlatform.operatingSystemFamily != null
            && s.runtimePlatform.operatingSystemFamily.startsWith("WINDOWS");
    return ec2OrExternalOnly && !windows;
  }

  // A task cpu/memory value in plain units ("1 vCPU" -> "1024"); a value that does not parse is
  // kept as written, for the validator to report.
  private static String normalized(String value, Function<String, Integer> parser) {
    if (value == null) {
      return null;
    }
    try {
      return Integer.toString(parser.apply(value));
    } catch (EcsUnits.InvalidUnitException e) {
      return value;
    }
  }

  // Flags whose ECS default is false: explicit false and absent are the same task.
  private static Boolean nullIfFalse(Boolean flag) {
    return Boolean.FALSE.equals(flag) ? null : flag;
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map == null ? null : new TreeMap<>(map);
  }

  private static <T extends Comparable<? super T>> void sortNatural(List<T> list, boolean sort) {
    if (sort && list != null) {
      list.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
    }
  }

  // List.sort is stable, so entries with the same key (invalid, or meaningful as in extraHosts)
  // keep their relative order and the result is still a function of the input.
  private static <T> void sortBy(List<T> list, Function<T, String> key, boolean sort) {
    if (sort && list != null) {
      list.sort(Comparator.nullsFirst(byKey(key)));
    }
  }

  private static <T> void sortBy(
      List<T> list, Function<T, String> key, Function<T, String> thenKey, boolean sort) {
    if (sort && list != null) {
      list.sort(Comparator.nullsFirst(byKey(key).thenComparing(byKey(thenKey))));
    }
  }

  private static <T> Comparator<T> byKey(Function<T, String> key) {
    return Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder()));
  }

  static TaskDefinitionSpec deepCopy(TaskDefinitionSpec spec) {
    try {
      return CANONICAL_MAPPER.readValue(
          CANONICAL_MAPPER.writeValueAsBytes(spec), TaskDefinitionSpec.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy a TaskDefinitionSpec", e);
    }
  }

  /**
   * Sets empty strings, lists and maps, and objects left empty by that, to null in {@code object}
   * and the API objects below it, so {@code ipcMode: ""} and {@code environment: []} are the same
   * as leaving them out. Strings inside lists and map values are kept: an empty command argument or
   * Docker label value means something.
   *
   * @return whether no field of {@code object} is left
   */
  private static boolean pruneEmpty(Object object) {
    boolean empty = true;
    for (Field field : object.getClass().getFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      try {
        Object value = field.get(object);
        if (value == null) {
          continue;
        }
        if (isEmpty(value)) {
          field.set(object, null);
        } else {
          empty = false;
        }
      } catch (IllegalAccessException e) {
        // getFields() returns only public fields of public API classes.
        throw new IllegalStateException("cannot access " + field, e);
      }
    }
    return empty;
  }

  private static boolean isEmpty(Object value) {
    if (value instanceof String s) {
      return s.isEmpty();
    }
    if (value instanceof List<?> list) {
      // Elements are never removed: a list keeps its length.
      list.stream().filter(TaskDefinitionCanonicalizer::isApiObject).forEach(e -> pruneEmpty(e));
      return list.isEmpty();
    }
    if (value instanceof Map<?, ?> map) {
      return map.isEmpty();
    }
    if (isApiObject(value)) {
      return pruneEmpty(value) && !MEANINGFUL_WHEN_EMPTY.contains(value.getClass());
    }
    return false;
  }

  private static boolean isApiObject(Object value) {
    return value != null && value.getClass().getPackageName().startsWith(API_PACKAGE_PREFIX);
  }
}
