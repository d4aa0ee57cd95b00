package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.model.PodSecurityGuardrails;

/**
 * The machine-readable reasons of the warnings and refusals {@link PodTemplateRenderer} and {@link
 * ServicePodMapping} report; docs/kubernetes-mapping.md explains each one.
 */
public final class MappingReasons {

  private MappingReasons() {}

  // Warnings: accepted, but approximated or dropped on Kubernetes.

  /** Task cpu/memory shared out across containers because the pod cannot carry it. */
  public static final String TASK_RESOURCES_SPLIT = "TaskResourcesSplit";

  /** Fargate ephemeral storage shared out across containers. */
  public static final String EPHEMERAL_STORAGE_SPLIT = "EphemeralStorageSplit";

  /** A non-essential container that Kubernetes will restart when it exits. */
  public static final String NON_ESSENTIAL_RESTARTED = "NonEssentialRestarted";

  /** dependsOn COMPLETE became an init container, which must exit 0. */
  public static final String DEPENDS_ON_COMPLETE_APPROXIMATED = "DependsOnCompleteApproximated";

  /** dependsOn HEALTHY on a container without a health check. */
  public static final String DEPENDS_ON_HEALTHY_WITHOUT_HEALTH_CHECK =
      "DependsOnHealthyWithoutHealthCheck";

  /** The health check of a non-essential container, which ECS ignores for task health. */
  public static final String NON_ESSENTIAL_HEALTH_CHECK_IGNORED = "NonEssentialHealthCheckIgnored";

  /** The health check of a run-to-completion init container (Kubernetes allows no probes). */
  public static final String INIT_CONTAINER_HEALTH_CHECK_DROPPED =
      "InitContainerHealthCheckDropped";

  /** A health check command that is neither CMD, CMD-SHELL nor NONE. */
  public static final String HEALTH_CHECK_COMMAND_UNRECOGNIZED = "HealthCheckCommandUnrecognized";

  /** A fixed host port under bridge: one task per node per port. */
  public static final String HOST_PORT_PINNED = "HostPortPinned";

  /** A containerPortRange, which a pod cannot declare. */
  public static final String PORT_RANGE_NOT_MAPPED = "PortRangeNotMapped";

  /** A port name that is not a valid Kubernetes port name (or is used twice). */
  public static final String PORT_NAME_NOT_MAPPED = "PortNameNotMapped";

  /** networkMode none: pods always have a network. */
  public static final String NETWORK_MODE_NONE_NOT_MAPPED = "NetworkModeNoneNotMapped";

  /** A networkMode ECS no longer documents (e.g. "default"), treated as bridge. */
  public static final String NETWORK_MODE_APPROXIMATED = "NetworkModeApproximated";

  /** environmentFiles in S3. */
  public static final String ENVIRONMENT_FILES_NOT_MAPPED = "EnvironmentFilesNotMapped";

  /** A user or group that is a name, or an id past 2^31 - 1. */
  public static final String USER_NAME_NOT_MAPPED = "UserNameNotMapped";

  /** initProcessEnabled, approximated by a shared process namespace. */
  public static final String INIT_PROCESS_APPROXIMATED = "InitProcessApproximated";

  /** tmpfs mount options. */
  public static final String TMPFS_MOUNT_OPTIONS_NOT_MAPPED = "TmpfsMountOptionsNotMapped";

  /** Host devices. */
  public static final String DEVICES_NOT_MAPPED = "DevicesNotMapped";

  /** maxSwap / swappiness. */
  public static final String SWAP_NOT_MAPPED = "SwapNotMapped";

  /** ulimits. */
  public static final String ULIMITS_NOT_MAPPED = "UlimitsNotMapped";

  /** Two containers set the same sysctl to different values. */
  public static final String SYSTEM_CONTROL_CONFLICT = "SystemControlConflict";

  /** Containers disagree on DNS servers or search domains; the pod gets their union. */
  public static final String DNS_SETTINGS_MERGED = "DnsSettingsMerged";

  /** A DNS server past the first three of the pod (the API server allows three). */
  public static final String DNS_SERVERS_DROPPED = "DnsServersDropped";

  /** An extraHosts entry a HostAlias cannot hold: no DNS host name, or no IP address. */
  public static final String EXTRA_HOST_NOT_MAPPED = "ExtraHostNotMapped";

  /** A DNS search domain past the pod's 32 or 2048 characters. */
  public static final String DNS_SEARCH_DOMAINS_DROPPED = "DnsSearchDomainsDropped";

  /** A sysctl outside the kubelet's safe set: the node must allow it. */
  public static final String UNSAFE_SYSCTL_NEEDS_KUBELET_ALLOWLIST =
      "UnsafeSysctlNeedsKubeletAllowlist";

  /** no-new-privileges on a privileged container (or one adding CAP_SYS_ADMIN). */
  public static final String NO_NEW_PRIVILEGES_NOT_MAPPED = "NoNewPrivilegesNotMapped";

  /** A hostname that is not a DNS label, or a second container's differing hostname. */
  public static final String HOSTNAME_NOT_MAPPED = "HostnameNotMapped";

  /** A dockerSecurityOptions entry without a Kubernetes counterpart. */
  public static final String DOCKER_SECURITY_OPTION_NOT_MAPPED = "DockerSecurityOptionNotMapped";

  /** disableNetworking. */
  public static final String DISABLE_NETWORKING_NOT_MAPPED = "DisableNetworkingNotMapped";

  /** Legacy links: containers of a pod share localhost. */
  public static final String LINKS_NOT_MAPPED = "LinksNotMapped";

  /** logConfiguration: logs go to the node's log collector. */
  public static final String LOG_CONFIGURATION_NOT_MAPPED = "LogConfigurationNotMapped";

  /** firelensConfiguration: the container runs, nothing routes logs to it. */
  public static final String FIRELENS_CONFIGURATION_NOT_MAPPED = "FirelensConfigurationNotMapped";

  /** repositoryCredentials: an image pull Secret of a derived name must exist. */
  public static final String REPOSITORY_CREDENTIALS_NEED_SECRET = "RepositoryCredentialsNeedSecret";

  /** An Elastic Inference accelerator. */
  public static final String INFERENCE_ACCELERATOR_NOT_MAPPED = "InferenceAcceleratorNotMapped";

  /** Restart policy details (ignored exit codes, attempt period) Kubernetes does not have. */
  public static final String RESTART_POLICY_APPROXIMATED = "RestartPolicyApproximated";

  /** startTimeout. */
  public static final String START_TIMEOUT_NOT_MAPPED = "StartTimeoutNotMapped";

  /** gMSA credential specs. */
  public static final String CREDENTIAL_SPECS_NOT_MAPPED = "CredentialSpecsNotMapped";

  /** Two containers set the same Docker label to different values. */
  public static final String DOCKER_LABEL_CONFLICT = "DockerLabelConflict";

  /** A container name that is not a DNS label and was rewritten. */
  public static final String CONTAINER_NAME_SANITIZED = "ContainerNameSanitized";

  /** A second mount at the same path of one container. */
  public static final String DUPLICATE_MOUNT_PATH = "DuplicateMountPath";

  /** An EFS volume: a PersistentVolumeClaim of a derived name must exist. */
  public static final String EFS_NEEDS_PERSISTENT_VOLUME_CLAIM = "EfsNeedsPersistentVolumeClaim";

  /** An FSx for Windows File Server volume, replaced by an emptyDir. */
  public static final String FSX_VOLUME_NOT_MAPPED = "FsxVolumeNotMapped";

  /** A Docker volume of scope shared, replaced by a per-pod emptyDir. */
  public static final String SHARED_VOLUME_NOT_MAPPED = "SharedVolumeNotMapped";

  /** A Docker volume driver, its options or labels. */
  public static final String DOCKER_VOLUME_DRIVER_NOT_MAPPED = "DockerVolumeDriverNotMapped";

  /** A volume configured at launch (EBS), an emptyDir in the template. */
  public static final String VOLUME_CONFIGURED_AT_LAUNCH = "VolumeConfiguredAtLaunch";

  /** A placement constraint expression outside the mapped subset. */
  public static final String PLACEMENT_CONSTRAINT_NOT_MAPPED = "PlacementConstraintNotMapped";

  /** The Cluster placement and the task's runtime platform ask for different node labels. */
  public static final String PLACEMENT_CONFLICT = "PlacementConflict";

  /** ipcMode none: containers of a pod share one IPC namespace. */
  public static final String IPC_MODE_NONE_NOT_MAPPED = "IpcModeNoneNotMapped";

  /** An App Mesh proxy configuration. */
  public static final String PROXY_CONFIGURATION_NOT_MAPPED = "ProxyConfigurationNotMapped";

  /** ECS fault injection. */
  public static final String FAULT_INJECTION_NOT_MAPPED = "FaultInjectionNotMapped";

  /** A literal task role ARN: use taskRoleRef to get a ServiceAccount. */
  public static final String TASK_ROLE_ARN_NEEDS_TASK_ROLE = "TaskRoleArnNeedsTaskRole";

  // Warnings about a Service's own fields (ServicePodMapping; ScaleToZeroNotSupported: the HPA).

  /** autoscaling.minTasks 0: a HorizontalPodAutoscaler keeps at least one pod. */
  public static final String SCALE_TO_ZERO_NOT_SUPPORTED = "ScaleToZeroNotSupported";

  /** A placement strategy without a topology spread counterpart (binpack, an unknown field). */
  public static final String PLACEMENT_STRATEGY_NOT_MAPPED = "PlacementStrategyNotMapped";

  /** Capacity provider shares, bases or Spot capacity: one launch type's placement is used. */
  public static final String CAPACITY_PROVIDER_STRATEGY_APPROXIMATED =
      "CapacityProviderStrategyApproximated";

  /** A managed EBS volume setting a generic ephemeral volume cannot carry. */
  public static final String EBS_VOLUME_SETTING_NOT_MAPPED = "EbsVolumeSettingNotMapped";

  /** Cloud Map registries or Service Connect: no registration is made. */
  public static final String SERVICE_DISCOVERY_NOT_MAPPED = "ServiceDiscoveryNotMapped";

  /** Target groups given by ARN: use a LoadBalancerRoute. */
  public static final String LOAD_BALANCERS_NOT_MAPPED = "LoadBalancersNotMapped";

  /** CloudWatch alarms that would fail a deployment. */
  public static final String DEPLOYMENT_ALARMS_NOT_MAPPED = "DeploymentAlarmsNotMapped";

  /** A blue/green, linear or canary deployment, bake time or lifecycle hooks. */
  public static final String DEPLOYMENT_STRATEGY_NOT_MAPPED = "DeploymentStrategyNotMapped";

  /** A CODE_DEPLOY or EXTERNAL deployment controller. */
  public static final String DEPLOYMENT_CONTROLLER_NOT_MAPPED = "DeploymentControllerNotMapped";

  /** VPC Lattice target groups. */
  public static final String VPC_LATTICE_NOT_MAPPED = "VpcLatticeNotMapped";

  // Refusals: the rollout must stop. The guardrails' own are PodSecurityGuardrails' reasons.

  /** networkMode host without guardrails.allowHostNetwork. */
  public static final String HOST_NETWORK_NOT_ALLOWED =
      PodSecurityGuardrails.HOST_NETWORK_NOT_ALLOWED;

  /** A privileged container without guardrails.allowPrivileged. */
  public static final String PRIVILEGED_NOT_ALLOWED = PodSecurityGuardrails.PRIVILEGED_NOT_ALLOWED;

  /** A host path volume without guardrails.allowHostPath. */
  public static final String HOST_PATH_NOT_ALLOWED = PodSecurityGuardrails.HOST_PATH_NOT_ALLOWED;

  /** pidMode host without guardrails.allowPrivileged. */
  public static final String HOST_PID_NOT_ALLOWED = PodSecurityGuardrails.HOST_PID_NOT_ALLOWED;

  /** ipcMode host without guardrails.allowPrivileged. */
  public static final String HOST_IPC_NOT_ALLOWED = PodSecurityGuardrails.HOST_IPC_NOT_ALLOWED;

  /** Containers that depend on each other in a cycle. */
  public static final String DEPENDENCY_CYCLE = "DependencyCycle";

  /** A dependsOn naming a container that is not in the task. */
  public static final String UNKNOWN_DEPENDENCY = "UnknownDependency";

  /** A dependsOn condition other than START, HEALTHY, SUCCESS or COMPLETE. */
  public static final String UNKNOWN_DEPENDENCY_CONDITION = "UnknownDependencyCondition";

  /** A mount point naming a volume that is not in the task. */
  public static final String UNKNOWN_VOLUME = "UnknownVolume";

  /** A volumesFrom naming a container that is not in the task. */
  public static final String UNKNOWN_SOURCE_CONTAINER = "UnknownSourceContainer";

  /** An SSM / Secrets Manager secret without the External Secrets Operator to deliver it. */
  public static final String SECRETS_NEED_EXTERNAL_SECRETS = "SecretsNeedExternalSecrets";

  /** A k8s:secret/ reference without a Secret name and key. */
  public static final String INVALID_SECRET_REFERENCE = "InvalidSecretReference";

  /** Task cpu that does not parse. */
  public static final String INVALID_TASK_CPU = "InvalidTaskCpu";

  /** Task memory that does not parse. */
  public static final String INVALID_TASK_MEMORY = "InvalidTaskMemory";

  /** A GPU count that is not a positive whole number. */
  public static final String INVALID_GPU_COUNT = "InvalidGpuCount";

  /** A task without containers. */
  public static final String NO_CONTAINERS = "NoContainers";

  /** A dnsServers entry that is not an IP address. */
  public static final String INVALID_DNS_SERVER = "InvalidDnsServer";

  /** A dnsSearchDomains entry that is not a domain name. */
  public static final String INVALID_DNS_SEARCH_DOMAIN = "InvalidDnsSearchDomain";

  /** A sysctl name the API server refuses, or one Docker cannot set in a container. */
  public static final String INVALID_SYSTEM_CONTROL = "InvalidSystemControl";

  /** A network (IPC) sysctl with the host's network (IPC) namespace. */
  public static final String SYSTEM_CONTROL_WITH_HOST_NAMESPACE = "SystemControlWithHostNamespace";

  /** Containers whose cpu adds up to more than the task cpu. */
  public static final String CONTAINER_CPU_TOTAL_EXCEEDS_TASK = "ContainerCpuTotalExceedsTask";

  /** Containers whose memory reservations add up to more than the task memory. */
  public static final String CONTAINER_MEMORY_TOTAL_EXCEEDS_TASK =
      "ContainerMemoryTotalExceedsTask";

  /** A container memory limit above the task memory. */
  public static final String CONTAINER_MEMORY_EXCEEDS_TASK = "ContainerMemoryExceedsTask";

  /** A memoryReservation above the container's memory: a request above its limit. */
  public static final String MEMORY_RESERVATION_ABOVE_MEMORY = "MemoryReservationAboveMemory";

  /** An autoscaling cooldown outside what the HPA's behaviour takes, applied at its limit. */
  public static final String COOLDOWN_CLAMPED = "CooldownClamped";

  /** enableExecuteCommand: ECS Exec is not set up (kubectl exec, by RBAC, instead). */
  public static final String EXECUTE_COMMAND_NOT_MAPPED = "ExecuteCommandNotMapped";
}
