package dev.tidewater.generated;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.EcsUnits;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What happens to a generated case before the API server: the validators (as the reconcilers run
 * them, with the Cluster's guardrails), the kubernetes backend's rendering, and the invariants
 * every rendering must keep. Pure: no cluster needed.
 */
final class GeneratedCases {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final String SERVICE_NAME = "generated";

  private GeneratedCases() {}

  /** A class of outcome (a refusal reason, an invariant, an API message) and one example. */
  record Finding(String kind, String detail) {}

  // ---------------------------------------------------------------------------- validation

  /**
   * The problems the validators find, as the reconcilers see them: the TaskDefinition against the
   * Cluster's guardrails, the Service on its own. Paths are prefixed with the kind.
   */
  static List<Problem> validate(GeneratedCase c) {
    List<Problem> out = new ArrayList<>();
    for (Problem p :
        new TaskDefinitionValidator()
            .validate(copy(c.task()), ValidationContext.forCluster(c.cluster()))) {
      out.add(new Problem("TaskDefinition spec." + p.path(), p.reason(), p.message()));
    }
    // with the revision it runs: a utilisation target needs requests to compute it from
    for (Problem p :
        new EcsServiceValidator()
            .validate(copy(c.service()), CanonicalTaskDefinition.of(copy(c.task())).spec())) {
      out.add(new Problem("Service spec." + p.path(), p.reason(), p.message()));
    }
    return out;
  }

  /** The class of a refusal: the path with list indexes as [*], and the reason. */
  static String refusalClass(Problem p) {
    return p.path().replaceAll("\\[[^\\]]*]", "[*]") + " " + p.reason();
  }

  // ---------------------------------------------------------------------------- rendering

  /** What the kubernetes backend renders for a case: its objects, warnings and refusals. */
  record Rendered(
      List<HasMetadata> objects, List<StatusWarning> warnings, List<Problem> refusals) {}

  /** The ExternalSecret version rendered for: the test ground serves the v1 CRD. */
  static final String EXTERNAL_SECRET_API_VERSION = "external-secrets.io/v1";

  /**
   * Everything the kubernetes backend would create for the case: {@link ServiceChildren#desired},
   * the one function the operator's apply path and {@code tidewater render} both call, with a
   * revision as the operator stores it (the normal form) and the External Secrets Operator
   * installed.
   */
  static Rendered render(GeneratedCase c, String namespace, boolean podLevelResources) {
    EcsService service = new EcsService();
    service.setMetadata(
        new ObjectMetaBuilder()
            .withName(SERVICE_NAME)
            .withNamespace(namespace)
            .withUid("00000000-0000-0000-0000-000000000001")
            .build());
    service.setSpec(copy(c.service()));
    TaskDefinitionSpec task = copy(c.task());
    String serviceAccount = task.taskRoleRef == null ? null : task.taskRoleRef.name;
    ServiceChildren.Desired d =
        ServiceChildren.desired(
            new ServiceChildren.Inputs(
                service,
                c.cluster() == null ? null : copy(c.cluster()),
                new ServicePlan(
                    1,
                    CanonicalTaskDefinition.of(task).spec(),
                    WorkloadGenerator.TASK_DEFINITION_NAME,
                    serviceAccount),
                podLevelResources,
                EXTERNAL_SECRET_API_VERSION,
                null));
    return new Rendered(d.objects(), d.warnings(), d.allRefusals());
  }

  /** The pod template of the rendered workload, or null when nothing was rendered. */
  static PodTemplateSpec template(Rendered d) {
    for (HasMetadata o : d.objects()) {
      if (o instanceof Deployment dep) return dep.getSpec().getTemplate();
      if (o instanceof DaemonSet ds) return ds.getSpec().getTemplate();
    }
    return null;
  }

  // ---------------------------------------------------------------------------- invariants

  /**
   * The invariants of one rendering: resources add up (pod-level mode: containers within the pod's
   * requests and limits; split mode: long-running containers' requests equal the task size), and
   * every warning names a field the user set, by a container / volume that exists.
   */
  static List<Finding> invariants(GeneratedCase c, Rendered d, boolean podLevel) {
    List<Finding> out = new ArrayList<>();
    String mode = podLevel ? "pod-level" : "split";
    PodTemplateSpec t = template(d);
    if (t != null) {
      resources(c, t.getSpec(), podLevel, mode, out);
    }
    warningPaths(c, d.warnings(), mode, out);
    notMappedFieldsWarned(c, d.warnings(), mode, out);
    serviceFieldsWarned(c, d.warnings(), mode, out);
    return out;
  }

  private static void resources(
      GeneratedCase c, PodSpec pod, boolean podLevel, String mode, List<Finding> out) {
    Integer taskCpu = parse(c.task().cpu, true);
    Integer taskMemory = parse(c.task().memory, false);
    List<Container> init = pod.getInitContainers() == null ? List.of() : pod.getInitContainers();
    List<Container> regular = pod.getContainers();
    for (String resource : List.of("cpu", "memory")) {
      if (podLevel) {
        BigDecimal podRequest = amount(pod.getResources(), true, resource);
        BigDecimal podLimit = amount(pod.getResources(), false, resource);
        if (podRequest != null) {
          BigDecimal aggregate = aggregateRequests(init, regular, resource);
          if (aggregate.compareTo(podRequest) > 0) {
            out.add(
                new Finding(
                    mode + ": aggregate container " + resource + " requests exceed the pod's",
                    "containers "
                        + show(aggregate, resource)
                        + " > pod "
                        + show(podRequest, resource)
                        + " (task "
                        + (resource.equals("cpu") ? c.task().cpu : c.task().memory)
                        + ")"));
          }
        }
        if (podLimit != null) {
          for (Container k : concat(init, regular)) {
            BigDecimal limit = amount(k.getResources(), false, resource);
            if (limit != null && limit.compareTo(podLimit) > 0) {
              out.add(
                  new Finding(
                      mode + ": a container " + resource + " limit exceeds the pod's",
                      k.getName()
                          + " "
                          + show(limit, resource)
                          + " > "
                          + show(podLimit, resource)));
            }
          }
        }
      } else {
        Integer task = resource.equals("cpu") ? taskCpu : taskMemory;
        if (task == null) continue;
        BigDecimal expected =
            resource.equals("cpu")
                ? BigDecimal.valueOf(EcsUnits.unitsToMillicores(task))
                : BigDecimal.valueOf(task);
        BigDecimal sum = BigDecimal.ZERO;
        // a request never passes its container's limit: when every long-running container has
        // one (its own hard memory), together they may hold less than the task
        BigDecimal limits = BigDecimal.ZERO;
        for (Container k : longRunning(init, regular)) {
          BigDecimal v = amount(k.getResources(), true, resource);
          if (v != null) sum = sum.add(v);
          BigDecimal limit = amount(k.getResources(), false, resource);
          limits = limits == null || limit == null ? null : limits.add(limit);
        }
        if (limits != null) expected = expected.min(limits);
        int cmp = sum.compareTo(expected);
        if (cmp != 0) {
          out.add(
              new Finding(
                  mode
                      + ": long-running containers' "
                      + resource
                      + " requests "
                      + (cmp > 0 ? "exceed" : "fall short of")
                      + " the task size",
                  show(sum, resource) + " vs task " + show(expected, resource)));
        }
      }
    }
  }

  /**
   * The pod's effective request as Kubernetes computes it for pod-level resources: the long-running
   * containers (regular and sidecars) together, or an init container plus the sidecars started
   * before it, whichever is larger.
   */
  static BigDecimal aggregateRequests(
      List<Container> init, List<Container> regular, String resource) {
    BigDecimal sidecars = BigDecimal.ZERO;
    BigDecimal initPeak = BigDecimal.ZERO;
    for (Container k : init) {
      BigDecimal v = orZero(amount(k.getResources(), true, resource));
      if ("Always".equals(k.getRestartPolicy())) {
        sidecars = sidecars.add(v);
      } else {
        initPeak = initPeak.max(sidecars.add(v));
      }
    }
    BigDecimal steady = sidecars;
    for (Container k : regular)
      steady = steady.add(orZero(amount(k.getResources(), true, resource)));
    return steady.max(initPeak);
  }

  private static List<Container> longRunning(List<Container> init, List<Container> regular) {
    List<Container> out = new ArrayList<>();
    init.stream().filter(k -> "Always".equals(k.getRestartPolicy())).forEach(out::add);
    out.addAll(regular);
    return out;
  }

  private static List<Container> concat(List<Container> a, List<Container> b) {
    List<Container> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** cpu in millicores, memory in MiB; null when not set. */
  private static BigDecimal amount(
      io.fabric8.kubernetes.api.model.ResourceRequirements r, boolean request, String resource) {
    if (r == null) return null;
    Map<String, Quantity> m = request ? r.getRequests() : r.getLimits();
    if (m == null || !m.containsKey(resource)) return null;
    BigDecimal base = Quantity.getAmountInBytes(m.get(resource));
    return resource.equals("cpu")
        ? base.multiply(BigDecimal.valueOf(1000)).stripTrailingZeros()
        : base.divide(BigDecimal.valueOf(1024 * 1024)).stripTrailingZeros();
  }

  private static BigDecimal orZero(BigDecimal v) {
    return v == null ? BigDecimal.ZERO : v;
  }

  private static String show(BigDecimal v, String resource) {
    return v.toPlainString() + (resource.equals("cpu") ? "m" : "Mi");
  }

  private static Integer parse(String value, boolean cpu) {
    if (value == null || value.isBlank()) return null;
    return cpu ? EcsUnits.parseTaskCpu(value) : EcsUnits.parseTaskMemory(value);
  }

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9]+)(?:\\[([^\\]]+)])?");

  /**
   * Every warning's field resolves in the user's spec to something set: a container or volume named
   * (or indexed) as the user wrote it, and a field of it that is not empty.
   */
  private static void warningPaths(
      GeneratedCase c, List<StatusWarning> warnings, String mode, List<Finding> out) {
    JsonNode spec = SERIALIZATION.convertValue(c.task(), JsonNode.class);
    JsonNode serviceSpec = SERIALIZATION.convertValue(c.service(), JsonNode.class);
    for (StatusWarning w : warnings) {
      // a Service's warnings name fields of its revision's spec or of its own
      String problem = unresolved(spec, w.field());
      if (problem != null && unresolved(serviceSpec, w.field()) == null) {
        problem = null;
      }
      if (problem != null && absentSizeOfASnapshotVolume(serviceSpec, w.field())) {
        // the one warning on an absent field, as the mapping table documents it: a managed EBS
        // volume from a snapshot without sizeInGiB keeps its emptyDir placeholder
        problem = null;
      }
      if (problem != null) {
        out.add(
            new Finding(
                mode + ": warning path does not name a field the user set (" + w.reason() + ")",
                w.field() + ": " + problem));
      }
    }
  }

  private static final Pattern EBS_SIZE =
      Pattern.compile("(volumeConfigurations\\[[^\\]]+]\\.managedEBSVolume)\\.sizeInGiB");

  private static boolean absentSizeOfASnapshotVolume(JsonNode serviceSpec, String path) {
    Matcher m = EBS_SIZE.matcher(path);
    if (!m.matches()) return false;
    JsonNode ebs = resolve(serviceSpec, m.group(1));
    return ebs != null
        && ebs.path("sizeInGiB").isMissingNode()
        && !ebs.path("snapshotId").asText("").isBlank();
  }

  /** Why {@code path} does not resolve to a set value of {@code spec}; null when it does. */
  static String unresolved(JsonNode spec, String path) {
    JsonNode node = resolve(spec, path);
    if (node == null) return "no such element";
    if (node.isMissingNode() || node.isNull()) return "not set";
    return null;
  }

  /** The node at a warning path; list elements by index or by their {@code name}. */
  static JsonNode resolve(JsonNode spec, String path) {
    JsonNode node = spec;
    for (String part : path.split("\\.(?![^\\[]*])")) {
      Matcher m = SEGMENT.matcher(part);
      if (!m.matches()) return null;
      node = node.path(m.group(1));
      if (m.group(2) != null) {
        if (!node.isArray()) return null;
        String key = m.group(2);
        JsonNode found = null;
        if (key.matches("\\d+")) {
          int i = Integer.parseInt(key);
          found = i < node.size() ? node.get(i) : null;
        } else {
          for (JsonNode e : node) {
            if (key.equals(e.path("name").asText(null))) found = e;
          }
        }
        if (found == null) return null;
        node = found;
      }
    }
    return node;
  }

  /**
   * A field the mapping table calls "not mapped", set to something other than its ECS default, has
   * a warning on it, on an enclosing field, or on a sibling in the same object (the renderer warns
   * once per object for families such as a Docker volume's driver settings).
   */
  private static void notMappedFieldsWarned(
      GeneratedCase c, List<StatusWarning> warnings, String mode, List<Finding> out) {
    JsonNode spec = SERIALIZATION.convertValue(c.task(), JsonNode.class);
    List<String> warned = new ArrayList<>();
    for (StatusWarning w : warnings) warned.add(instancePath(spec, w.field()));
    Map<String, String> table = MappingTable.outcomes();
    List<String[]> set = new ArrayList<>();
    walk(spec, "", "", set);
    for (String[] f : set) {
      String instance = f[0];
      String generic = f[1];
      if (!"not mapped".equals(table.get(generic))) continue;
      if (exempt(spec, instance, generic)) continue;
      String parent =
          instance.contains(".") ? instance.substring(0, instance.lastIndexOf('.')) : "";
      boolean covered =
          warned.stream()
              .anyMatch(
                  w ->
                      w.equals(instance)
                          || instance.startsWith(w + ".")
                          || instance.startsWith(w + "[")
                          || w.startsWith(instance + ".")
                          || w.startsWith(instance + "[")
                          || (!parent.isEmpty() && w.startsWith(parent + ".")));
      if (!covered) {
        out.add(new Finding(mode + ": not-mapped field without a warning: " + generic, instance));
      }
    }
  }

  /**
   * The Service half of {@link #notMappedFieldsWarned}: every Service field the mapping table's
   * "Service field by field" part calls "not mapped", and the "approximated" (or mapped) ones whose
   * warning condition is simple to evaluate (see {@link #serviceWarnable}), set by the case to
   * something other than its ECS default, has a warning of the table's reason on the field itself,
   * on an enclosing field or on a field inside it. Unlike the TaskDefinition check a sibling's
   * warning does not count: the Service's warnings are one per family, at its root.
   */
  private static void serviceFieldsWarned(
      GeneratedCase c, List<StatusWarning> warnings, String mode, List<Finding> out) {
    JsonNode spec = SERIALIZATION.convertValue(c.service(), JsonNode.class);
    Map<String, MappingTable.Row> table = MappingTable.serviceRows();
    for (String[] f : serviceFieldsToWarn(c)) {
      String instance = f[0];
      String generic = f[1];
      MappingTable.Row row = table.get(generic);
      boolean covered =
          warnings.stream()
              .filter(w -> row.reason().isEmpty() || row.reason().equals(w.reason()))
              .map(w -> instancePath(spec, w.field()))
              .anyMatch(
                  w ->
                      w.equals(instance)
                          || instance.startsWith(w + ".")
                          || instance.startsWith(w + "[")
                          || w.startsWith(instance + ".")
                          || w.startsWith(instance + "[")
                          || coveredElsewhere(generic, w));
      if (!covered) {
        out.add(
            new Finding(
                mode
                    + ": Service field without a warning: "
                    + generic
                    + " ("
                    + row.outcome()
                    + (row.reason().isEmpty() ? "" : ", " + row.reason())
                    + ")",
                instance));
      }
    }
  }

  /** The Service fields of a case that must warn: {instance path, generic path}. */
  static List<String[]> serviceFieldsToWarn(GeneratedCase c) {
    JsonNode spec = SERIALIZATION.convertValue(c.service(), JsonNode.class);
    JsonNode cluster =
        c.cluster() == null ? null : SERIALIZATION.convertValue(c.cluster(), JsonNode.class);
    Map<String, MappingTable.Row> table = MappingTable.serviceRows();
    List<String[]> set = new ArrayList<>();
    walk(spec, "", "", set);
    List<String[]> out = new ArrayList<>();
    for (String[] f : set) {
      MappingTable.Row row = table.get(f[1]);
      if (row != null && serviceWarnable(spec, cluster, f[0], f[1], row)) out.add(f);
    }
    return out;
  }

  /**
   * Where the table puts a field's warning on another field: linear and canary settings are "used
   * only by LINEAR (CANARY), which warns" on {@code deploymentConfiguration.strategy}.
   */
  private static boolean coveredElsewhere(String generic, String warned) {
    return (generic.startsWith("deploymentConfiguration.linearConfiguration")
            || generic.startsWith("deploymentConfiguration.canaryConfiguration"))
        && warned.equals("deploymentConfiguration.strategy");
  }

  /**
   * Whether a set Service field must warn. "not mapped" fields must, except where the table or the
   * doc's rule "a field equal to the ECS default never warns" says otherwise:
   *
   * <ul>
   *   <li>{@code alarms.*} while {@code alarms.enable} is not true, {@code
   *       serviceConnectConfiguration.*} while {@code enabled} is not true (the table: these do not
   *       warn);
   *   <li>{@code capacityProviderStrategy[].weight} of a lone provider (there is nothing to split)
   *       and {@code base: 0} (the ECS default);
   *   <li>{@code bakeTimeInMinutes: 0} (no bake time, as when absent);
   *   <li>{@code linearConfiguration} / {@code canaryConfiguration} unless the strategy is LINEAR /
   *       CANARY (ECS does not use them then).
   * </ul>
   *
   * <p>"approximated" fields and "mapped" ones with a warning reason must warn only under the
   * table's condition, evaluated here where it is simple: cooldowns outside the HPA's limits
   * (scale-out 15-1800 s, scale-in at most 3600 s; absent is 300 s, within both), {@code minTasks:
   * 0}, a strategy other than ROLLING, a deployment controller other than ECS, binpack (a DAEMON
   * service's strategies are refused by the validator), a capacity provider strategy with several
   * providers, a base or FARGATE_SPOT, and a managed EBS {@code volumeType} the Cluster's {@code
   * storage.ebsStorageClassByVolumeType} has no entry for. Not evaluated (left to the unit tests of
   * the renderer): {@code placementStrategy[].field} of a spread (whether {@code attribute:NAME}
   * has a node label needs the constraint vocabulary), {@code placementConstraints} (the same), and
   * {@code managedEBSVolume}, {@code sizeInGiB} (they warn when absent, which the walk cannot see).
   */
  private static boolean serviceWarnable(
      JsonNode spec, JsonNode cluster, String instance, String generic, MappingTable.Row row) {
    if (generic.startsWith("deploymentConfiguration.alarms")) {
      return spec.path("deploymentConfiguration").path("alarms").path("enable").asBoolean(false)
          && row.outcome().equals("not mapped");
    }
    if (generic.startsWith("serviceConnectConfiguration")) {
      return spec.path("serviceConnectConfiguration").path("enabled").asBoolean(false);
    }
    String strategy = spec.path("deploymentConfiguration").path("strategy").asText("ROLLING");
    if (generic.startsWith("deploymentConfiguration.linearConfiguration")) {
      return strategy.equals("LINEAR");
    }
    if (generic.startsWith("deploymentConfiguration.canaryConfiguration")) {
      return strategy.equals("CANARY");
    }
    JsonNode value = resolve(spec, instance);
    switch (generic) {
      case "capacityProviderStrategy[].weight":
        return spec.path("capacityProviderStrategy").size() > 1;
      case "capacityProviderStrategy[].base":
        return value.asInt(0) > 0;
      case "deploymentConfiguration.bakeTimeInMinutes":
        return value.asInt(0) > 0;
      case "capacityProviderStrategy":
      case "capacityProviderStrategy[].capacityProvider":
        {
          JsonNode items = spec.path("capacityProviderStrategy");
          boolean several = items.size() > 1;
          boolean base = false;
          boolean spot = false;
          for (JsonNode it : items) {
            base |= it.path("base").asInt(0) > 0;
            spot |= "FARGATE_SPOT".equals(it.path("capacityProvider").asText());
          }
          return generic.equals("capacityProviderStrategy")
              ? several || base || spot
              : "FARGATE_SPOT".equals(value.asText());
        }
      case "autoscaling.scaleOutCooldownSeconds":
        return value.asInt() < 15 || value.asInt() > 1800;
      case "autoscaling.scaleInCooldownSeconds":
        return value.asInt() > 3600;
      case "autoscaling.minTasks":
        return value.asInt() == 0;
      case "deploymentConfiguration.strategy":
        return !"ROLLING".equals(value.asText());
      case "deploymentController":
      case "deploymentController.type":
        return !"ECS".equals(spec.path("deploymentController").path("type").asText("ECS"));
      case "placementStrategy[].type":
        return "binpack".equals(value.asText());
      case "placementStrategy[].field":
        {
          JsonNode ps = resolve(spec, instance.substring(0, instance.lastIndexOf('.')));
          return ps != null && "binpack".equals(ps.path("type").asText());
        }
      case "volumeConfigurations[].managedEBSVolume.volumeType":
        {
          JsonNode byType =
              cluster == null ? null : cluster.path("storage").path("ebsStorageClassByVolumeType");
          String mapped = byType == null ? "" : byType.path(value.asText().strip()).asText("");
          return mapped.isBlank();
        }
      default:
        return row.outcome().equals("not mapped");
    }
  }

  /** Values that do not change what ECS does, which the renderer rightly does not warn about. */
  private static boolean exempt(JsonNode spec, String instance, String generic) {
    if (generic.startsWith("containerDefinitions[].restartPolicy.")) {
      // ignored exit codes and the attempt period mean nothing while restarts are off
      JsonNode rp = resolve(spec, instance.substring(0, instance.lastIndexOf('.')));
      return rp == null || !rp.path("enabled").asBoolean(false);
    }
    if (generic.equals("volumes[].dockerVolumeConfiguration.driver")) {
      return "local".equals(resolve(spec, instance).asText());
    }
    return false;
  }

  /** A warning path with names replaced by the user's indexes, for comparison with walk paths. */
  private static String instancePath(JsonNode spec, String path) {
    StringBuilder out = new StringBuilder();
    JsonNode node = spec;
    for (String part : path.split("\\.(?![^\\[]*])")) {
      Matcher m = SEGMENT.matcher(part);
      if (!m.matches()) return path;
      if (out.length() > 0) out.append('.');
      out.append(m.group(1));
      node = node == null ? null : node.path(m.group(1));
      if (m.group(2) != null) {
        String key = m.group(2);
        int index = -1;
        if (key.matches("\\d+")) {
          index = Integer.parseInt(key);
        } else if (node != null && node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            if (key.equals(node.get(i).path("name").asText(null))) index = i;
          }
        }
        out.append('[').append(index < 0 ? key : Integer.toString(index)).append(']');
        node = node != null && index >= 0 && node.isArray() ? node.get(index) : null;
      }
    }
    return out.toString();
  }

  /** Every set, non-default field: {instance path, generic path}. */
  private static void walk(JsonNode node, String instance, String generic, List<String[]> out) {
    if (node == null || node.isNull() || node.isMissingNode()) return;
    if (node.isBoolean() && !node.asBoolean()) return;
    if (node.isTextual() && node.asText().isEmpty()) return;
    if ((node.isArray() || node.isObject()) && node.isEmpty()) return;
    if (!instance.isEmpty()) out.add(new String[] {instance, generic});
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), instance + "[" + i + "]", generic + "[]", out);
      }
    } else if (node.isObject() && !isMapField(generic)) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        String dot = instance.isEmpty() ? "" : ".";
        walk(node.get(f), instance + dot + f, generic + dot + f, out);
      }
    }
  }

  private static boolean isMapField(String generic) {
    return generic.endsWith("dockerLabels")
        || generic.endsWith("options")
        || generic.endsWith("driverOpts")
        || generic.endsWith("labels");
  }

  /**
   * The outcome of every TaskDefinition field in docs/kubernetes-mapping.md ("mapped", "not
   * mapped", ...), keyed by its generic path ({@code containerDefinitions[].ulimits}).
   */
  static final class MappingTable {
    private static Map<String, String> outcomes;
    private static Map<String, Row> serviceRows;

    /** A row of the Service table: its outcome and warning reason (empty when none). */
    record Row(String outcome, String reason) {}

    /**
     * The Service part of docs/kubernetes-mapping.md: the rows of its "Service field by field"
     * table (field | outcome | in Kubernetes | reason), keyed by the field's generic path.
     */
    static synchronized Map<String, Row> serviceRows() {
      if (serviceRows == null) {
        Map<String, Row> m = new LinkedHashMap<>();
        Pattern row =
            Pattern.compile("^\\| `([^`]+)` \\| ([a-z ]+) \\|.*\\| *([A-Za-z]*) *\\|\\s*$");
        boolean service = false;
        boolean table = false;
        try {
          for (String line : Files.readAllLines(Path.of("docs", "kubernetes-mapping.md"))) {
            if (line.startsWith("# From an ECS Service")) service = true;
            if (!service) continue;
            if (line.startsWith("## ")) table = line.startsWith("## Service field by field");
            if (!table) continue;
            Matcher x = row.matcher(line);
            if (x.find()) m.put(x.group(1), new Row(x.group(2).strip(), x.group(3).strip()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (m.size() < 50 || !m.containsKey("loadBalancers")) {
          throw new IllegalStateException(
              "the Service field table of docs/kubernetes-mapping.md was not found: " + m.keySet());
        }
        serviceRows = m;
      }
      return serviceRows;
    }

    static synchronized Map<String, String> outcomes() {
      if (outcomes == null) {
        Map<String, String> m = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([^`]+)` \\| ([a-z ]+) \\|");
        try {
          for (String line : Files.readAllLines(Path.of("docs", "kubernetes-mapping.md"))) {
            // the TaskDefinition part only: the Service part's rows name Service fields
            if (line.startsWith("# From an ECS Service")) break;
            Matcher x = row.matcher(line);
            if (x.find()) m.put(x.group(1), x.group(2).strip());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        outcomes = m;
      }
      return outcomes;
    }
  }

  // ---------------------------------------------------------------------------- printing

  /** The case as the YAML a user would apply (Cluster, TaskDefinition, Service). */
  static String yaml(GeneratedCase c) {
    var cluster = new dev.tidewater.api.v1alpha1.cluster.Cluster();
    cluster.setMetadata(new ObjectMetaBuilder().withName("default").build());
    cluster.setSpec(c.cluster());
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder().withName(WorkloadGenerator.TASK_DEFINITION_NAME).build());
    td.setSpec(c.task());
    EcsService s = new EcsService();
    s.setMetadata(new ObjectMetaBuilder().withName(SERVICE_NAME).build());
    s.setSpec(c.service());
    return "# seed "
        + c.seed()
        + (c.strictGuardrails() ? " (strict guardrails)" : "")
        + "\n"
        + SERIALIZATION.asYaml(cluster)
        + SERIALIZATION.asYaml(td)
        + SERIALIZATION.asYaml(s);
  }

  // ---------------------------------------------------------------------------- copies

  static TaskDefinitionSpec copy(TaskDefinitionSpec s) {
    return SERIALIZATION.clone(s);
  }

  static EcsServiceSpec copy(EcsServiceSpec s) {
    return SERIALIZATION.clone(s);
  }

  static ClusterSpec copy(ClusterSpec s) {
    return SERIALIZATION.clone(s);
  }

  static GeneratedCase withSpecs(GeneratedCase c, TaskDefinitionSpec task, EcsServiceSpec service) {
    return new GeneratedCase(c.seed(), task, service, c.cluster(), c.strictGuardrails(), c.shape());
  }

  static boolean sameCase(GeneratedCase a, GeneratedCase b) {
    return Objects.equals(
        SERIALIZATION.asJson(a.task()) + SERIALIZATION.asJson(a.service()),
        SERIALIZATION.asJson(b.task()) + SERIALIZATION.asJson(b.service()));
  }
}
