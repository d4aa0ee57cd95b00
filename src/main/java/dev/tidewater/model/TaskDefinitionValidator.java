package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDependency;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.api.v1alpha1.taskdefinition.InferenceAccelerator;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.MountPoint;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.api.v1alpha1.taskdefinition.VolumeFrom;
import dev.tidewater.model.EcsUnits.InvalidUnitException;
import dev.tidewater.model.FargateSizes.MemoryChoice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Checks a TaskDefinition spec for everything the CRD schema cannot: returns every problem, each
 * with its field path. Used by the reconcilers, the CLI and any webhook.
 *
 * <p>The rules are those ECS applies when it registers a task definition (or, where ECS would only
 * fail when the task starts, the rule that makes it fail), so a spec that passes here is one both
 * backends can run. {@code docs/validation.md} lists them with their reasons.
 */
public final class TaskDefinitionValidator {

  /** Task cpu is not a cpu value ECS understands. */
  public static final String INVALID_TASK_CPU = "InvalidTaskCpu";

  /** Task memory is not a memory value ECS understands. */
  public static final String INVALID_TASK_MEMORY = "InvalidTaskMemory";

  /** Fargate needs a task-level cpu. */
  public static final String TASK_CPU_REQUIRED = "TaskCpuRequired";

  /** Fargate needs a task-level memory. */
  public static final String TASK_MEMORY_REQUIRED = "TaskMemoryRequired";

  /** Task cpu is none of the Fargate sizes. */
  public static final String FARGATE_CPU_UNSUPPORTED = "FargateCpuUnsupported";

  /** Task memory is not allowed with the task cpu on Fargate. */
  public static final String FARGATE_MEMORY_UNSUPPORTED = "FargateMemoryUnsupported";

  /** Fargate needs networkMode awsvpc. */
  public static final String FARGATE_REQUIRES_AWSVPC = "FargateRequiresAwsvpc";

  /** Fargate Windows tasks need at least 1 vCPU. */
  public static final String FARGATE_WINDOWS_CPU_TOO_LOW = "FargateWindowsCpuTooLow";

  /** Fargate runs ARM64 only on Linux. */
  public static final String FARGATE_ARM64_REQUIRES_LINUX = "FargateArm64RequiresLinux";

  /** A field Fargate does not support is set. */
  public static final String NOT_SUPPORTED_ON_FARGATE = "NotSupportedOnFargate";

  /** A field the awsvpc network mode does not support is set. */
  public static final String NOT_SUPPORTED_WITH_AWSVPC = "NotSupportedWithAwsvpc";

  /** links are set but the network mode is not bridge. */
  public static final String LINKS_REQUIRE_BRIDGE = "LinksRequireBridge";

  /** portMappings are set under networkMode none. */
  public static final String PORT_MAPPINGS_WITHOUT_NETWORK = "PortMappingsWithoutNetwork";

  /** hostPort differs from containerPort under awsvpc or host. */
  public static final String HOST_PORT_MISMATCH = "HostPortMismatch";

  /** Two port mappings of the task claim the same host port and protocol. */
  public static final String DUPLICATE_HOST_PORT = "DuplicateHostPort";

  /** One container maps the same container port and protocol twice. */
  public static final String DUPLICATE_CONTAINER_PORT = "DuplicateContainerPort";

  /** Two port mappings of the task have the same name. */
  public static final String DUPLICATE_PORT_NAME = "DuplicatePortName";

  /** Without task memory, a container sets neither memory nor memoryReservation. */
  public static final String CONTAINER_MEMORY_REQUIRED = "ContainerMemoryRequired";

  /** memoryReservation is above memory. */
  public static final String MEMORY_RESERVATION_ABOVE_MEMORY = "MemoryReservationAboveMemory";

  /** A container's memory is above the task memory. */
  public static final String CONTAINER_MEMORY_EXCEEDS_TASK = "ContainerMemoryExceedsTask";

  /** The containers together reserve more memory than the task has. */
  public static final String CONTAINER_MEMORY_TOTAL_EXCEEDS_TASK =
      "ContainerMemoryTotalExceedsTask";

  /** A container's cpu is above the task cpu. */
  public static final String CONTAINER_CPU_EXCEEDS_TASK = "ContainerCpuExceedsTask";

  /** The containers together reserve more cpu than the task has. */
  public static final String CONTAINER_CPU_TOTAL_EXCEEDS_TASK = "ContainerCpuTotalExceedsTask";

  /** The task has no containers. */
  public static final String NO_CONTAINERS = "NoContainers";

  /** Two containers have the same name. */
  public static final String DUPLICATE_CONTAINER_NAME = "DuplicateContainerName";

  /** Two volumes have the same name. */
  public static final String DUPLICATE_VOLUME_NAME = "DuplicateVolumeName";

  /** A reference names a container the task does not have. */
  public static final String UNKNOWN_CONTAINER = "UnknownContainer";

  /** A container refers to itself (dependsOn, volumesFrom, links). */
  public static final String SELF_REFERENCE = "SelfReference";

  /** The dependsOn graph has a cycle. */
  public static final String DEPENDENCY_CYCLE = "DependencyCycle";

  /** dependsOn HEALTHY on a container without a health check. */
  public static final String DEPENDENCY_WITHOUT_HEALTH_CHECK = "DependencyWithoutHealthCheck";

  /** dependsOn COMPLETE or SUCCESS on an essential container. */
  public static final String ESSENTIAL_DEPENDENCY_CANNOT_EXIT = "EssentialDependencyCannotExit";

  /** A mount point names a volume the task does not have. */
  public static final String UNKNOWN_VOLUME = "UnknownVolume";

  /** An InferenceAccelerator requirement names no inferenceAccelerators device. */
  public static final String UNKNOWN_INFERENCE_ACCELERATOR = "UnknownInferenceAccelerator";

  /** awsfirelens is used but no container has firelensConfiguration. */
  public static final String LOG_ROUTER_MISSING = "LogRouterMissing";

  /** A container has firelensConfiguration but no container uses awsfirelens. */
  public static final String LOG_ROUTER_UNUSED = "LogRouterUnused";

  /** No container is essential. */
  public static final String NO_ESSENTIAL_CONTAINER = "NoEssentialContainer";

  /** A GPU requirement is not a positive whole number. */
  public static final String INVALID_GPU_COUNT = "InvalidGpuCount";

  /** A secret reference is not a Secrets Manager / SSM ARN or parameter name. */
  public static final String INVALID_SECRET_REFERENCE = "InvalidSecretReference";

  /** The valueFrom prefix of Tidewater's Kubernetes Secret references (kubernetes backend). */
  static final String K8S_SECRET_PREFIX = "k8s:secret/";

  private static final Pattern K8S_SECRET_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern K8S_SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /** A role is neither an IAM role ARN nor a role name. */
  public static final String INVALID_ROLE_ARN = "InvalidRoleArn";

  /** A value still holds an unrendered template placeholder. */
  public static final String TEMPLATE_PLACEHOLDER = "TemplatePlaceholder";

  /** Two fields that exclude each other are both set. */
  public static final String CONFLICTING_FIELDS = "ConflictingFields";

  /** A health check command is not CMD / CMD-SHELL / NONE shaped. */
  public static final String INVALID_HEALTH_CHECK_COMMAND = "InvalidHealthCheckCommand";

  /** A privileged container where the Cluster does not allow it. */
  public static final String PRIVILEGED_NOT_ALLOWED = PodSecurityGuardrails.PRIVILEGED_NOT_ALLOWED;

  /** networkMode host where the Cluster does not allow it. */
  public static final String HOST_NETWORK_NOT_ALLOWED =
      PodSecurityGuardrails.HOST_NETWORK_NOT_ALLOWED;

  /** pidMode host where the Cluster does not allow privileged tasks. */
  public static final String HOST_PID_NOT_ALLOWED = PodSecurityGuardrails.HOST_PID_NOT_ALLOWED;

  /** ipcMode host where the Cluster does not allow privileged tasks. */
  public static final String HOST_IPC_NOT_ALLOWED = PodSecurityGuardrails.HOST_IPC_NOT_ALLOWED;

  /** A host path volume where the Cluster does not allow it. */
  public static final String HOST_PATH_NOT_ALLOWED = PodSecurityGuardrails.HOST_PATH_NOT_ALLOWED;

  /** A dnsServers entry that is not an IP address. */
  public static final String INVALID_DNS_SERVER = "InvalidDnsServer";

  /** A dnsSearchDomains entry that is not a domain name. */
  public static final String INVALID_DNS_SEARCH_DOMAIN = "InvalidDnsSearchDomain";

  /** A systemControls namespace that is not a sysctl a container can set. */
  public static final String INVALID_SYSTEM_CONTROL = "InvalidSystemControl";

  /** A network (IPC) sysctl with networkMode (ipcMode) host: the host's own namespace. */
  public static final String SYSTEM_CONTROL_WITH_HOST_NAMESPACE = "SystemControlWithHostNamespace";

  private static final String FARGATE = "FARGATE";
  private static final String AWSVPC = "awsvpc";
  private static final String BRIDGE = "bridge";
  private static final String HOST = "host";
  private static final List<String> FARGATE_LOG_DRIVERS =
      List.of("awslogs", "splunk", "awsfirelens");
  private static final int FARGATE_WINDOWS_MIN_CPU = 1024;
  private static final Pattern POSITIVE_INTEGER = Pattern.compile("0*[1-9]\\d{0,8}");

  /** Every problem of {@code spec}, without Cluster guardrails; empty when it is valid. */
  public List<Problem> validate(TaskDefinitionSpec spec) {
    return validate(spec, ValidationContext.NONE);
  }

  /** An executionRoleArn outside the roles deploy/iam-policy.json lets the operator pass. */
  public static final String EXECUTION_ROLE_NOT_PASSABLE = "ExecutionRoleNotPassable";

  /**
   * The execution roles deploy/iam-policy.json lets the operator pass to ECS tasks (statements
   * PassExecutionRolesToEcsTasks and PassTaskRolesToEcsTasksAndEksPodIdentity): the role named
   * ecsTaskExecutionRole, roles under /ecs-execution/ and under /tidewater/.
   */
  private static final Pattern PASSABLE_EXECUTION_ROLE =
      Pattern.compile(
          "^(arn:aws[a-z-]*:iam::[0-9]{12}:role/)?"
              + "(ecsTaskExecutionRole|ecs-execution/.+|tidewater/.+)$");

  /**
   * What the ecs backend would likely have AWS refuse but a platform team may have allowed in its
   * own copy of the operator's policy: an {@code executionRoleArn} outside the roles
   * deploy/iam-policy.json lets the operator pass (RegisterTaskDefinition then fails with
   * AccessDenied on iam:PassRole). Warnings, not refusals; none off the ecs backend.
   */
  public static List<StatusWarning> warnings(TaskDefinitionSpec spec, ValidationContext context) {
    if (!context.onEcs()
        || spec.executionRoleArn == null
        || AwsIdentifiers.placeholderIn(spec.executionRoleArn).isPresent()
        || PASSABLE_EXECUTION_ROLE.matcher(spec.executionRoleArn).matches()) {
      return List.of();
    }
    return List.of(
        new StatusWarning(
            "spec.executionRoleArn",
            EXECUTION_ROLE_NOT_PASSABLE,
            "executionRoleArn "
                + spec.executionRoleArn
                + " is not a role deploy/iam-policy.json lets the operator pass to ECS tasks"
                + " (ecsTaskExecutionRole, role/ecs-execution/*, role/tidewater/*):"
                + " RegisterTaskDefinition fails with AccessDenied on iam:PassRole unless the"
                + " operator's policy was extended for it"));
  }

  /** Every problem of {@code spec}, including the guardrails of {@code context}. */
  public List<Problem> validate(TaskDefinitionSpec spec, ValidationContext context) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(context, "context");
    Check check = new Check(spec, context);
    check.run();
    return List.copyOf(check.problems);
  }

  /** One validation run: the facts every rule needs, computed once, and the problems found. */
  private static final class Check {
    private final TaskDefinitionSpec spec;
    private final ValidationContext context;
    private final List<Problem> problems = new ArrayList<>();
    // Null elements are kept so indexes stay those of the input.
    private final List<ContainerDefinition> containers;
    private final List<Volume> volumes;
    // First index of each container name; later duplicates are reported, not indexed.
    private final Map<String, Integer> containerIndex = new HashMap<>();
    private final Set<String> volumeNames = new HashSet<>();
    private final boolean fargate;
    private final String declaredNetworkMode;
    // What the tasks get: Fargate always runs awsvpc; EC2 and EXTERNAL default to bridge.
    private final String networkMode;
    private Integer taskCpu;
    private Integer taskMemory;

    Check(TaskDefinitionSpec spec, ValidationContext context) {
      this.spec = spec;
      this.context = context;
      this.containers = orEmpty(spec.containerDefinitions);
      this.volumes = orEmpty(spec.volumes);
      this.fargate = orEmpty(spec.requiresCompatibilities).contains(FARGATE);
      this.declaredNetworkMode = present(spec.networkMode) ? spec.networkMode.strip() : null;
      this.networkMode =
          fargate ? AWSVPC : declaredNetworkMode == null ? BRIDGE : declaredNetworkMode;
    }

    void run() {
      taskUnits();
      roles();
      names();
      fargate();
      network();
      memoryAndCpu();
      references();
      dependencyCycles();
      essential();
      resourceRequirements();
      ports();
      secrets();
      healthChecks();
      dns();
      systemControls();
      guardrails();
      if (context.tagsGoToAws()) {
        // a revision carries tidewater.dev/hash besides the three ownership tags
        problems.addAll(
            AwsTagRules.validate(spec.tags, "tags", AwsTagRules.TASK_DEFINITION_OWN_TAGS));
      }
    }

    // --- task cpu and memory ------------------------------------------------------------------

    private void taskUnits() {
      if (present(spec.cpu)) {
        try {
          taskCpu = EcsUnits.parseTaskCpu(spec.cpu);
        } catch (InvalidUnitException e) {
          add("cpu", INVALID_TASK_CPU, "cpu " + e.getMessage());
        }
      }
      if (present(spec.memory)) {
        try {
          taskMemory = EcsUnits.parseTaskMemory(spec.memory);
        } catch (InvalidUnitException e) {
          add("memory", INVALID_TASK_MEMORY, "memory " + e.getMessage());
        }
      }
    }

    // --- roles --------------------------------------------------------------------------------

    private void roles() {
      role("taskRoleArn", spec.taskRoleArn);
      role("executionRoleArn", spec.executionRoleArn);
      if (spec.taskRoleArn != null && spec.taskRoleRef != null) {
        add(
            "taskRoleRef",
            CONFLICTING_FIELDS,
            "taskRoleRef and taskRoleArn are both set; set one of them");
      }
      if (spec.executionRoleArn != null && spec.executionRoleRef != null) {
        add(
            "executionRoleRef",
            CONFLICTING_FIELDS,
            "executionRoleRef and executionRoleArn are both set; set one of them");
      }
    }

    private void role(String path, String value) {
      if (value == null || placeholder(path, value)) {
        return;
      }
      AwsIdentifiers.roleViolation(value)
          .ifPresent(
              v ->
                  add(
                      path,
                      INVALID_ROLE_ARN,
                      path
                          + " "
                          + quote(value)
                          + " "
                          + v
                          + "; use arn:aws:iam::<12-digit account>:role/<name> or a role name"));
    }

    // --- names --------------------------------------------------------------------------------

    private void names() {
      if (containers.isEmpty()) {
        add(
            "containerDefinitions",
            NO_CONTAINERS,
            "containerDefinitions is empty: a task needs" + " at least one container");
      }
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null || c.name == null) {
          continue;
        }
        if (containerIndex.putIfAbsent(c.name, i) != null) {
          add(
              c(i) + ".name",
              DUPLICATE_CONTAINER_NAME,
              "container name " + quote(c.name) + " is used twice; names must be unique in a task");
        }
      }
      for (int k = 0; k < volumes.size(); k++) {
        Volume v = volumes.get(k);
        if (v == null || v.name == null) {
          continue;
        }
        if (!volumeNames.add(v.name)) {
          add(
              "volumes[" + k + "].name",
              DUPLICATE_VOLUME_NAME,
              "volume name " + quote(v.name) + " is used twice; names must be unique in a task");
        }
      }
    }

    // --- Fargate ------------------------------------------------------------------------------

    private void fargate() {
      if (!fargate) {
        return;
      }
      fargateSize();
      if (!AWSVPC.equals(declaredNetworkMode)) {
        add(
            "networkMode",
            FARGATE_REQUIRES_AWSVPC,
            "Fargate needs networkMode awsvpc, not "
                + (declaredNetworkMode == null ? "the default (bridge)" : declaredNetworkMode));
      }
      fargatePlatform();
      if (!orEmpty(spec.placementConstraints).isEmpty()) {
        notOnFargate("placementConstraints", "placementConstraints");
      }
      if (present(spec.ipcMode)) {
        notOnFargate("ipcMode", "ipcMode " + spec.ipcMode);
      }
      if (HOST.equals(spec.pidMode)) {
        notOnFargate("pidMode", "pidMode host", " (pidMode task is)");
      }
      if (!orEmpty(spec.inferenceAccelerators).isEmpty()) {
        notOnFargate("inferenceAccelerators", "inferenceAccelerators");
      }
      for (int k = 0; k < volumes.size(); k++) {
        Volume v = volumes.get(k);
        if (v == null) {
          continue;
        }
        String p = "volumes[" + k + "]";
        if (v.host != null && present(v.host.sourcePath)) {
          notOnFargate(
              p + ".host.sourcePath",
              "host sourcePath " + quote(v.host.sourcePath),
              " (a host volume without sourcePath is)");
        }
        if (v.dockerVolumeConfiguration != null) {
          notOnFargate(p + ".dockerVolumeConfiguration", "dockerVolumeConfiguration");
        }
        if (v.fsxWindowsFileServerVolumeConfiguration != null) {
          notOnFargate(
              p + ".fsxWindowsFileServerVolumeConfiguration",
              "fsxWindowsFileServerVolumeConfiguration");
        }
      }
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c != null) {
          fargateContainer(i, c);
        }
      }
    }

    private void fargateSize() {
      if (!present(spec.cpu)) {
        add(
            "cpu",
            TASK_CPU_REQUIRED,
            "Fargate needs a task cpu: one of "
                + Messages.or(FargateSizes.cpuSizes())
                + " CPU units");
      }
      if (!present(spec.memory)) {
        add(
            "memory",
            TASK_MEMORY_REQUIRED,
            "Fargate needs a task memory in MiB that fits the task cpu");
      }
      if (taskCpu == null) {
        return;
      }
      Optional<MemoryChoice> choice = FargateSizes.memoryFor(taskCpu);
      if (choice.isEmpty()) {
        add(
            "cpu",
            FARGATE_CPU_UNSUPPORTED,
            "Fargate task cpu "
                + shown(spec.cpu, taskCpu)
                + " is not a Fargate size: use "
                + Messages.or(FargateSizes.cpuSizes())
                + " CPU units");
      } else if (taskMemory != null && !choice.get().allows(taskMemory)) {
        add(
            "memory",
            FARGATE_MEMORY_UNSUPPORTED,
            "Fargate task cpu "
                + shown(spec.cpu, taskCpu)
                + " allows memory "
                + choice.get().describe()
                + " MiB, not "
                + shown(spec.memory, taskMemory));
      }
    }

    private void fargatePlatform() {
      if (spec.runtimePlatform == null) {
        return;
      }
      String os = spec.runtimePlatform.operatingSystemFamily;
      String arch = spec.runtimePlatform.cpuArchitecture;
      boolean windows = os != null && os.startsWith("WINDOWS");
      if (windows && taskCpu != null && taskCpu < FARGATE_WINDOWS_MIN_CPU) {
        add(
            "cpu",
            FARGATE_WINDOWS_CPU_TOO_LOW,
            "Fargate Windows tasks ("
                + os
                + ") need at least 1024 CPU units (1 vCPU), not task cpu "
                + shown(spec.cpu, taskCpu));
      }
      if ("ARM64".equals(arch) && os != null && !os.equals("LINUX")) {
        add(
            "runtimePlatform.cpuArchitecture",
            FARGATE_ARM64_REQUIRES_LINUX,
            "Fargate runs cpuArchitecture ARM64 only with operatingSystemFamily LINUX, not " + os);
      }
    }

    private void fargateContainer(int i, ContainerDefinition c) {
      String p = c(i);
      if (Boolean.TRUE.equals(c.privileged)) {
        notOnFargate(p + ".privileged", "privileged true");
      }
      if (Boolean.TRUE.equals(c.disableNetworking)) {
        notOnFargate(p + ".disableNetworking", "disableNetworking true");
      }
      if (!orEmpty(c.dnsServers).isEmpty()) {
        notOnFargate(p + ".dnsServers", "dnsServers " + c.dnsServers);
      }
      if (!orEmpty(c.dnsSearchDomains).isEmpty()) {
        notOnFargate(p + ".dnsSearchDomains", "dnsSearchDomains " + c.dnsSearchDomains);
      }
      if (!orEmpty(c.dockerSecurityOptions).isEmpty()) {
        notOnFargate(
            p + ".dockerSecurityOptions", "dockerSecurityOptions " + c.dockerSecurityOptions);
      }
      LinuxParameters lp = c.linuxParameters;
      if (lp != null) {
        String l = p + ".linuxParameters";
        if (!orEmpty(lp.devices).isEmpty()) {
          notOnFargate(l + ".devices", "linuxParameters.devices");
        }
        if (lp.sharedMemorySize != null) {
          notOnFargate(
              l + ".sharedMemorySize", "linuxParameters.sharedMemorySize " + lp.sharedMemorySize);
        }
        if (!orEmpty(lp.tmpfs).isEmpty()) {
          notOnFargate(l + ".tmpfs", "linuxParameters.tmpfs");
        }
        if (lp.maxSwap != null) {
          notOnFargate(l + ".maxSwap", "linuxParameters.maxSwap " + lp.maxSwap);
        }
        if (lp.swappiness != null) {
          notOnFargate(l + ".swappiness", "linuxParameters.swappiness " + lp.swappiness);
        }
        if (lp.capabilities != null) {
          List<String> added = orEmpty(lp.capabilities.add);
          for (int k = 0; k < added.size(); k++) {
            String cap = added.get(k);
            if (cap != null && !cap.equals("SYS_PTRACE")) {
              add(
                  l + ".capabilities.add[" + k + "]",
                  NOT_SUPPORTED_ON_FARGATE,
                  "capability " + cap + " cannot be added on Fargate: only SYS_PTRACE can");
            }
          }
        }
      }
      List<ResourceRequirement> rr = orEmpty(c.resourceRequirements);
      for (int k = 0; k < rr.size(); k++) {
        if (rr.get(k) != null && "GPU".equals(rr.get(k).type)) {
          notOnFargate(
              p + ".resourceRequirements[" + k + "]",
              "GPU " + rr.get(k).value,
              ": GPUs need EC2 or EXTERNAL capacity");
        }
      }
      LogConfiguration log = c.logConfiguration;
      if (log != null && log.logDriver != null && !FARGATE_LOG_DRIVERS.contains(log.logDriver)) {
        add(
            p + ".logConfiguration.logDriver",
            NOT_SUPPORTED_ON_FARGATE,
            "logDriver "
                + log.logDriver
                + " is not supported on Fargate: use "
                + Messages.or(FARGATE_LOG_DRIVERS));
      }
    }

    private void notOnFargate(String path, String what) {
      notOnFargate(path, what, "");
    }

    private void notOnFargate(String path, String what, String hint) {
      add(path, NOT_SUPPORTED_ON_FARGATE, what + " is not supported on Fargate" + hint);
    }

    // --- network mode -------------------------------------------------------------------------

    private void network() {
      boolean awsvpc = AWSVPC.equals(networkMode);
      boolean samePorts = awsvpc || HOST.equals(networkMode);
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        String p = c(i);
        List<PortMapping> mappings = orEmpty(c.portMappings);
        if ("none".equals(networkMode) && !mappings.isEmpty()) {
          add(
              p + ".portMappings",
              PORT_MAPPINGS_WITHOUT_NETWORK,
              "portMappings are set but networkMode none gives the task no network");
        }
        for (int j = 0; j < mappings.size(); j++) {
          PortMapping m = mappings.get(j);
          if (samePorts
              && m != null
              && m.hostPort != null
              && m.containerPort != null
              && !m.hostPort.equals(m.containerPort)) {
            add(
                pm(i, j) + ".hostPort",
                HOST_PORT_MISMATCH,
                "hostPort "
                    + m.hostPort
                    + " must equal containerPort "
                    + m.containerPort
                    + " (or be left out) under networkMode "
                    + networkMode);
          }
        }
        if (!orEmpty(c.links).isEmpty() && !BRIDGE.equals(networkMode)) {
          add(
              p + ".links",
              LINKS_REQUIRE_BRIDGE,
              "links "
                  + c.links
                  + " need networkMode bridge, not "
                  + networkMode
                  + (awsvpc ? "; under awsvpc containers reach each other on localhost" : ""));
        }
        if (awsvpc && present(c.hostname)) {
          add(
              p + ".hostname",
              NOT_SUPPORTED_WITH_AWSVPC,
              "hostname " + quote(c.hostname) + " is not supported under networkMode awsvpc");
        }
        if (awsvpc && !orEmpty(c.extraHosts).isEmpty()) {
          add(
              p + ".extraHosts",
              NOT_SUPPORTED_WITH_AWSVPC,
              "extraHosts are not supported under networkMode awsvpc");
        }
      }
    }

    // --- container memory and cpu -------------------------------------------------------------

    private void memoryAndCpu() {
      boolean needContainerMemory = !present(spec.memory) && !fargate;
      boolean memoryReported = false;
      boolean cpuReported = false;
      long reserved = 0;
      long cpuSum = 0;
      StringJoiner reservedParts = new StringJoiner(", ");
      StringJoiner cpuParts = new StringJoiner(", ");
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        String p = c(i);
        if (needContainerMemory && c.memory == null && c.memoryReservation == null) {
          add(
              p + ".memory",
              CONTAINER_MEMORY_REQUIRED,
              "container "
                  + quote(c.name)
                  + " sets neither memory nor memoryReservation, and the task sets no memory;"
                  + " set one of them (MiB)");
        }
        if (c.memory != null && c.memoryReservation != null && c.memoryReservation > c.memory) {
          add(
              p + ".memoryReservation",
              MEMORY_RESERVATION_ABOVE_MEMORY,
              "memoryReservation "
                  + c.memoryReservation
                  + " MiB is more than memory "
                  + c.memory
                  + " MiB; the soft limit must not exceed the hard limit");
        }
        if (taskMemory != null && c.memory != null && c.memory > taskMemory) {
          memoryReported = true;
          add(
              p + ".memory",
              CONTAINER_MEMORY_EXCEEDS_TASK,
              "memory "
                  + c.memory
                  + " MiB of container "
                  + quote(c.name)
                  + " is more than the task memory "
                  + shown(spec.memory, taskMemory)
                  + " MiB");
        }
        Integer reservation = c.memoryReservation != null ? c.memoryReservation : c.memory;
        if (reservation != null) {
          reserved += reservation;
          reservedParts.add(c.name + " " + reservation);
        }
        if (taskCpu != null && c.cpu != null && c.cpu > taskCpu) {
          cpuReported = true;
          add(
              p + ".cpu",
              CONTAINER_CPU_EXCEEDS_TASK,
              "cpu "
                  + c.cpu
                  + " of container "
                  + quote(c.name)
                  + " is more than the task cpu "
                  + shown(spec.cpu, taskCpu)
                  + " CPU units");
        }
        if (c.cpu != null && c.cpu > 0) {
          cpuSum += c.cpu;
          cpuParts.add(c.name + " " + c.cpu);
        }
      }
      if (taskMemory != null && !memoryReported && reserved > taskMemory) {
        add(
            "memory",
            CONTAINER_MEMORY_TOTAL_EXCEEDS_TASK,
            "the containers reserve "
                + reserved
                + " MiB in total ("
                + reservedParts
                + "), more than the task memory "
                + shown(spec.memory, taskMemory)
                + " MiB");
      }
      if (taskCpu != null && !cpuReported && cpuSum > taskCpu) {
        add(
            "cpu",
            CONTAINER_CPU_TOTAL_EXCEEDS_TASK,
            "the containers reserve "
                + cpuSum
                + " CPU units in total ("
                + cpuParts
                + "), more than the task cpu "
                + shown(spec.cpu, taskCpu));
      }
    }

    // --- references between containers and volumes --------------------------------------------

    private void references() {
      Set<String> acceleratorNames = new HashSet<>();
      for (InferenceAccelerator a : orEmpty(spec.inferenceAccelerators)) {
        if (a != null && a.deviceName != null) {
          acceleratorNames.add(a.deviceName);
        }
      }
      List<Integer> routers = new ArrayList<>();
      List<Integer> routed = new ArrayList<>();
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        dependsOn(i, c);
        volumesFrom(i, c);
        links(i, c);
        mountPoints(i, c);
        List<ResourceRequirement> rr = orEmpty(c.resourceRequirements);
        for (int k = 0; k < rr.size(); k++) {
          ResourceRequirement r = rr.get(k);
          if (r != null
              && "InferenceAccelerator".equals(r.type)
              && !acceleratorNames.contains(r.value)) {
            add(
                c(i) + ".resourceRequirements[" + k + "].value",
                UNKNOWN_INFERENCE_ACCELERATOR,
                "InferenceAccelerator "
                    + quote(r.value)
                    + " is not a deviceName of the task's inferenceAccelerators "
                    + acceleratorNames);
          }
        }
        if (c.firelensConfiguration != null) {
          routers.add(i);
        }
        if (c.logConfiguration != null && "awsfirelens".equals(c.logConfiguration.logDriver)) {
          routed.add(i);
        }
      }
      if (spec.proxyConfiguration != null
          && spec.proxyConfiguration.containerName != null
          && !containerIndex.containsKey(spec.proxyConfiguration.containerName)) {
        add(
            "proxyConfiguration.containerName",
            UNKNOWN_CONTAINER,
            "proxyConfiguration.containerName "
                + quote(spec.proxyConfiguration.containerName)
                + " is not a container of this task");
      }
      if (routers.isEmpty()) {
        for (int i : routed) {
          add(
              c(i) + ".logConfiguration.logDriver",
              LOG_ROUTER_MISSING,
              "logDriver awsfirelens of container "
                  + quote(containers.get(i).name)
                  + " needs a log router: a container with firelensConfiguration");
        }
      } else if (routed.isEmpty()) {
        for (int i : routers) {
          add(
              c(i) + ".firelensConfiguration",
              LOG_ROUTER_UNUSED,
              "container "
                  + quote(containers.get(i).name)
                  + " has firelensConfiguration but no container uses logDriver awsfirelens");
        }
      }
    }

    private void dependsOn(int i, ContainerDefinition c) {
      List<ContainerDependency> deps = orEmpty(c.dependsOn);
      for (int j = 0; j < deps.size(); j++) {
        ContainerDependency d = deps.get(j);
        if (d == null || d.containerName == null) {
          continue;
        }
        String p = c(i) + ".dependsOn[" + j + "]";
        if (d.containerName.equals(c.name)) {
          add(
              p + ".containerName",
              SELF_REFERENCE,
              "container " + quote(c.name) + " depends on itself");
          continue;
        }
        Integer target = containerIndex.get(d.containerName);
        if (target == null) {
          add(
              p + ".containerName",
              UNKNOWN_CONTAINER,
              "dependsOn " + quote(d.containerName) + " is not a container of this task");
          continue;
        }
        ContainerDefinition t = containers.get(target);
        if ("HEALTHY".equals(d.condition) && t.healthCheck == null) {
          add(
              p + ".condition",
              DEPENDENCY_WITHOUT_HEALTH_CHECK,
              "condition HEALTHY waits for container "
                  + quote(t.name)
                  + " to pass its health check, but it has no healthCheck");
        }
        if (("COMPLETE".equals(d.condition) || "SUCCESS".equals(d.condition))
            && !Boolean.FALSE.equals(t.essential)) {
          add(
              p + ".condition",
              ESSENTIAL_DEPENDENCY_CANNOT_EXIT,
              "condition "
                  + d.condition
                  + " waits for container "
                  + quote(t.name)
                  + " to exit, but it is essential and its exit stops the task; set essential"
                  + " false on it");
        }
      }
    }

    private void volumesFrom(int i, ContainerDefinition c) {
      List<VolumeFrom> from = orEmpty(c.volumesFrom);
      for (int j = 0; j < from.size(); j++) {
        VolumeFrom f = from.get(j);
        if (f == null || f.sourceContainer == null) {
          continue;
        }
        String p = c(i) + ".volumesFrom[" + j + "].sourceContainer";
        if (f.sourceContainer.equals(c.name)) {
          add(p, SELF_REFERENCE, "container " + quote(c.name) + " mounts volumes from itself");
        } else if (!containerIndex.containsKey(f.sourceContainer)) {
          add(
              p,
              UNKNOWN_CONTAINER,
              "volumesFrom sourceContainer "
                  + quote(f.sourceContainer)
                  + " is not a container of this task");
        }
      }
    }

    private void links(int i, ContainerDefinition c) {
      List<String> links = orEmpty(c.links);
      for (int j = 0; j < links.size(); j++) {
        String link = links.get(j);
        if (link == null) {
          continue;
        }
        // "name" or "name:alias"
        int colon = link.indexOf(':');
        String target = colon < 0 ? link : link.substring(0, colon);
        String p = c(i) + ".links[" + j + "]";
        if (target.equals(c.name)) {
          add(p, SELF_REFERENCE, "container " + quote(c.name) + " links to itself");
        } else if (!containerIndex.containsKey(target)) {
          add(
              p,
              UNKNOWN_CONTAINER,
              "link " + quote(link) + " names " + quote(target) + ", not a container of this task");
        }
      }
    }

    private void mountPoints(int i, ContainerDefinition c) {
      List<MountPoint> mounts = orEmpty(c.mountPoints);
      for (int j = 0; j < mounts.size(); j++) {
        MountPoint m = mounts.get(j);
        if (m != null && m.sourceVolume != null && !volumeNames.contains(m.sourceVolume)) {
          add(
              c(i) + ".mountPoints[" + j + "].sourceVolume",
              UNKNOWN_VOLUME,
              "sourceVolume " + quote(m.sourceVolume) + " is not a volume of this task");
        }
      }
    }

    // --- dependsOn cycles ---------------------------------------------------------------------

    private void dependencyCycles() {
      int n = containers.size();
      // edges[u] = (dependsOn index, target container index), without self and unknown targets
      List<List<int[]>> edges = new ArrayList<>();
      for (int u = 0; u < n; u++) {
        List<int[]> out = new ArrayList<>();
        ContainerDefinition c = containers.get(u);
        // Only the first container of a duplicated name is a node; the name is reported already.
        if (c != null && c.name != null && containerIndex.get(c.name) == u) {
          List<ContainerDependency> deps = orEmpty(c.dependsOn);
          for (int j = 0; j < deps.size(); j++) {
            ContainerDependency d = deps.get(j);
            Integer v = d == null ? null : containerIndex.get(d.containerName);
            if (v != null && v != u) {
              out.add(new int[] {j, v});
            }
          }
        }
        edges.add(out);
      }
      int[] state = new int[n];
      Set<String> seen = new HashSet<>();
      for (int u = 0; u < n; u++) {
        if (state[u] == 0) {
          visit(u, edges, state, new ArrayList<>(), new ArrayList<>(), seen);
        }
      }
    }

    // Depth-first search; a dependsOn edge back to a node on the current path closes a cycle.
    private void visit(
        int u,
        List<List<int[]>> edges,
        int[] state,
        List<Integer> path,
        List<Integer> taken,
        Set<String> seen) {
      state[u] = 1;
      path.add(u);
      for (int[] e : edges.get(u)) {
        int v = e[1];
        if (state[v] == 1) {
          int from = path.indexOf(v);
          List<Integer> nodes = new ArrayList<>(path.subList(from, path.size()));
          List<Integer> via = new ArrayList<>(taken.subList(from, taken.size()));
          via.add(e[0]);
          reportCycle(nodes, via, seen);
        } else if (state[v] == 0) {
          taken.add(e[0]);
          visit(v, edges, state, path, taken, seen);
          taken.remove(taken.size() - 1);
        }
      }
      path.remove(path.size() - 1);
      state[u] = 2;
    }

    private void reportCycle(List<Integer> nodes, List<Integer> via, Set<String> seen) {
      // Start at the lowest container index so the same cycle always reads the same.
      int start = 0;
      for (int k = 1; k < nodes.size(); k++) {
        if (nodes.get(k) < nodes.get(start)) {
          start = k;
        }
      }
      StringJoiner chain = new StringJoiner(" -> ");
      for (int k = 0; k <= nodes.size(); k++) {
        chain.add(containers.get(nodes.get((start + k) % nodes.size())).name);
      }
      if (!seen.add(chain.toString())) {
        return;
      }
      int first = nodes.get(start);
      add(
          c(first) + ".dependsOn[" + via.get(start) + "].containerName",
          DEPENDENCY_CYCLE,
          "dependsOn forms a cycle: "
              + chain
              + "; these containers would wait for each other"
              + " forever");
    }

    // --- essential ----------------------------------------------------------------------------

    private void essential() {
      if (containers.isEmpty()) {
        return;
      }
      boolean any =
          containers.stream().anyMatch(c -> c != null && !Boolean.FALSE.equals(c.essential));
      if (!any) {
        add(
            "containerDefinitions",
            NO_ESSENTIAL_CONTAINER,
            "every container has essential false; at least one container must be essential");
      }
    }

    // --- GPUs ---------------------------------------------------------------------------------

    private void resourceRequirements() {
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        List<ResourceRequirement> rr = c == null ? List.of() : orEmpty(c.resourceRequirements);
        for (int k = 0; k < rr.size(); k++) {
          ResourceRequirement r = rr.get(k);
          if (r != null
              && "GPU".equals(r.type)
              && (r.value == null || !POSITIVE_INTEGER.matcher(r.value.strip()).matches())) {
            add(
                c(i) + ".resourceRequirements[" + k + "].value",
                INVALID_GPU_COUNT,
                "GPU value " + quote(r.value) + " is not a positive whole number of GPUs");
          }
        }
      }
    }

    // --- ports --------------------------------------------------------------------------------

    private void ports() {
      boolean samePorts = AWSVPC.equals(networkMode) || HOST.equals(networkMode);
      Map<String, String> hostPorts = new HashMap<>();
      Map<String, String> portNames = new HashMap<>();
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        List<PortMapping> mappings = orEmpty(c.portMappings);
        Map<String, Integer> containerPorts = new LinkedHashMap<>();
        for (int j = 0; j < mappings.size(); j++) {
          PortMapping m = mappings.get(j);
          if (m == null) {
            continue;
          }
          String protocol = m.protocol == null ? "tcp" : m.protocol;
          if (m.containerPort != null) {
            Integer earlier = containerPorts.putIfAbsent(m.containerPort + "/" + protocol, j);
            if (earlier != null) {
              add(
                  pm(i, j) + ".containerPort",
                  DUPLICATE_CONTAINER_PORT,
                  "containerPort "
                      + m.containerPort
                      + "/"
                      + protocol
                      + " is already mapped by "
                      + pm(i, earlier));
              // The same mapping twice would also claim its host port twice: one problem is
              // enough.
              continue;
            }
          }
          Integer hostPort = effectiveHostPort(m, samePorts);
          if (hostPort != null) {
            String key = hostPort + "/" + protocol;
            String here = pm(i, j);
            String earlier = hostPorts.putIfAbsent(key, here);
            if (earlier != null) {
              add(
                  here + (m.hostPort != null && m.hostPort != 0 ? ".hostPort" : ".containerPort"),
                  DUPLICATE_HOST_PORT,
                  "host port "
                      + key
                      + " is already used by "
                      + earlier
                      + "; a host port can be bound once per task");
            }
          }
          if (m.name != null) {
            String here = pm(i, j);
            String earlier = portNames.putIfAbsent(m.name, here);
            if (earlier != null) {
              add(
                  here + ".name",
                  DUPLICATE_PORT_NAME,
                  "port name "
                      + quote(m.name)
                      + " is already used by "
                      + earlier
                      + "; port names must be unique in a task");
            }
          }
        }
      }
    }

    // The host port a mapping binds: under bridge only an explicit non-zero hostPort (0 or none
    // is a dynamic port); under awsvpc and host the container port itself.
    private static Integer effectiveHostPort(PortMapping m, boolean samePorts) {
      if (m.hostPort != null && m.hostPort != 0) {
        return m.hostPort;
      }
      return samePorts ? m.containerPort : null;
    }

    // --- secrets and other references to AWS --------------------------------------------------

    private void secrets() {
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        String p = c(i);
        if (c.image != null) {
          placeholder(p + ".image", c.image);
        }
        List<Secret> secrets = orEmpty(c.secrets);
        for (int j = 0; j < secrets.size(); j++) {
          if (secrets.get(j) != null) {
            secretReference(p + ".secrets[" + j + "].valueFrom", secrets.get(j).valueFrom);
          }
        }
        if (c.logConfiguration != null) {
          List<Secret> options = orEmpty(c.logConfiguration.secretOptions);
          for (int j = 0; j < options.size(); j++) {
            if (options.get(j) != null) {
              secretReference(
                  p + ".logConfiguration.secretOptions[" + j + "].valueFrom",
                  options.get(j).valueFrom);
            }
          }
        }
        if (c.repositoryCredentials != null) {
          String path = p + ".repositoryCredentials.credentialsParameter";
          String value = c.repositoryCredentials.credentialsParameter;
          if (!placeholder(path, value)) {
            AwsIdentifiers.secretsManagerSecretViolation(value)
                .ifPresent(
                    v ->
                        add(
                            path,
                            INVALID_SECRET_REFERENCE,
                            "credentialsParameter " + quote(value) + " " + v));
          }
        }
      }
    }

    private void secretReference(String path, String value) {
      if (placeholder(path, value)) {
        return;
      }
      if (value != null && value.startsWith(K8S_SECRET_PREFIX)) {
        kubernetesSecretReference(path, value);
        return;
      }
      AwsIdentifiers.secretReferenceViolation(value)
          .ifPresent(
              v -> add(path, INVALID_SECRET_REFERENCE, "valueFrom " + quote(value) + " " + v));
    }

    /**
     * Tidewater's own {@code k8s:secret/<secret-name>/<key>} form reads a Kubernetes Secret of the
     * namespace: the kubernetes backend only, with a valid Secret name and data key.
     */
    private void kubernetesSecretReference(String path, String value) {
      if (context.onEcs()) {
        add(
            path,
            INVALID_SECRET_REFERENCE,
            "valueFrom "
                + quote(value)
                + " reads a Kubernetes Secret, which exists only on the kubernetes backend; on ECS"
                + " use an SSM parameter or a Secrets Manager secret");
        return;
      }
      String rest = value.substring(K8S_SECRET_PREFIX.length());
      int slash = rest.indexOf('/');
      String name = slash < 0 ? rest : rest.substring(0, slash);
      String key = slash < 0 ? "" : rest.substring(slash + 1);
      if (!K8S_SECRET_NAME.matcher(name).matches()
          || name.length() > 253
          || !K8S_SECRET_KEY.matcher(key).matches()
          || key.length() > 253) {
        add(
            path,
            INVALID_SECRET_REFERENCE,
            "valueFrom "
                + quote(value)
                + " must read k8s:secret/<secret-name>/<key>: a Secret name (lower case"
                + " alphanumerics, '-' and '.', at most 253 characters) and a data key"
                + " (alphanumerics, '-', '_' and '.')");
      }
    }

    /** Reports a template placeholder in {@code value}; true when there was one. */
    private boolean placeholder(String path, String value) {
      Optional<String> found = AwsIdentifiers.placeholderIn(value);
      found.ifPresent(
          ph ->
              add(
                  path,
                  TEMPLATE_PLACEHOLDER,
                  path.substring(path.lastIndexOf('.') + 1)
                      + " "
                      + quote(value)
                      + " still holds the template placeholder "
                      + quote(ph)
                      + "; render the template before applying"));
      return found.isPresent();
    }

    // --- health checks ------------------------------------------------------------------------

    private void healthChecks() {
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null || c.healthCheck == null) {
          continue;
        }
        healthCheck(c(i) + ".healthCheck", c.healthCheck);
      }
    }

    private void healthCheck(String p, HealthCheck h) {
      List<String> cmd = orEmpty(h.command);
      String path = p + ".command";
      if (cmd.isEmpty()) {
        add(
            path,
            INVALID_HEALTH_CHECK_COMMAND,
            "healthCheck.command is empty; use"
                + " [\"CMD-SHELL\", \"<shell command>\"] or [\"CMD\", \"<executable>\", ...]");
        return;
      }
      String first = cmd.get(0);
      switch (first == null ? "" : first) {
        case "CMD-SHELL" -> {
          if (cmd.size() != 2) {
            add(
                path,
                INVALID_HEALTH_CHECK_COMMAND,
                "healthCheck.command "
                    + cmd
                    + " has "
                    + (cmd.size() - 1)
                    + " elements after CMD-SHELL; it takes exactly one shell command string");
          }
        }
        case "CMD" -> {
          if (cmd.size() < 2) {
            add(
                path,
                INVALID_HEALTH_CHECK_COMMAND,
                "healthCheck.command [\"CMD\"] names no executable; use [\"CMD\","
                    + " \"<executable>\", \"<arg>\", ...]");
          }
        }
        case "NONE" -> {
          if (cmd.size() != 1) {
            add(
                path,
                INVALID_HEALTH_CHECK_COMMAND,
                "healthCheck.command " + cmd + " has arguments after NONE; use [\"NONE\"] alone");
          }
        }
        default ->
            add(
                path + "[0]",
                INVALID_HEALTH_CHECK_COMMAND,
                "healthCheck.command starts with "
                    + quote(first)
                    + "; it must start with CMD or CMD-SHELL (or be [\"NONE\"])");
      }
    }

    // --- DNS and sysctls -----------------------------------------------------------------------

    private void dns() {
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        List<String> servers = orEmpty(c.dnsServers);
        for (int k = 0; k < servers.size(); k++) {
          if (!PodSpecRules.isIpAddress(servers.get(k))) {
            add(
                c(i) + ".dnsServers[" + k + "]",
                INVALID_DNS_SERVER,
                "DNS server " + quote(servers.get(k)) + " is not an IPv4 or IPv6 address");
          }
        }
        List<String> searches = orEmpty(c.dnsSearchDomains);
        for (int k = 0; k < searches.size(); k++) {
          if (!PodSpecRules.isSearchDomain(searches.get(k))) {
            add(
                c(i) + ".dnsSearchDomains[" + k + "]",
                INVALID_DNS_SEARCH_DOMAIN,
                "DNS search domain "
                    + quote(searches.get(k))
                    + " is not a domain name (labels of letters, digits and '-', joined by dots,"
                    + " at most 253 characters)");
          }
        }
      }
    }

    private void systemControls() {
      boolean hostNetwork = HOST.equals(networkMode);
      boolean hostIpc = HOST.equals(present(spec.ipcMode) ? spec.ipcMode.strip() : null);
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c == null) {
          continue;
        }
        List<SystemControl> controls = orEmpty(c.systemControls);
        for (int k = 0; k < controls.size(); k++) {
          SystemControl s = controls.get(k);
          if (s == null || !present(s.namespace)) {
            continue;
          }
          String path = c(i) + ".systemControls[" + k + "].namespace";
          String name = s.namespace;
          PodSpecRules.SysctlNamespace ns = PodSpecRules.namespaceOf(name);
          if (!PodSpecRules.isSysctlName(name) || ns == PodSpecRules.SysctlNamespace.NONE) {
            add(
                path,
                INVALID_SYSTEM_CONTROL,
                "sysctl "
                    + quote(name)
                    + " cannot be set in a container: only namespaced sysctls can (net.*,"
                    + " kernel.msgmax, kernel.msgmnb, kernel.msgmni, kernel.sem, kernel.shmall,"
                    + " kernel.shmmax, kernel.shmmni, kernel.shm_rmid_forced, fs.mqueue.*),"
                    + " named in lower case with dots");
          } else if (hostNetwork && ns == PodSpecRules.SysctlNamespace.NET) {
            add(
                path,
                SYSTEM_CONTROL_WITH_HOST_NAMESPACE,
                "sysctl "
                    + quote(name)
                    + " belongs to the network namespace, which networkMode host shares with the"
                    + " host; ECS does not support network systemControls with host networking");
          } else if (hostIpc && ns == PodSpecRules.SysctlNamespace.IPC) {
            add(
                path,
                SYSTEM_CONTROL_WITH_HOST_NAMESPACE,
                "sysctl "
                    + quote(name)
                    + " belongs to the IPC namespace, which ipcMode host shares with the host;"
                    + " ECS does not support IPC systemControls with ipcMode host");
          }
        }
      }
    }

    // --- Cluster guardrails -------------------------------------------------------------------

    private void guardrails() {
      problems.addAll(PodSecurityGuardrails.check(spec, context));
    }

    private void add(String path, String reason, String message) {
      problems.add(new Problem(path, reason, message));
    }
  }

  private static String c(int i) {
    return "containerDefinitions[" + i + "]";
  }

  private static String pm(int i, int j) {
    return c(i) + ".portMappings[" + j + "]";
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  // A parsed task value as the user wrote it: 1024, or "1 vCPU" (1024).
  private static String shown(String raw, int parsed) {
    String plain = Integer.toString(parsed);
    return raw.strip().equals(plain) ? plain : quote(raw) + " (" + plain + ")";
  }
}
