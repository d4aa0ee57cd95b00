package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.cluster.LaunchTypePlacement;
import dev.tidewater.api.v1alpha1.cluster.NodePlacement;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerRestartPolicy;
import dev.tidewater.api.v1alpha1.taskdefinition.DockerVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.EfsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.api.v1alpha1.taskdefinition.HostEntry;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.MountPoint;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionPlacementConstraint;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Tmpfs;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.api.v1alpha1.taskdefinition.VolumeFrom;
import dev.tidewater.backend.kubernetes.KubeletExpansion;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.render.ContainerStartOrder.Role;
import dev.tidewater.model.EcsUnits;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a task definition revision as a Kubernetes pod template (pure).
 *
 * <p>Every field of the task definition is either mapped, approximated with a warning, refused
 * (guardrails) or documented as not applicable; docs/kubernetes-mapping.md has the full table and
 * the reasons ({@link MappingReasons}). The caller adds labels, selectors, owner references and the
 * workload around the template.
 */
public final class PodTemplateRenderer {

  /**
   * What to render: the revision's spec (already canonical: defaults filled), the launch type the
   * Service asks for ("FARGATE", "EC2", "EXTERNAL" or null = from requiresCompatibilities, first of
   * FARGATE/EC2), the Cluster spec (null = defaults: no placement, strict guardrails), whether the
   * API server supports pod-level resources (spec.resources on the Pod, Kubernetes >= 1.34 beta),
   * the ServiceAccount of the task role (null = none), whether the External Secrets Operator's
   * ExternalSecret kind is installed, and the name of the Secret(s) an ExternalSecret fills for
   * this workload (the base name: {@code -ssm} / {@code -sm} are appended when the task reads both
   * SSM and Secrets Manager).
   */
  public record Input(
      TaskDefinitionSpec task,
      String launchType,
      ClusterSpec cluster,
      boolean podLevelResources,
      String serviceAccountName,
      boolean externalSecrets,
      String externalSecretName) {

    /** An input for a cluster without the External Secrets Operator. */
    public Input(
        TaskDefinitionSpec task,
        String launchType,
        ClusterSpec cluster,
        boolean podLevelResources,
        String serviceAccountName) {
      this(task, launchType, cluster, podLevelResources, serviceAccountName, false, null);
    }
  }

  /**
   * The template, warnings for what was accepted but approximated or dropped, refusals (guardrail
   * violations) that must stop the rollout, and the entries of the ExternalSecrets the template's
   * secretKeyRefs read from (empty unless {@link Input#externalSecrets()}).
   */
  public record Result(
      PodTemplateSpec template,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      List<ExternalSecretEntry> externalSecrets) {}

  /**
   * One key of an ExternalSecret's target Secret: where the External Secrets Operator reads it
   * ({@code storeKind} "ParameterStore" or "SecretsManager", {@code remoteKey}, the JSON {@code
   * property} and {@code version} of a Secrets Manager reference, null when absent). Only
   * references, never values.
   */
  public record ExternalSecretEntry(
      String target,
      String secretKey,
      String remoteKey,
      String property,
      String version,
      String storeKind) {}

  /** The {@code storeKind} of an SSM Parameter Store entry. */
  public static final String PARAMETER_STORE = "ParameterStore";

  /** The {@code storeKind} of a Secrets Manager entry. */
  public static final String SECRETS_MANAGER = "SecretsManager";

  /** The ExternalSecret (and target Secret) name of a workload's ECS secrets. */
  public static String externalSecretBaseName(String workload) {
    return KubernetesNames.dnsSubdomain(workload + "-ecs-secrets");
  }

  /** Prefix of the pod annotations that carry the containers' Docker labels. */
  public static final String DOCKER_LABEL_ANNOTATION_PREFIX = "ecs.tidewater.dev/docker-label.";

  private static final String DOCKER_LABEL_NAME_PREFIX = "docker-label.";

  /** The {@code valueFrom} prefix of a secret read from a Kubernetes Secret (Tidewater only). */
  public static final String K8S_SECRET_PREFIX = "k8s:secret/";

  /** ECS's and Kubernetes' default stop timeout / termination grace period, in seconds. */
  public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 30;

  /** The extended resource GPUs are requested as (NVIDIA device plugin). */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  static final String ARCH_LABEL = "kubernetes.io/arch";
  static final String OS_LABEL = "kubernetes.io/os";

  private static final Pattern NUMERIC = Pattern.compile("[0-9]+");
  // "<key>" and "<prefix>/<key>" annotation name part: 63 characters, alphanumerics at the ends.
  private static final Pattern ANNOTATION_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  // A Secrets Manager ARN ends with "-" and six random characters that are not part of the name.
  private static final Pattern SECRETS_MANAGER_ARN =
      Pattern.compile("arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(-[A-Za-z0-9]{6})?");
  private static final Pattern SELINUX_LABEL =
      Pattern.compile("label[:=](user|role|type|level):(.+)");
  private static final Pattern SSM_PARAMETER_ARN =
      Pattern.compile("arn:[^:]+:ssm:[^:]*:[^:]*:parameter/+(.+)");
  // A Secret's data keys: alphanumerics, '-', '_' and '.'.
  private static final Pattern SECRET_KEY_OUTSIDE = Pattern.compile("[^-._a-zA-Z0-9]");
  private static final Pattern SSM_ARN =
      Pattern.compile("arn:[^:]+:ssm:[^:]*:[^:]*:parameter/?(.+)");

  /** Renders {@code in}; never throws for a spec the schema admits. */
  public Result render(Input in) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(in.task(), "in.task");
    return new Rendering(in).run();
  }

  /** The state of one render: what is being built, and what was said about it. */
  private static final class Rendering {
    private final Input in;
    private final TaskDefinitionSpec task;
    private final Guardrails guardrails;
    private final LaunchTypePlacement placement;
    private final List<StatusWarning> warnings = new ArrayList<>();
    private final List<Problem> refusals = new ArrayList<>();
    private final PodSpec pod = new PodSpec();
    private final List<ContainerDefinition> defs;
    private final String launchType;
    private final String networkMode;
    private final boolean windows;
    private final Set<String> volumeNames = new HashSet<>();
    private final List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>();
    private final Map<String, String> volumeNameByEcsName = new HashMap<>();
    private final Map<String, String> efsSubPathByEcsName = new HashMap<>();
    private final Map<String, String> annotations = new TreeMap<>();
    private final Map<String, String> labelOrigin = new HashMap<>();
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private final List<Toleration> tolerations = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Set<String> portNames = new HashSet<>();
    private final Map<String, ExternalSecretEntry> externalEntries = new LinkedHashMap<>();
    private String[] containerNames;

    Rendering(Input in) {
      this.in = in;
      this.task = in.task();
      ClusterSpec cluster = in.cluster();
      this.guardrails =
          cluster == null || cluster.guardrails == null ? new Guardrails() : cluster.guardrails;
      this.placement = cluster == null ? null : cluster.placement;
      this.defs = task.containerDefinitions == null ? List.of() : task.containerDefinitions;
      this.launchType = launchType(in.launchType(), task.requiresCompatibilities);
      this.windows =
          task.runtimePlatform != null
              && task.runtimePlatform.operatingSystemFamily != null
              && task.runtimePlatform
                  .operatingSystemFamily
                  .toUpperCase(Locale.ROOT)
                  .startsWith("WINDOWS");
      String mode = blankToNull(task.networkMode);
      this.networkMode = mode == null ? ("FARGATE".equals(launchType) ? "awsvpc" : "bridge") : mode;
    }

    Result run() {
      if (defs.isEmpty()) {
        refuse(
            "containerDefinitions",
            MappingReasons.NO_CONTAINERS,
            "the task has no containers; ECS and Kubernetes need at least one");
      }
      containerNames = containerNames();
      ContainerStartOrder order = ContainerStartOrder.of(defs, warnings, refusals);

      network();
      renderVolumes();
      List<List<VolumeMount>> mounts = mounts();
      TaskResources resources = taskResources(order);

      Container[] rendered = new Container[defs.size()];
      for (int i = 0; i < defs.size(); i++) {
        rendered[i] = container(i, order, mounts.get(i), resources);
      }
      List<Container> init = new ArrayList<>();
      order.initOrder().forEach(i -> init.add(rendered[i]));
      List<Container> regular = new ArrayList<>();
      order.containerOrder().forEach(i -> regular.add(rendered[i]));
      pod.setInitContainers(init);
      pod.setContainers(regular);
      pod.setVolumes(volumes);

      podLevel();
      placement();
      pod.setServiceAccountName(blankToNull(in.serviceAccountName()));
      // ECS injects no <SERVICE>_SERVICE_HOST variables; they could also shadow the task's env.
      pod.setEnableServiceLinks(false);

      if (!sysctls.isEmpty()) {
        PodSecurityContext psc = new PodSecurityContext();
        List<Sysctl> list = new ArrayList<>();
        sysctls.forEach((k, v) -> list.add(new Sysctl(k, v)));
        psc.setSysctls(list);
        pod.setSecurityContext(psc);
      }
      if (!nodeSelector.isEmpty()) {
        pod.setNodeSelector(nodeSelector);
      }
      if (!tolerations.isEmpty()) {
        pod.setTolerations(tolerations);
      }

      PodTemplateSpec template = new PodTemplateSpec();
      if (!annotations.isEmpty()) {
        ObjectMeta meta = new ObjectMeta();
        meta.setAnnotations(annotations);
        template.setMetadata(meta);
      }
      template.setSpec(pod);
      return new Result(
          template,
          List.copyOf(warnings),
          List.copyOf(refusals),
          List.copyOf(externalEntries.values()));
    }

    // ---------------------------------------------------------------- names

    private String[] containerNames() {
      String[] names = new String[defs.size()];
      Set<String> used = new HashSet<>();
      for (int i = 0; i < defs.size(); i++) {
        String ecs = defs.get(i).name == null ? "container-" + i : defs.get(i).name;
        String name = KubernetesNames.dnsLabel(ecs);
        for (int attempt = 0; used.contains(name); attempt++) {
          name = KubernetesNames.hashedDnsLabel(ecs, attempt);
        }
        used.add(name);
        names[i] = name;
        if (defs.get(i).name != null && !name.equals(ecs)) {
          warn(
              c(i) + ".name",
              MappingReasons.CONTAINER_NAME_SANITIZED,
              "container \""
                  + ecs
                  + "\" is named \""
                  + name
                  + "\" in the pod: Kubernetes container names are DNS labels (lower case, digits,"
                  + " '-')");
        }
      }
      return names;
    }

    private String volumeName(String base) {
      String name = KubernetesNames.dnsLabel(base);
      for (int attempt = 0; volumeNames.contains(name); attempt++) {
        name = KubernetesNames.hashedDnsLabel(base, attempt);
      }
      volumeNames.add(name);
      return name;
    }

    // ---------------------------------------------------------------- network and pod-wide

    private void network() {
      switch (networkMode) {
        case "awsvpc", "bridge" -> {}
        case "host" -> {
          if (!isTrue(guardrails.allowHostNetwork)) {
            refuse(
                "networkMode",
                MappingReasons.HOST_NETWORK_NOT_ALLOWED,
                "networkMode host needs hostNetwork, which the Cluster's guardrails do not allow"
                    + " (guardrails.allowHostNetwork)");
          }
          pod.setHostNetwork(true);
        }
        case "none" ->
            warn(
                "networkMode",
                MappingReasons.NETWORK_MODE_NONE_NOT_MAPPED,
                "a pod always has a network interface; networkMode none is not enforced");
        default ->
            warn(
                "networkMode",
                MappingReasons.NETWORK_MODE_APPROXIMATED,
                "networkMode \"" + networkMode + "\" is treated as bridge");
      }
      String pidMode = blankToNull(task.pidMode);
      if ("task".equals(pidMode)) {
        pod.setShareProcessNamespace(true);
      } else if ("host".equals(pidMode)) {
        if (!isTrue(guardrails.allowPrivileged)) {
          refuse(
              "pidMode",
              MappingReasons.HOST_PID_NOT_ALLOWED,
              "pidMode host needs hostPID, which only guardrails.allowPrivileged allows");
        }
        pod.setHostPID(true);
      }
      String ipcMode = blankToNull(task.ipcMode);
      if ("host".equals(ipcMode)) {
        if (!isTrue(guardrails.allowPrivileged)) {
          refuse(
              "ipcMode",
              MappingReasons.HOST_IPC_NOT_ALLOWED,
              "ipcMode host needs hostIPC, which only guardrails.allowPrivileged allows");
        }
        pod.setHostIPC(true);
      } else if ("none".equals(ipcMode)) {
        warn(
            "ipcMode",
            MappingReasons.IPC_MODE_NONE_NOT_MAPPED,
            "containers of a pod share one IPC namespace; ipcMode none is not enforced");
      }
      if (task.proxyConfiguration != null) {
        warn(
            "proxyConfiguration",
            MappingReasons.PROXY_CONFIGURATION_NOT_MAPPED,
            "the App Mesh proxy container runs, but no traffic is redirected through it (no"
                + " iptables init); use a service mesh's own injection on Kubernetes");
      }
      if (task.inferenceAccelerators != null && !task.inferenceAccelerators.isEmpty()) {
        warn(
            "inferenceAccelerators",
            MappingReasons.INFERENCE_ACCELERATOR_NOT_MAPPED,
            "Elastic Inference accelerators do not exist on Kubernetes; request GPUs instead");
      }
      if (isTrue(task.enableFaultInjection)) {
        warn(
            "enableFaultInjection",
            MappingReasons.FAULT_INJECTION_NOT_MAPPED,
            "ECS fault injection endpoints are not available in the pod");
      }
      if (blankToNull(task.taskRoleArn) != null && task.taskRoleRef == null) {
        warn(
            "taskRoleArn",
            MappingReasons.TASK_ROLE_ARN_NEEDS_TASK_ROLE,
            "a literal task role ARN gives the pod no credentials on Kubernetes; use taskRoleRef"
                + " to a TaskRole, which becomes the pod's ServiceAccount");
      }
    }

    private void podLevel() {
      // Stop timeout: the pod waits as long as its slowest container would have been given.
      int grace = DEFAULT_STOP_TIMEOUT_SECONDS;
      boolean anyStopTimeout = false;
      for (ContainerDefinition d : defs) {
        if (d.stopTimeout != null) {
          anyStopTimeout = true;
        }
      }
      if (anyStopTimeout) {
        grace = 0;
        for (ContainerDefinition d : defs) {
          grace =
              Math.max(grace, d.stopTimeout == null ? DEFAULT_STOP_TIMEOUT_SECONDS : d.stopTimeout);
        }
      }
      pod.setTerminationGracePeriodSeconds((long) grace);

      // DNS: the union over containers (ECS sets them per container, a pod has one resolver).
      Set<String> servers = new LinkedHashSet<>();
      Set<String> searches = new LinkedHashSet<>();
      List<Integer> serverSetters = new ArrayList<>();
      List<Integer> searchSetters = new ArrayList<>();
      for (int i = 0; i < defs.size(); i++) {
        ContainerDefinition d = defs.get(i);
        if (d.dnsServers != null && !d.dnsServers.isEmpty()) {
          servers.addAll(d.dnsServers);
          serverSetters.add(i);
        }
        if (d.dnsSearchDomains != null && !d.dnsSearchDomains.isEmpty()) {
          searches.addAll(d.dnsSearchDomains);
          searchSetters.add(i);
        }
      }
      warnIfDiffering(serverSetters, d -> d.dnsServers, "dnsServers");
      warnIfDiffering(searchSetters, d -> d.dnsSearchDomains, "dnsSearchDomains");
      if (!servers.isEmpty() || !searches.isEmpty()) {
        PodDNSConfig dns = new PodDNSConfig();
        if (!servers.isEmpty()) {
          dns.setNameservers(new ArrayList<>(servers));
          // Only "None" makes the pod use exactly these servers, as ECS does.
          pod.setDnsPolicy("None");
        }
        if (!searches.isEmpty()) {
          dns.setSearches(new ArrayList<>(searches));
        }
        pod.setDnsConfig(dns);
      }

      // extraHosts: one HostAlias per IP, hostnames in order of appearance.
      Map<String, LinkedHashSet<String>> hosts = new LinkedHashMap<>();
      for (ContainerDefinition d : defs) {
        if (d.extraHosts != null) {
          for (HostEntry h : d.extraHosts) {
            if (h.ipAddress != null && h.hostname != null) {
              hosts.computeIfAbsent(h.ipAddress, k -> new LinkedHashSet<>()).add(h.hostname);
            }
          }
        }
      }
      if (!hosts.isEmpty()) {
        List<HostAlias> aliases = new ArrayList<>();
        hosts.forEach((ip, names) -> aliases.add(new HostAlias(new ArrayList<>(names), ip)));
        pod.setHostAliases(aliases);
      }

      // hostname: a pod has one; the first container's wins.
      String hostname = null;
      for (int i = 0; i < defs.size(); i++) {
        String h = blankToNull(defs.get(i).hostname);
        if (h == null) {
          continue;
        }
        if (hostname == null && KubernetesNames.isDnsLabel(h)) {
          hostname = h;
          pod.setHostname(h);
        } else if (hostname == null) {
          warn(
              c(i) + ".hostname",
              MappingReasons.HOSTNAME_NOT_MAPPED,
              "hostname \"" + h + "\" is not a DNS label, which a pod hostname must be");
        } else if (!hostname.equals(h)) {
          warn(
              c(i) + ".hostname",
              MappingReasons.HOSTNAME_NOT_MAPPED,
              "a pod has one hostname; \"" + hostname + "\" of an earlier container is used");
        }
      }

      // Private registry credentials: one pull Secret per distinct credentials parameter.
      Set<String> pullSecrets = new LinkedHashSet<>();
      for (int i = 0; i < defs.size(); i++) {
        ContainerDefinition d = defs.get(i);
        if (d.repositoryCredentials == null
            || blankToNull(d.repositoryCredentials.credentialsParameter) == null) {
          continue;
        }
        String secret = pullSecretName(d.repositoryCredentials.credentialsParameter);
        pullSecrets.add(secret);
        warn(
            c(i) + ".repositoryCredentials",
            MappingReasons.REPOSITORY_CREDENTIALS_NEED_SECRET,
            "the pod pulls with the image pull Secret \""
                + secret
                + "\" (type kubernetes.io/dockerconfigjson), which must exist in the namespace;"
                + " Tidewater does not copy the registry credentials from AWS");
      }
      if (!pullSecrets.isEmpty()) {
        List<LocalObjectReference> refs = new ArrayList<>();
        pullSecrets.forEach(s -> refs.add(new LocalObjectReference(s)));
        pod.setImagePullSecrets(refs);
      }
    }

    private void warnIfDiffering(
        List<Integer> setters, Function<ContainerDefinition, List<String>> field, String name) {
      if (setters.size() < 2) {
        return;
      }
      List<String> first = field.apply(defs.get(setters.get(0)));
      for (int i : setters.subList(1, setters.size())) {
        if (!field.apply(defs.get(i)).equals(first)) {
          warn(
              c(i) + "." + name,
              MappingReasons.DNS_SETTINGS_MERGED,
              "a pod has one resolver configuration; the "
                  + name
                  + " of all containers are merged");
        }
      }
    }

    // ---------------------------------------------------------------- placement

    private void placement() {
      boolean gpu = false;
      for (ContainerDefinition d : defs) {
        if (d.resourceRequirements != null) {
          for (ResourceRequirement r : d.resourceRequirements) {
            if ("GPU".equalsIgnoreCase(r.type)) {
              gpu = true;
            }
          }
        }
      }
      if (placement != null) {
        apply("FARGATE".equals(launchType) ? placement.fargate : placement.ec2, null);
        if (gpu) {
          apply(placement.gpu, null);
        }
      }
      if (task.runtimePlatform != null) {
        String arch = blankToNull(task.runtimePlatform.cpuArchitecture);
        if (arch != null) {
          String upper = arch.toUpperCase(Locale.ROOT);
          if (upper.equals("ARM64") && placement != null) {
            apply(placement.arm64, "runtimePlatform.cpuArchitecture");
          }
          selector(
              ARCH_LABEL,
              upper.equals("ARM64") ? "arm64" : upper.equals("X86_64") ? "amd64" : arch,
              "runtimePlatform.cpuArchitecture");
        }
        String os = blankToNull(task.runtimePlatform.operatingSystemFamily);
        if (os != null) {
          if (windows && placement != null) {
            apply(placement.windows, "runtimePlatform.operatingSystemFamily");
          }
          selector(
              OS_LABEL, windows ? "windows" : "linux", "runtimePlatform.operatingSystemFamily");
        }
      }
      constraints();
    }

    private void apply(NodePlacement p, String path) {
      if (p == null) {
        return;
      }
      if (p.nodeSelector != null) {
        new TreeMap<>(p.nodeSelector).forEach((k, v) -> selector(k, v, path));
      }
      if (p.tolerations != null) {
        for (Toleration t : p.tolerations) {
          if (!tolerations.contains(t)) {
            tolerations.add(t);
          }
        }
      }
    }

    private void selector(String key, String value, String path) {
      String old = nodeSelector.get(key);
      if (old != null && !old.equals(value) && path != null) {
        warn(
            path,
            MappingReasons.PLACEMENT_CONFLICT,
            "node label "
                + key
                + " is asked to be both \""
                + old
                + "\" (Cluster placement) and \""
                + value
                + "\"; \""
                + value
                + "\" is used");
      }
      nodeSelector.put(key, value);
    }

    private void constraints() {
      if (task.placementConstraints == null) {
        return;
      }
      List<NodeSelectorRequirement> all = new ArrayList<>();
      for (int k = 0; k < task.placementConstraints.size(); k++) {
        TaskDefinitionPlacementConstraint pc = task.placementConstraints.get(k);
        String path = "placementConstraints[" + k + "]";
        if (!"memberOf".equals(pc.type)) {
          warn(
              path,
              MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
              "placement constraint type \"" + pc.type + "\" is not mapped");
          continue;
        }
        PlacementExpression.Result r = PlacementExpression.parse(pc.expression);
        if (r.notMapped() != null) {
          warn(
              path + ".expression",
              MappingReasons.PLACEMENT_CONSTRAINT_NOT_MAPPED,
              "memberOf(" + pc.expression + ") is not enforced: " + r.notMapped());
        } else {
          all.addAll(r.requirements());
        }
      }
      if (!all.isEmpty()) {
        pod.setAffinity(
            new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm()
                .withMatchExpressions(all)
                .endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build());
      }
    }

    // ---------------------------------------------------------------- volumes

    private void renderVolumes() {
      List<Volume> taskVolumes = task.volumes == null ? List.of() : task.volumes;
      for (int j = 0; j < taskVolumes.size(); j++) {
        Volume v = taskVolumes.get(j);
        String path = "volumes[" + j + "]";
        String ecsName = v.name == null ? "volume-" + j : v.name;
        String name = volumeName(ecsName);
        volumeNameByEcsName.putIfAbsent(ecsName, name);
        VolumeBuilder b = new VolumeBuilder().withName(name);
        if (isTrue(v.configuredAtLaunch)) {
          warn(
              path + ".configuredAtLaunch",
              MappingReasons.VOLUME_CONFIGURED_AT_LAUNCH,
              "the volume is configured by the Service at launch; the template has an emptyDir"
                  + " in its place");
          b.withNewEmptyDir().endEmptyDir();
        } else if (v.efsVolumeConfiguration != null) {
          EfsVolumeConfiguration efs = v.efsVolumeConfiguration;
          String ap =
              efs.authorizationConfig == null
                  ? null
                  : blankToNull(efs.authorizationConfig.accessPointId);
          String claim =
              KubernetesNames.dnsSubdomain(
                  "efs-" + efs.fileSystemId + (ap == null ? "" : "-" + ap));
          b.withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim();
          String root = blankToNull(efs.rootDirectory);
          if (root != null && !root.equals("/")) {
            efsSubPathByEcsName.put(ecsName, root.replaceAll("^/+|/+$", ""));
          }
          warn(
              path + ".efsVolumeConfiguration",
              MappingReasons.EFS_NEEDS_PERSISTENT_VOLUME_CLAIM,
              "the pod mounts the PersistentVolumeClaim \""
                  + claim
                  + "\", which must exist (a PersistentVolume of the EFS CSI driver for "
                  + efs.fileSystemId
                  + (ap == null ? "" : " access point " + ap)
                  + "); transit encryption and IAM authorisation are settings of that volume");
        } else if (v.fsxWindowsFileServerVolumeConfiguration != null) {
          warn(
              path + ".fsxWindowsFileServerVolumeConfiguration",
              MappingReasons.FSX_VOLUME_NOT_MAPPED,
              "FSx for Windows File Server is not mounted; the pod gets an empty emptyDir in its"
                  + " place (use an SMB CSI PersistentVolumeClaim on Kubernetes)");
          b.withNewEmptyDir().endEmptyDir();
        } else if (v.host != null && blankToNull(v.host.sourcePath) != null) {
          if (!isTrue(guardrails.allowHostPath)) {
            refuse(
                path + ".host.sourcePath",
                MappingReasons.HOST_PATH_NOT_ALLOWED,
                "host path "
                    + v.host.sourcePath
                    + " is not allowed by the Cluster's guardrails (guardrails.allowHostPath)");
          }
          b.withNewHostPath().withPath(v.host.sourcePath).endHostPath();
        } else if (v.dockerVolumeConfiguration != null) {
          dockerVolume(v.dockerVolumeConfiguration, path + ".dockerVolumeConfiguration");
          b.withNewEmptyDir().endEmptyDir();
        } else {
          // A host volume without sourcePath, or a bare name: Docker-managed, task lifetime.
          b.withNewEmptyDir().endEmptyDir();
        }
        volumes.add(b.build());
      }
    }

    private void dockerVolume(DockerVolumeConfiguration d, String path) {
      if ("shared".equals(d.scope)) {
        warn(
            path + ".scope",
            MappingReasons.SHARED_VOLUME_NOT_MAPPED,
            "a shared Docker volume outlives tasks on ECS; the pod gets a fresh emptyDir"
                + " (use a PersistentVolumeClaim to share data on Kubernetes)");
      }
      if (blankToNull(d.driver) != null && !"local".equals(d.driver)) {
        warn(
            path + ".driver",
            MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
            "Docker volume driver \"" + d.driver + "\" is not used; the pod gets an emptyDir");
      }
      if (d.driverOpts != null && !d.driverOpts.isEmpty()) {
        warn(
            path + ".driverOpts",
            MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
            "Docker volume driver options are not used; the pod gets an emptyDir");
      }
      if (d.labels != null && !d.labels.isEmpty()) {
        warn(
            path + ".labels",
            MappingReasons.DOCKER_VOLUME_DRIVER_NOT_MAPPED,
            "an emptyDir has no labels");
      }
    }

    /** Volume mounts of each container from mountPoints, then volumesFrom. */
    private List<List<VolumeMount>> mounts() {
      List<List<VolumeMount>> own = new ArrayList<>();
      for (int i = 0; i < defs.size(); i++) {
        List<VolumeMount> list = new ArrayList<>();
        List<MountPoint> points = defs.get(i).mountPoints;
        if (points != null) {
          for (int k = 0; k < points.size(); k++) {
            MountPoint mp = points.get(k);
            String volume =
                mp.sourceVolume == null ? null : volumeNameByEcsName.get(mp.sourceVolume);
            if (volume == null) {
              refuse(
                  c(i) + ".mountPoints[" + k + "].sourceVolume",
                  MappingReasons.UNKNOWN_VOLUME,
                  "mount point names volume \""
                      + mp.sourceVolume
                      + "\", which is not a volume of this task");
              continue;
            }
            VolumeMount m = new VolumeMount();
            m.setName(volume);
            m.setMountPath(mp.containerPath);
            if (isTrue(mp.readOnly)) {
              m.setReadOnly(true);
            }
            m.setSubPath(efsSubPathByEcsName.get(mp.sourceVolume));
            list.add(m);
          }
        }
        own.add(list);
      }
      Map<String, Integer> byName = new HashMap<>();
      for (int i = 0; i < defs.size(); i++) {
        byName.putIfAbsent(defs.get(i).name, i);
      }
      List<List<VolumeMount>> all = new ArrayList<>();
      for (int i = 0; i < defs.size(); i++) {
        List<VolumeMount> list = new ArrayList<>(own.get(i));
        Set<Integer> visited = new HashSet<>();
        visited.add(i);
        addVolumesFrom(i, i, false, own, byName, visited, list, c(i));
        all.add(list);
      }
      return all;
    }

    // Docker copies the source's mounts, including those it got through volumesFrom itself.
    private void addVolumesFrom(
        int target,
        int source,
        boolean forceReadOnly,
        List<List<VolumeMount>> own,
        Map<String, Integer> byName,
        Set<Integer> visited,
        List<VolumeMount> out,
        String pathPrefix) {
      List<VolumeFrom> from = defs.get(source).volumesFrom;
      if (from == null) {
        return;
      }
      for (int k = 0; k < from.size(); k++) {
        VolumeFrom vf = from.get(k);
        Integer src = vf.sourceContainer == null ? null : byName.get(vf.sourceContainer);
        if (src == null) {
          if (source == target) {
            refuse(
                pathPrefix + ".volumesFrom[" + k + "].sourceContainer",
                MappingReasons.UNKNOWN_SOURCE_CONTAINER,
                "volumesFrom names container \""
                    + vf.sourceContainer
                    + "\", which is not a container of this task");
          }
          continue;
        }
        if (!visited.add(src)) {
          continue;
        }
        boolean ro = forceReadOnly || isTrue(vf.readOnly);
        for (VolumeMount m : own.get(src)) {
          VolumeMount copy = new VolumeMount();
          copy.setName(m.getName());
          copy.setMountPath(m.getMountPath());
          copy.setSubPath(m.getSubPath());
          if (ro || isTrue(m.getReadOnly())) {
            copy.setReadOnly(true);
          }
          out.add(copy);
        }
        addVolumesFrom(target, src, ro, own, byName, visited, out, pathPrefix);
      }
    }

    // ---------------------------------------------------------------- resources

    /** The task-level cpu / memory / ephemeral storage shares per container. */
    private record TaskResources(
        Integer taskCpu,
        Integer taskMemory,
        int[] cpuShare,
        int[] memoryShare,
        Integer ephemeralMib,
        int[] ephemeralShare) {}

    private TaskResources taskResources(ContainerStartOrder order) {
      Integer cpu = null;
      Integer memory = null;
      if (blankToNull(task.cpu) != null) {
        try {
          cpu = EcsUnits.parseTaskCpu(task.cpu);
        } catch (EcsUnits.InvalidUnitException e) {
          refuse("cpu", MappingReasons.INVALID_TASK_CPU, e.getMessage());
        }
      }
      if (blankToNull(task.memory) != null) {
        try {
          memory = EcsUnits.parseTaskMemory(task.memory);
        } catch (EcsUnits.InvalidUnitException e) {
          refuse("memory", MappingReasons.INVALID_TASK_MEMORY, e.getMessage());
        }
      }
      int n = defs.size();
      int[] cpuShare = new int[n];
      int[] memoryShare = new int[n];
      if (in.podLevelResources()) {
        ResourceRequirements r = new ResourceRequirements();
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (cpu != null) {
          amounts.put("cpu", new Quantity(EcsUnits.millicoresQuantity(cpu)));
        }
        if (memory != null) {
          amounts.put("memory", new Quantity(EcsUnits.mibQuantity(memory)));
        }
        if (!amounts.isEmpty()) {
          r.setRequests(new LinkedHashMap<>(amounts));
          r.setLimits(new LinkedHashMap<>(amounts));
          pod.setResources(r);
        }
      } else {
        if (cpu != null) {
          split(cpu, d -> d.cpu, order, cpuShare);
          warn(
              "cpu",
              MappingReasons.TASK_RESOURCES_SPLIT,
              "the API server has no pod-level resources, so task cpu "
                  + task.cpu
                  + " is not a pod total: containers without their own cpu request an even share"
                  + " of what the others leave (init containers all of it), and each container"
                  + " is limited to the task cpu");
        }
        if (memory != null) {
          split(
              memory,
              d -> d.memoryReservation != null ? d.memoryReservation : d.memory,
              order,
              memoryShare);
          warn(
              "memory",
              MappingReasons.TASK_RESOURCES_SPLIT,
              "the API server has no pod-level resources, so task memory "
                  + task.memory
                  + " is not a pod total: containers without their own memory request an even"
                  + " share of what the others leave (init containers all of it), and each"
                  + " container without its own hard limit is limited to the task memory");
        }
      }
      Integer ephemeral = null;
      int[] ephemeralShare = new int[n];
      if (task.ephemeralStorage != null && task.ephemeralStorage.sizeInGiB != null) {
        ephemeral = task.ephemeralStorage.sizeInGiB * EcsUnits.MIB_PER_GB;
        List<Integer> longRunning = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (order.role(i) != Role.INIT) {
            longRunning.add(i);
          }
        }
        share(ephemeral, longRunning, ephemeralShare);
        warn(
            "ephemeralStorage",
            MappingReasons.EPHEMERAL_STORAGE_SPLIT,
            "a pod has no total ephemeral storage; each long-running container requests an even"
                + " share of "
                + task.ephemeralStorage.sizeInGiB
                + " GiB and is limited to all of it");
      }
      return new TaskResources(cpu, memory, cpuShare, memoryShare, ephemeral, ephemeralShare);
    }

    /**
     * Shares {@code total} out to the containers without their own value: long-running ones
     * (regular and sidecars, which run together) split what the other long-running ones leave; a
     * run-to-completion init container runs before them and may use the whole task amount.
     */
    private void split(
        int total,
        Function<ContainerDefinition, Integer> own,
        ContainerStartOrder order,
        int[] out) {
      List<Integer> without = new ArrayList<>();
      int used = 0;
      for (int i = 0; i < defs.size(); i++) {
        Integer value = own.apply(defs.get(i));
        boolean has = value != null && value > 0;
        if (order.role(i) == Role.INIT) {
          out[i] = has ? 0 : total;
        } else if (has) {
          used += value;
        } else {
          without.add(i);
        }
      }
      share(total - used, without, out);
    }

    // Even split of amount across the indexes; the first ones get the remainder of the division.
    private static void share(int amount, List<Integer> indexes, int[] out) {
      if (amount <= 0 || indexes.isEmpty()) {
        return;
      }
      int each = amount / indexes.size();
      int rest = amount % indexes.size();
      for (int k = 0; k < indexes.size(); k++) {
        out[indexes.get(k)] = each + (k < rest ? 1 : 0);
      }
    }

    private ResourceRequirements resources(int i, ContainerDefinition d, TaskResources t) {
      Map<String, Quantity> requests = new LinkedHashMap<>();
      Map<String, Quantity> limits = new LinkedHashMap<>();
      if (d.cpu != null && d.cpu > 0) {
        requests.put("cpu", new Quantity(EcsUnits.millicoresQuantity(d.cpu)));
      } else if (t.cpuShare()[i] > 0) {
        requests.put("cpu", new Quantity(EcsUnits.millicoresQuantity(t.cpuShare()[i])));
      }
      Integer reservation = d.memoryReservation != null ? d.memoryReservation : d.memory;
      if (reservation != null && reservation > 0) {
        requests.put("memory", new Quantity(EcsUnits.mibQuantity(reservation)));
      } else if (t.memoryShare()[i] > 0) {
        requests.put("memory", new Quantity(EcsUnits.mibQuantity(t.memoryShare()[i])));
      }
      if (!in.podLevelResources() && t.taskCpu() != null) {
        limits.put("cpu", new Quantity(EcsUnits.millicoresQuantity(t.taskCpu())));
      }
      if (d.memory != null && d.memory > 0) {
        limits.put("memory", new Quantity(EcsUnits.mibQuantity(d.memory)));
      } else if (!in.podLevelResources() && t.taskMemory() != null) {
        int limit = Math.max(t.taskMemory(), reservation == null ? 0 : reservation);
        limits.put("memory", new Quantity(EcsUnits.mibQuantity(limit)));
      }
      if (t.ephemeralMib() != null && t.ephemeralShare()[i] > 0) {
        requests.put(
            "ephemeral-storage", new Quantity(EcsUnits.mibQuantity(t.ephemeralShare()[i])));
        limits.put("ephemeral-storage", new Quantity(EcsUnits.mibQuantity(t.ephemeralMib())));
      }
      if (d.resourceRequirements != null) {
        for (int k = 0; k < d.resourceRequirements.size(); k++) {
          ResourceRequirement r = d.resourceRequirements.get(k);
          String path = c(i) + ".resourceRequirements[" + k + "]";
          if ("GPU".equalsIgnoreCase(r.type)) {
            String v = r.value == null ? "" : r.value.strip();
            if (!NUMERIC.matcher(v).matches() || Integer.parseInt(v) <= 0) {
              refuse(
                  path + ".value",
                  MappingReasons.INVALID_GPU_COUNT,
                  "GPU count \"" + r.value + "\" is not a positive whole number");
              continue;
            }
            requests.put(GPU_RESOURCE, new Quantity(v));
            limits.put(GPU_RESOURCE, new Quantity(v));
          } else {
            warn(
                path,
                MappingReasons.INFERENCE_ACCELERATOR_NOT_MAPPED,
                "Elastic Inference accelerator \"" + r.value + "\" does not exist on Kubernetes");
          }
        }
      }
      if (requests.isEmpty() && limits.isEmpty()) {
        return null;
      }
      ResourceRequirements rr = new ResourceRequirements();
      if (!requests.isEmpty()) {
        rr.setRequests(requests);
      }
      if (!limits.isEmpty()) {
        rr.setLimits(limits);
      }
      return rr;
    }

    // ---------------------------------------------------------------- one container

    private Container container(
        int i, ContainerStartOrder order, List<VolumeMount> mounts, TaskResources t) {
      ContainerDefinition d = defs.get(i);
      Role role = order.role(i);
      Container k = new Container();
      k.setName(containerNames[i]);
      k.setImage(d.image);
      if (role == Role.SIDECAR) {
        k.setRestartPolicy("Always");
      }
      boolean essential = d.essential == null || d.essential;
      if (!essential && role != Role.INIT) {
        warn(
            c(i) + ".essential",
            MappingReasons.NON_ESSENTIAL_RESTARTED,
            "Kubernetes restarts this container whenever it exits, where ECS would let a"
                + " non-essential container stop; if it is a one-off job, let the containers that"
                + " need it depend on it with condition SUCCESS to make it an init container");
      }
      if (d.entryPoint != null && !d.entryPoint.isEmpty()) {
        k.setCommand(KubeletExpansion.escapeAll(d.entryPoint));
      }
      if (d.command != null && !d.command.isEmpty()) {
        k.setArgs(KubeletExpansion.escapeAll(d.command));
      }
      k.setWorkingDir(blankToNull(d.workingDirectory));
      k.setEnv(env(i, d));
      k.setPorts(ports(i, d));
      k.setResources(resources(i, d, t));
      k.setSecurityContext(securityContext(i, d));
      probes(i, d, role, order.waitedForHealthy(i), k);
      k.setVolumeMounts(linuxMounts(i, d, mounts));
      if (isTrue(d.interactive)) {
        k.setStdin(true);
      }
      if (isTrue(d.pseudoTerminal)) {
        k.setTty(true);
      }
      dockerLabels(i, d);
      systemControls(i, d);
      notMapped(i, d);
      return k;
    }

    private List<EnvVar> env(int i, ContainerDefinition d) {
      List<EnvVar> env = new ArrayList<>();
      if (d.environment != null) {
        for (KeyValuePair kv : d.environment) {
          env.add(new EnvVar(kv.name, KubeletExpansion.escape(kv.value), null));
        }
      }
      if (d.secrets != null) {
        for (int k = 0; k < d.secrets.size(); k++) {
          Secret s = d.secrets.get(k);
          String path = c(i) + ".secrets[" + k + "]";
          String from = s.valueFrom == null ? "" : s.valueFrom.strip();
          if (from.startsWith(K8S_SECRET_PREFIX)) {
            String rest = from.substring(K8S_SECRET_PREFIX.length());
            int slash = rest.indexOf('/');
            String secret = slash < 0 ? "" : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            if (secret.isEmpty() || key.isEmpty() || key.contains("/")) {
              refuse(
                  path + ".valueFrom",
                  MappingReasons.INVALID_SECRET_REFERENCE,
                  "secret "
                      + s.name
                      + ": a Kubernetes Secret reference reads k8s:secret/<secret-name>/<key>");
              continue;
            }
            env.add(
                new EnvVarBuilder()
                    .withName(s.name)
                    .withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName(secret)
                    .withKey(key)
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build());
          } else if (in.externalSecrets() && !from.isEmpty()) {
            ExternalSecretEntry entry = externalEntry(s.name, from);
            env.add(
                new EnvVarBuilder()
                    .withName(s.name)
                    .withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName(entry.target())
                    .withKey(entry.secretKey())
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build());
          } else {
            warn(
                path,
                MappingReasons.SECRET_NOT_MAPPED,
                "environment variable "
                    + s.name
                    + " is not set: its value lives in "
                    + secretStore(from)
                    + ", which the pod cannot read; install the External Secrets Operator, or put"
                    + " it in a Kubernetes Secret and use valueFrom k8s:secret/<secret-name>/<key>");
          }
        }
      }
      return env.isEmpty() ? null : env;
    }

    /**
     * The ExternalSecret entry of an SSM / Secrets Manager reference; one key per distinct
     * reference, named after the variable (with a hash when two references share a name).
     */
    private ExternalSecretEntry externalEntry(String envName, String from) {
      ExternalSecretEntry remote = remoteReference(from);
      String target = externalSecretTarget(remote.storeKind());
      String base = envName == null ? "" : SECRET_KEY_OUTSIDE.matcher(envName).replaceAll("_");
      String key = base.isEmpty() ? "secret" : base;
      for (int attempt = 0; ; attempt++) {
        ExternalSecretEntry entry =
            new ExternalSecretEntry(
                target,
                key,
                remote.remoteKey(),
                remote.property(),
                remote.version(),
                remote.storeKind());
        ExternalSecretEntry known = externalEntries.putIfAbsent(target + "/" + key, entry);
        if (known == null || known.equals(entry)) {
          return entry;
        }
        key = base + "-" + KubernetesNames.hash(from + "#" + attempt);
      }
    }

    private String externalSecretTarget(String storeKind) {
      String base = blankToNull(in.externalSecretName());
      if (base == null) {
        base = "ecs-secrets";
      }
      return usesBothStores()
          ? KubernetesNames.dnsSubdomain(
              base + (PARAMETER_STORE.equals(storeKind) ? "-ssm" : "-sm"))
          : base;
    }

    /** Whether the task reads both SSM and Secrets Manager: one ExternalSecret per store. */
    private boolean usesBothStores() {
      Set<String> kinds = new HashSet<>();
      for (ContainerDefinition d : defs) {
        if (d.secrets == null) continue;
        for (Secret s : d.secrets) {
          String f = s.valueFrom == null ? "" : s.valueFrom.strip();
          if (!f.isEmpty() && !f.startsWith(K8S_SECRET_PREFIX)) {
            kinds.add(remoteReference(f).storeKind());
          }
        }
      }
      return kinds.size() > 1;
    }

    private static String secretStore(String valueFrom) {
      if (valueFrom.contains(":secretsmanager:")) {
        return "AWS Secrets Manager";
      }
      return "SSM Parameter Store";
    }

    private List<ContainerPort> ports(int i, ContainerDefinition d) {
      if (d.portMappings == null) {
        return null;
      }
      List<ContainerPort> ports = new ArrayList<>();
      for (int k = 0; k < d.portMappings.size(); k++) {
        PortMapping pm = d.portMappings.get(k);
        String path = c(i) + ".portMappings[" + k + "]";
        if (blankToNull(pm.containerPortRange) != null) {
          warn(
              path + ".containerPortRange",
              MappingReasons.PORT_RANGE_NOT_MAPPED,
              "port range "
                  + pm.containerPortRange
                  + " is not declared: a pod lists single ports (the container can still listen"
                  + " on them)");
        }
        if (pm.containerPort == null || pm.containerPort <= 0) {
          continue;
        }
        ContainerPort p = new ContainerPort();
        p.setContainerPort(pm.containerPort);
        p.setProtocol("udp".equalsIgnoreCase(pm.protocol) ? "UDP" : "TCP");
        String name = blankToNull(pm.name);
        if (name != null) {
          if (KubernetesNames.isPortName(name) && portNames.add(name)) {
            p.setName(name);
          } else {
            warn(
                path + ".name",
                MappingReasons.PORT_NAME_NOT_MAPPED,
                "port name \""
                    + name
                    + "\" is not used: a Kubernetes port name has at most 15 characters [a-z0-9-],"
                    + " a letter, and is unique in the pod");
          }
        }
        if (networkMode.equals("bridge") && pm.hostPort != null && pm.hostPort > 0) {
          p.setHostPort(pm.hostPort);
          warn(
              path + ".hostPort",
              MappingReasons.HOST_PORT_PINNED,
              "host port "
                  + pm.hostPort
                  + " is reserved on the node: at most one such pod per node");
        }
        ports.add(p);
      }
      return ports.isEmpty() ? null : ports;
    }

    private SecurityContext securityContext(int i, ContainerDefinition d) {
      SecurityContext sc = new SecurityContext();
      boolean any = false;
      if (isTrue(d.privileged)) {
        if (!isTrue(guardrails.allowPrivileged)) {
          refuse(
              c(i) + ".privileged",
              MappingReasons.PRIVILEGED_NOT_ALLOWED,
              "container \""
                  + d.name
                  + "\" is privileged, which the Cluster's guardrails do not allow"
                  + " (guardrails.allowPrivileged)");
        }
        sc.setPrivileged(true);
        any = true;
      }
      if (isTrue(d.readonlyRootFilesystem)) {
        sc.setReadOnlyRootFilesystem(true);
        any = true;
      }
      String user = blankToNull(d.user);
      if (user != null) {
        if (windows) {
          sc.setWindowsOptions(new WindowsSecurityContextOptions(null, null, null, user));
          any = true;
        } else {
          String[] parts = user.split(":", 2);
          List<String> unmapped = new ArrayList<>();
          if (NUMERIC.matcher(parts[0]).matches()) {
            sc.setRunAsUser(Long.parseLong(parts[0]));
            any = true;
          } else {
            unmapped.add("user \"" + parts[0] + "\"");
          }
          if (parts.length == 2) {
            if (NUMERIC.matcher(parts[1]).matches()) {
              sc.setRunAsGroup(Long.parseLong(parts[1]));
              any = true;
            } else {
              unmapped.add("group \"" + parts[1] + "\"");
            }
          }
          if (!unmapped.isEmpty()) {
            warn(
                c(i) + ".user",
                MappingReasons.USER_NAME_NOT_MAPPED,
                String.join(" and ", unmapped)
                    + " is not numeric: Kubernetes runs as numeric ids only, so the image's"
                    + " default applies there");
          }
        }
      }
      LinuxParameters lp = d.linuxParameters;
      if (lp != null && lp.capabilities != null) {
        List<String> add = lp.capabilities.add;
        List<String> drop = lp.capabilities.drop;
        if ((add != null && !add.isEmpty()) || (drop != null && !drop.isEmpty())) {
          sc.setCapabilities(
              new Capabilities(
                  add == null || add.isEmpty() ? null : add,
                  drop == null || drop.isEmpty() ? null : drop));
          any = true;
        }
      }
      if (d.dockerSecurityOptions != null) {
        for (int k = 0; k < d.dockerSecurityOptions.size(); k++) {
          any |= securityOption(i, k, d.dockerSecurityOptions.get(k), sc);
        }
      }
      return any ? sc : null;
    }

    private boolean securityOption(int i, int k, String option, SecurityContext sc) {
      String path = c(i) + ".dockerSecurityOptions[" + k + "]";
      String o = option == null ? "" : option.strip();
      if (o.equals("no-new-privileges") || o.equals("no-new-privileges:true")) {
        sc.setAllowPrivilegeEscalation(false);
        return true;
      }
      if (o.startsWith("apparmor:") || o.startsWith("apparmor=")) {
        String profile = o.substring("apparmor:".length());
        AppArmorProfile p =
            switch (profile) {
              case "unconfined" -> new AppArmorProfile(null, "Unconfined");
              case "runtime/default", "docker-default" ->
                  new AppArmorProfile(null, "RuntimeDefault");
              default -> new AppArmorProfile(profile, "Localhost");
            };
        sc.setAppArmorProfile(p);
        return true;
      }
      Matcher label = SELINUX_LABEL.matcher(o);
      if (label.matches()) {
        SELinuxOptions se =
            sc.getSeLinuxOptions() == null ? new SELinuxOptions() : sc.getSeLinuxOptions();
        switch (label.group(1)) {
          case "user" -> se.setUser(label.group(2));
          case "role" -> se.setRole(label.group(2));
          case "type" -> se.setType(label.group(2));
          default -> se.setLevel(label.group(2));
        }
        sc.setSeLinuxOptions(se);
        return true;
      }
      warn(
          path,
          MappingReasons.DOCKER_SECURITY_OPTION_NOT_MAPPED,
          "Docker security option \"" + o + "\" has no Kubernetes counterpart and is not applied");
      return false;
    }

    private void probes(
        int i, ContainerDefinition d, Role role, boolean waitedForHealthy, Container k) {
      HealthCheck hc = d.healthCheck;
      HealthCheckProbes.Kind kind = HealthCheckProbes.kind(hc);
      String path = c(i) + ".healthCheck";
      if (kind == HealthCheckProbes.Kind.NONE) {
        return;
      }
      if (kind == HealthCheckProbes.Kind.UNRECOGNIZED) {
        warn(
            path + ".command",
            MappingReasons.HEALTH_CHECK_COMMAND_UNRECOGNIZED,
            "the health check command does not start with CMD or CMD-SHELL; it is run as given");
      }
      if (role == Role.INIT) {
        warn(
            path,
            MappingReasons.INIT_CONTAINER_HEALTH_CHECK_DROPPED,
            "\""
                + d.name
                + "\" runs to completion as an init container, which Kubernetes gives no probes");
        return;
      }
      List<String> command = HealthCheckProbes.command(hc, windows);
      boolean essential = d.essential == null || d.essential;
      if (essential) {
        // ECS replaces a task whose essential container is unhealthy and keeps it out of its
        // target groups until healthy: readiness and liveness together.
        k.setReadinessProbe(HealthCheckProbes.steady(hc, command));
        k.setLivenessProbe(HealthCheckProbes.steady(hc, command));
      } else if (!waitedForHealthy) {
        warn(
            path,
            MappingReasons.NON_ESSENTIAL_HEALTH_CHECK_IGNORED,
            "the health of a non-essential container does not affect the task on ECS; no probe"
                + " is set so it does not affect the pod either");
      }
      if (waitedForHealthy || (essential && HealthCheckProbes.startPeriod(hc) > 0)) {
        k.setStartupProbe(HealthCheckProbes.startup(hc, command));
      }
    }

    private List<VolumeMount> linuxMounts(int i, ContainerDefinition d, List<VolumeMount> mounts) {
      List<VolumeMount> out = new ArrayList<>(mounts);
      LinuxParameters lp = d.linuxParameters;
      if (lp != null) {
        if (lp.sharedMemorySize != null && lp.sharedMemorySize > 0) {
          String name = volumeName(containerNames[i] + "-dshm");
          volumes.add(memoryEmptyDir(name, lp.sharedMemorySize));
          VolumeMount m = new VolumeMount();
          m.setName(name);
          m.setMountPath("/dev/shm");
          out.add(m);
        }
        if (lp.tmpfs != null) {
          for (int k = 0; k < lp.tmpfs.size(); k++) {
            Tmpfs t = lp.tmpfs.get(k);
            String name = volumeName(containerNames[i] + "-tmpfs-" + k);
            volumes.add(memoryEmptyDir(name, t.size));
            VolumeMount m = new VolumeMount();
            m.setName(name);
            m.setMountPath(t.containerPath);
            out.add(m);
            if (t.mountOptions != null && !t.mountOptions.isEmpty()) {
              warn(
                  c(i) + ".linuxParameters.tmpfs[" + k + "].mountOptions",
                  MappingReasons.TMPFS_MOUNT_OPTIONS_NOT_MAPPED,
                  "a memory emptyDir takes no mount options ("
                      + String.join(",", t.mountOptions)
                      + ")");
            }
          }
        }
      }
      // The API server rejects two mounts at one path; the first (mountPoints first) wins.
      Set<String> paths = new HashSet<>();
      List<VolumeMount> unique = new ArrayList<>();
      for (VolumeMount m : out) {
        if (m.getMountPath() == null || paths.add(m.getMountPath())) {
          unique.add(m);
        } else {
          warn(
              c(i) + ".mountPoints",
              MappingReasons.DUPLICATE_MOUNT_PATH,
              "more than one volume is mounted at "
                  + m.getMountPath()
                  + "; only the first is kept (mountPoints, then volumesFrom, /dev/shm, tmpfs)");
        }
      }
      return unique.isEmpty() ? null : unique;
    }

    private static io.fabric8.kubernetes.api.model.Volume memoryEmptyDir(String name, Integer mib) {
      VolumeBuilder b = new VolumeBuilder().withName(name);
      if (mib != null && mib > 0) {
        b.withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity(EcsUnits.mibQuantity(mib)))
            .endEmptyDir();
      } else {
        b.withNewEmptyDir().withMedium("Memory").endEmptyDir();
      }
      return b.build();
    }

    private void dockerLabels(int i, ContainerDefinition d) {
      if (d.dockerLabels == null) {
        return;
      }
      new TreeMap<>(d.dockerLabels)
          .forEach(
              (key, value) -> {
                String annotation = dockerLabelAnnotation(key);
                String old = annotations.get(annotation);
                if (old != null && !old.equals(value == null ? "" : value)) {
                  warn(
                      c(i) + ".dockerLabels",
                      MappingReasons.DOCKER_LABEL_CONFLICT,
                      "Docker label "
                          + key
                          + " has another value in container \""
                          + labelOrigin.get(annotation)
                          + "\"; a pod has one set of annotations and the first value is kept");
                  return;
                }
                annotations.put(annotation, value == null ? "" : value);
                labelOrigin.putIfAbsent(annotation, d.name);
              });
    }

    private void systemControls(int i, ContainerDefinition d) {
      if (d.systemControls == null) {
        return;
      }
      for (int k = 0; k < d.systemControls.size(); k++) {
        SystemControl s = d.systemControls.get(k);
        if (blankToNull(s.namespace) == null) {
          continue;
        }
        String old = sysctls.get(s.namespace);
        if (old != null && !old.equals(s.value)) {
          warn(
              c(i) + ".systemControls[" + k + "]",
              MappingReasons.SYSTEM_CONTROL_CONFLICT,
              "sysctl "
                  + s.namespace
                  + " is set to \""
                  + old
                  + "\" by an earlier container; a pod has one value, the first is kept");
          continue;
        }
        sysctls.put(s.namespace, s.value == null ? "" : s.value);
      }
    }

    /** Warnings for container fields with no Kubernetes counterpart. */
    private void notMapped(int i, ContainerDefinition d) {
      String p = c(i);
      if (d.links != null && !d.links.isEmpty()) {
        warn(
            p + ".links",
            MappingReasons.LINKS_NOT_MAPPED,
            "containers of a pod reach each other on localhost; link aliases are not defined");
      }
      if (d.logConfiguration != null) {
        warn(
            p + ".logConfiguration",
            MappingReasons.LOG_CONFIGURATION_NOT_MAPPED,
            "log driver "
                + d.logConfiguration.logDriver
                + " is not used: container output goes to the node's log collector");
      }
      if (d.firelensConfiguration != null) {
        warn(
            p + ".firelensConfiguration",
            MappingReasons.FIRELENS_CONFIGURATION_NOT_MAPPED,
            "the log router container runs, but no container's logs are routed to it");
      }
      if (d.environmentFiles != null && !d.environmentFiles.isEmpty()) {
        warn(
            p + ".environmentFiles",
            MappingReasons.ENVIRONMENT_FILES_NOT_MAPPED,
            "environment files in S3 are not loaded; use environment or a ConfigMap");
      }
      if (d.ulimits != null && !d.ulimits.isEmpty()) {
        warn(
            p + ".ulimits",
            MappingReasons.ULIMITS_NOT_MAPPED,
            "Kubernetes has no per-container ulimits; the container runtime's defaults apply");
      }
      if (d.startTimeout != null) {
        warn(
            p + ".startTimeout",
            MappingReasons.START_TIMEOUT_NOT_MAPPED,
            "Kubernetes waits for dependencies without a time limit (startup probes bound"
                + " HEALTHY waits)");
      }
      if (d.credentialSpecs != null && !d.credentialSpecs.isEmpty()) {
        warn(
            p + ".credentialSpecs",
            MappingReasons.CREDENTIAL_SPECS_NOT_MAPPED,
            "gMSA credential specs need a GMSACredentialSpec resource on Kubernetes; not applied");
      }
      if (isTrue(d.disableNetworking)) {
        warn(
            p + ".disableNetworking",
            MappingReasons.DISABLE_NETWORKING_NOT_MAPPED,
            "containers of a pod share its network; networking cannot be disabled for one");
      }
      ContainerRestartPolicy rp = d.restartPolicy;
      if (rp != null && isTrue(rp.enabled)) {
        if (rp.ignoredExitCodes != null && !rp.ignoredExitCodes.isEmpty()) {
          warn(
              p + ".restartPolicy.ignoredExitCodes",
              MappingReasons.RESTART_POLICY_APPROXIMATED,
              "Kubernetes restarts the container whatever its exit code");
        }
        if (rp.restartAttemptPeriod != null) {
          warn(
              p + ".restartPolicy.restartAttemptPeriod",
              MappingReasons.RESTART_POLICY_APPROXIMATED,
              "Kubernetes restarts with its own exponential back-off");
        }
      }
      LinuxParameters lp = d.linuxParameters;
      if (lp != null) {
        if (lp.devices != null && !lp.devices.isEmpty()) {
          warn(
              p + ".linuxParameters.devices",
              MappingReasons.DEVICES_NOT_MAPPED,
              "host devices are not exposed; use a device plugin resource on Kubernetes");
        }
        if (lp.maxSwap != null) {
          warn(
              p + ".linuxParameters.maxSwap",
              MappingReasons.SWAP_NOT_MAPPED,
              "swap is a node setting on Kubernetes");
        }
        if (lp.swappiness != null) {
          warn(
              p + ".linuxParameters.swappiness",
              MappingReasons.SWAP_NOT_MAPPED,
              "swappiness is a node setting on Kubernetes");
        }
        if (isTrue(lp.initProcessEnabled)) {
          pod.setShareProcessNamespace(true);
          warn(
              p + ".linuxParameters.initProcessEnabled",
              MappingReasons.INIT_PROCESS_APPROXIMATED,
              "the pod shares one process namespace, whose PID 1 (the pause process) reaps"
                  + " zombies; the containers also see each other's processes");
        }
      }
    }

    // ---------------------------------------------------------------- small things

    private String pullSecretName(String credentialsParameter) {
      String p = credentialsParameter.strip();
      Matcher sm = SECRETS_MANAGER_ARN.matcher(p);
      if (sm.matches()) {
        p = sm.group(1);
      } else {
        Matcher ssm = SSM_ARN.matcher(p);
        if (ssm.matches()) {
          p = ssm.group(1);
        }
      }
      return KubernetesNames.dnsSubdomain(p);
    }

    private void warn(String path, String reason, String message) {
      warnings.add(new StatusWarning(path, reason, message));
    }

    private void refuse(String path, String reason, String message) {
      refusals.add(new Problem(path, reason, message));
    }

    private static String c(int i) {
      return "containerDefinitions[" + i + "]";
    }
  }

  /**
   * The pod annotation of a Docker label: {@code ecs.tidewater.dev/docker-label.<key>} when that is
   * a valid annotation key (the part after the slash at most 63 characters of {@code
   * [A-Za-z0-9-_.]}); otherwise other characters become {@code '_'} and the name is cut to 54
   * characters plus {@code "-"} and 8 hex characters of SHA-256 over the key.
   */
  public static String dockerLabelAnnotation(String key) {
    String domain =
        DOCKER_LABEL_ANNOTATION_PREFIX.substring(0, DOCKER_LABEL_ANNOTATION_PREFIX.indexOf('/'));
    String plain = DOCKER_LABEL_NAME_PREFIX + key;
    if (ANNOTATION_NAME.matcher(plain).matches()) {
      return domain + "/" + plain;
    }
    StringBuilder s = new StringBuilder();
    for (char ch : plain.toCharArray()) {
      boolean ok =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '-'
              || ch == '_'
              || ch == '.';
      s.append(ok ? ch : '_');
    }
    String readable = s.length() > 54 ? s.substring(0, 54) : s.toString();
    return domain + "/" + readable + "-" + KubernetesNames.hash(key);
  }

  /**
   * Where an ECS {@code valueFrom} (not {@code k8s:secret/}) is read: an SSM parameter by name or
   * ARN (the ARN's {@code parameter} prefix dropped, so {@code .../parameter/prod/db} reads {@code
   * /prod/db}), or a Secrets Manager secret by ARN with its optional {@code
   * :json-key:version-stage:version-id}. The entry's target and secretKey are null.
   */
  static ExternalSecretEntry remoteReference(String valueFrom) {
    String from = valueFrom.strip();
    if (from.startsWith("arn:") && from.contains(":secretsmanager:")) {
      String[] parts = from.split(":", -1);
      String arn = parts.length > 7 ? String.join(":", List.of(parts).subList(0, 7)) : from;
      String property = parts.length > 7 ? blankToNull(parts[7]) : null;
      String stage = parts.length > 8 ? blankToNull(parts[8]) : null;
      String id = parts.length > 9 ? blankToNull(parts[9]) : null;
      // ESO reads a version id as "uuid/<id>" and anything else as a version stage.
      String version = id != null ? "uuid/" + id : stage;
      return new ExternalSecretEntry(null, null, arn, property, version, SECRETS_MANAGER);
    }
    Matcher ssm = SSM_PARAMETER_ARN.matcher(from);
    String name = ssm.matches() ? "/" + ssm.group(1) : from;
    return new ExternalSecretEntry(null, null, name, null, null, PARAMETER_STORE);
  }

  static String launchType(String requested, List<String> compatibilities) {
    String r = blankToNull(requested);
    if (r != null) {
      return r.toUpperCase(Locale.ROOT);
    }
    List<String> list = compatibilities == null ? List.of() : compatibilities;
    for (String preferred : List.of("FARGATE", "EC2", "EXTERNAL", "MANAGED_INSTANCES")) {
      for (String s : list) {
        if (preferred.equalsIgnoreCase(s)) {
          return preferred;
        }
      }
    }
    return "EC2";
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
