package dev.tidewater.generated;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.cluster.LaunchTypePlacement;
import dev.tidewater.api.v1alpha1.cluster.NodePlacement;
import dev.tidewater.api.v1alpha1.cluster.StorageSettings;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.LogConfiguration;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.PlacementConstraint;
import dev.tidewater.api.v1alpha1.common.Secret;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.service.AdvancedConfiguration;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.CanaryConfiguration;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.DeploymentAlarms;
import dev.tidewater.api.v1alpha1.service.DeploymentCircuitBreaker;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.DeploymentController;
import dev.tidewater.api.v1alpha1.service.DeploymentLifecycleHook;
import dev.tidewater.api.v1alpha1.service.EbsTagSpecification;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.LinearConfiguration;
import dev.tidewater.api.v1alpha1.service.LoadBalancer;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.PlacementStrategy;
import dev.tidewater.api.v1alpha1.service.ServiceConnectClientAlias;
import dev.tidewater.api.v1alpha1.service.ServiceConnectConfiguration;
import dev.tidewater.api.v1alpha1.service.ServiceConnectService;
import dev.tidewater.api.v1alpha1.service.ServiceManagedEbsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.service.ServiceRegistry;
import dev.tidewater.api.v1alpha1.service.ServiceVolumeConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.service.TimeoutConfiguration;
import dev.tidewater.api.v1alpha1.service.VpcLatticeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDependency;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerRestartPolicy;
import dev.tidewater.api.v1alpha1.taskdefinition.Device;
import dev.tidewater.api.v1alpha1.taskdefinition.DockerVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.EfsAuthorizationConfig;
import dev.tidewater.api.v1alpha1.taskdefinition.EfsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.EnvironmentFile;
import dev.tidewater.api.v1alpha1.taskdefinition.EphemeralStorage;
import dev.tidewater.api.v1alpha1.taskdefinition.FirelensConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.FsxWindowsFileServerAuthorizationConfig;
import dev.tidewater.api.v1alpha1.taskdefinition.FsxWindowsFileServerVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.api.v1alpha1.taskdefinition.HostEntry;
import dev.tidewater.api.v1alpha1.taskdefinition.HostVolumeProperties;
import dev.tidewater.api.v1alpha1.taskdefinition.KernelCapabilities;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.MountPoint;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.api.v1alpha1.taskdefinition.ProxyConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.RepositoryCredentials;
import dev.tidewater.api.v1alpha1.taskdefinition.ResourceRequirement;
import dev.tidewater.api.v1alpha1.taskdefinition.RuntimePlatform;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionPlacementConstraint;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Tmpfs;
import dev.tidewater.api.v1alpha1.taskdefinition.Ulimit;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.api.v1alpha1.taskdefinition.VolumeFrom;
import dev.tidewater.model.FargateSizes;
import dev.tidewater.model.PodSecurityGuardrails;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates TaskDefinition + Service pairs that ECS would accept, across the whole field set of the
 * v1alpha1 API, from a seed (the same seed always gives the same case).
 *
 * <p>Each choice follows what ECS documents for the launch type, operating system and network mode
 * (the botocore ECS model and the ECS developer guide): Fargate sizes from {@link FargateSizes},
 * awsvpc / host host ports equal to container ports, HEALTHY only on containers with a health
 * check, COMPLETE / SUCCESS only on non-essential ones, acyclic dependsOn / volumesFrom / links,
 * Linux-only fields only on Linux, EC2-only fields only on EC2 / EXTERNAL. Where ECS registers a
 * value that Kubernetes handles differently (two containers' DNS servers, net.* sysctls under host
 * networking, no-new-privileges on a privileged container, per-container cpu rounding), the
 * generator produces it on purpose: those are what the dry-run is for.
 *
 * <p>The Cluster of a case allows what the case asks for (privileged, or anything else Pod Security
 * baseline refuses, host network, host paths), except for about one case in six, which keeps the
 * strict default guardrails.
 */
final class WorkloadGenerator {

  /** One generated input: the seed it came from, what a user would apply, and its shape. */
  record GeneratedCase(
      long seed,
      TaskDefinitionSpec task,
      EcsServiceSpec service,
      ClusterSpec cluster,
      boolean strictGuardrails,
      String shape) {}

  /** The TaskRole / ServiceAccount names generated task role references use. */
  static final List<String> TASK_ROLES = List.of("app-role", "worker-role");

  static final String TASK_DEFINITION_NAME = "generated";

  private static final List<String> IPC_SYSCTLS =
      List.of(
          "kernel.msgmax",
          "kernel.msgmnb",
          "kernel.msgmni",
          "kernel.sem",
          "kernel.shmall",
          "kernel.shmmax",
          "kernel.shmmni",
          "kernel.shm_rmid_forced",
          "fs.mqueue.msg_max");
  private static final List<String> NET_SYSCTLS =
      List.of(
          "net.core.somaxconn",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.conf.all.rp_filter",
          "net.ipv4.tcp_syncookies");
  private static final List<String> CAPABILITIES =
      List.of(
          "NET_ADMIN",
          "SYS_PTRACE",
          "SYS_TIME",
          "NET_BIND_SERVICE",
          "SYS_ADMIN",
          "IPC_LOCK",
          "NET_RAW",
          "SYS_RESOURCE",
          "ALL");
  private static final List<String> ULIMITS =
      List.of(
          "core",
          "cpu",
          "data",
          "fsize",
          "locks",
          "memlock",
          "msgqueue",
          "nice",
          "nofile",
          "nproc",
          "rss",
          "rtprio",
          "rttime",
          "sigpending",
          "stack");
  private static final List<String> SECURITY_OPTIONS =
      List.of(
          "no-new-privileges",
          "apparmor:docker-default",
          "apparmor:unconfined",
          "apparmor:tidewater-profile",
          "label:type:container_t",
          "label:level:s0:c100,c200",
          "label:user:system_u",
          "label:role:system_r",
          "label:disable");
  private static final List<String> WINDOWS_FAMILIES =
      List.of(
          "WINDOWS_SERVER_2019_FULL",
          "WINDOWS_SERVER_2019_CORE",
          "WINDOWS_SERVER_2022_CORE",
          "WINDOWS_SERVER_2022_FULL",
          "WINDOWS_SERVER_2025_CORE");
  private static final List<String> CONTAINER_NAMES =
      List.of(
          "app",
          "web",
          "xray-daemon",
          "datadog-agent",
          "log_router",
          "envoy",
          "Init_Migrations",
          "worker",
          "cache",
          "nginx",
          "otel-collector",
          "config-loader",
          "api2",
          "a-container-name-that-is-quite-a-bit-longer-than-sixty-three-characters-x",
          "Sidecar");
  private static final List<String> DNS_SEARCH =
      List.of(
          "example.com",
          "svc.cluster.local",
          "corp.internal",
          "eu-west-1.compute.internal",
          "Corp.Example.COM",
          "a.b.c.d.example.org",
          "prod.local");

  private final Random r;

  private WorkloadGenerator(long seed) {
    this.r = new Random(seed);
  }

  /** The case of {@code seed}. */
  static GeneratedCase generate(long seed) {
    return new WorkloadGenerator(seed).build(seed);
  }

  // ------------------------------------------------------------------------------------ the task

  /** The platform facts the field choices depend on. */
  private record Platform(
      String launchType, boolean fargate, boolean windows, String networkMode, boolean ec2Like) {
    boolean awsvpc() {
      return "awsvpc".equals(networkMode);
    }

    boolean bridge() {
      return "bridge".equals(networkMode);
    }

    boolean host() {
      return "host".equals(networkMode);
    }

    boolean none() {
      return "none".equals(networkMode);
    }

    boolean linuxEc2() {
      return ec2Like && !windows;
    }
  }

  private GeneratedCase build(long seed) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    String launch = pick(weighted("FARGATE", 4, "EC2", 5, "EXTERNAL", 1));
    boolean fargate = launch.equals("FARGATE");
    boolean windows =
        !launch.equals("EXTERNAL") && chance(0.08); // ECS Anywhere: Linux (and Windows, rarely)
    String mode;
    if (fargate) {
      mode = "awsvpc";
    } else if (windows) {
      mode = chance(0.5) ? "awsvpc" : null; // Windows: "default" (absent) or awsvpc
    } else if (launch.equals("EXTERNAL")) {
      mode = pick(weighted("bridge", 4, "host", 2, "none", 1, "", 1));
    } else {
      mode = pick(weighted("bridge", 3, "host", 2, "awsvpc", 3, "none", 1, "", 2));
    }
    if (mode != null && mode.isEmpty()) mode = null;
    String effective = mode == null ? (windows ? "default" : "bridge") : mode;
    Platform p = new Platform(launch, fargate, windows, effective, !fargate);
    t.networkMode = mode;

    // requiresCompatibilities: what ECS validates the task for.
    if (fargate) {
      t.requiresCompatibilities =
          chance(0.2) && !windows ? List.of("FARGATE", "EC2") : List.of("FARGATE");
    } else if (launch.equals("EC2")) {
      t.requiresCompatibilities = chance(0.6) ? List.of("EC2") : null;
    } else {
      t.requiresCompatibilities = List.of("EXTERNAL");
    }

    // runtime platform
    if (windows) {
      t.runtimePlatform = new RuntimePlatform();
      t.runtimePlatform.operatingSystemFamily = pick(WINDOWS_FAMILIES);
      t.runtimePlatform.cpuArchitecture = chance(0.5) ? "X86_64" : null;
    } else if (chance(0.5)) {
      t.runtimePlatform = new RuntimePlatform();
      if (chance(0.7)) t.runtimePlatform.operatingSystemFamily = "LINUX";
      t.runtimePlatform.cpuArchitecture = pick(weighted("X86_64", 2, "ARM64", 2, "", 1));
      if (t.runtimePlatform.cpuArchitecture.isEmpty()) t.runtimePlatform.cpuArchitecture = null;
    }

    // task size
    String shape = "random";
    Integer taskCpu = null;
    Integer taskMemory = null;
    if (fargate) {
      List<Integer> sizes = FargateSizes.cpuSizes();
      List<Integer> allowed = windows ? sizes.subList(2, sizes.size()) : sizes;
      taskCpu = pick(allowed);
      var choice = FargateSizes.memoryFor(taskCpu).orElseThrow();
      List<Integer> mems = new ArrayList<>(choice.listed());
      if (mems.isEmpty()) {
        for (int m = choice.min(); m <= choice.max(); m += choice.step()) mems.add(m);
      }
      taskMemory = pick(mems);
    } else {
      if (chance(0.6)) taskCpu = pick(List.of(128, 256, 384, 512, 1000, 1024, 1536, 2048, 4096));
      if (chance(0.6)) taskMemory = pick(List.of(128, 256, 512, 768, 1024, 2048, 3072, 8192));
    }
    int n = containerCount();
    // The X-Ray and Datadog sidecar shapes: the two published splits of a small task.
    if (chance(0.04) && !windows) {
      shape = chance(0.5) ? "xray-sidecar" : "datadog-sidecar";
      n = 2;
      taskCpu = shape.equals("xray-sidecar") ? 256 : 512;
      if (fargate) taskMemory = shape.equals("xray-sidecar") ? 512 : 1024;
    }
    t.cpu = taskCpu == null ? null : cpuText(taskCpu);
    t.memory = taskMemory == null ? null : memoryText(taskMemory);

    List<ContainerDefinition> cs = new ArrayList<>();
    List<String> names = containerNames(n);
    for (int i = 0; i < n; i++) {
      ContainerDefinition c = new ContainerDefinition();
      c.name = names.get(i);
      c.image = image(windows);
      cs.add(c);
    }
    t.containerDefinitions = cs;
    // a random start order: a container may only depend on, link to or copy volumes from
    // containers before it in this order, which keeps every graph acyclic
    List<Integer> rank = new ArrayList<>();
    for (int i = 0; i < n; i++) rank.add(i);
    java.util.Collections.shuffle(rank, r);
    int[] position = new int[n];
    for (int k = 0; k < n; k++) position[rank.get(k)] = k;

    essentials(cs);
    resources(cs, taskCpu, taskMemory, fargate, shape);
    healthChecks(cs);
    dependsOn(cs, position);
    ports(cs, p);
    volumes(t, cs, p, position);
    for (int i = 0; i < n; i++) {
      containerFields(cs.get(i), i, cs, p, position);
    }
    logging(cs, p);
    taskFields(t, p);

    EcsServiceSpec s = service(t, p);
    boolean strict = chance(1.0 / 6);
    ClusterSpec cluster = cluster(t, strict);
    return new GeneratedCase(seed, t, s, cluster, strict, shape);
  }

  private int containerCount() {
    double x = r.nextDouble();
    if (x < 0.30) return 1;
    if (x < 0.55) return 2;
    if (x < 0.72) return 3;
    if (x < 0.82) return 4;
    return 5 + r.nextInt(6); // 5..10
  }

  private List<String> containerNames(int n) {
    List<String> pool = new ArrayList<>(CONTAINER_NAMES);
    java.util.Collections.shuffle(pool, r);
    return new ArrayList<>(pool.subList(0, n));
  }

  private String image(boolean windows) {
    if (windows) return pick(List.of("mcr.microsoft.com/windows/servercore/iis:latest"));
    return pick(
        List.of(
            "public.ecr.aws/nginx/nginx:1.27",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1.2.3",
            "amazon/aws-xray-daemon:3.x",
            "public.ecr.aws/datadog/agent:7",
            "busybox@sha256:" + "a".repeat(64),
            "ghcr.io/example/worker:2026.12.01"));
  }

  private String cpuText(int units) {
    if (units % 1024 == 0 && chance(0.3)) return (units / 1024) + " vCPU";
    if (units == 256 && chance(0.2)) return "0.25 vCPU";
    return Integer.toString(units);
  }

  private String memoryText(int mib) {
    if (mib % 1024 == 0 && chance(0.3)) return (mib / 1024) + " GB";
    return Integer.toString(mib);
  }

  private void essentials(List<ContainerDefinition> cs) {
    boolean any = false;
    for (ContainerDefinition c : cs) {
      double x = r.nextDouble();
      c.essential = x < 0.5 ? null : x < 0.75 ? Boolean.TRUE : Boolean.FALSE;
      any |= !Boolean.FALSE.equals(c.essential);
    }
    if (!any) cs.get(r.nextInt(cs.size())).essential = chance(0.5) ? null : true;
  }

  private void resources(
      List<ContainerDefinition> cs,
      Integer taskCpu,
      Integer taskMemory,
      boolean fargate,
      String shape) {
    int n = cs.size();
    if (shape.equals("xray-sidecar") || shape.equals("datadog-sidecar")) {
      int sidecar = shape.equals("xray-sidecar") ? 32 : 10;
      cs.get(0).cpu = taskCpu - sidecar;
      cs.get(1).cpu = sidecar;
      cs.get(0).essential = true;
      cs.get(1).essential = chance(0.5) ? null : false;
      int mem = taskMemory == null ? 512 : taskMemory;
      cs.get(0).memoryReservation = Math.max(6, mem - 256);
      cs.get(1).memoryReservation = Math.min(256, mem - cs.get(0).memoryReservation);
      if (cs.get(1).memoryReservation < 6) cs.get(1).memoryReservation = 6;
      if (taskMemory == null) {
        cs.get(0).memory = cs.get(0).memoryReservation;
        cs.get(1).memory = cs.get(1).memoryReservation;
      }
      return;
    }
    // cpu: a split of the task cpu (some containers without), or free values without task cpu
    if (taskCpu != null) {
      int left = taskCpu;
      for (int i = 0; i < n; i++) {
        if (chance(0.35) || left <= 0) continue;
        int v = chance(0.3) ? Math.max(0, left / (n - i)) : r.nextInt(left + 1);
        if (chance(0.15)) v = Math.min(left, pick(List.of(10, 32, 64, 100, 128, 224, 502)));
        cs.get(i).cpu = v;
        left -= v;
      }
    } else {
      for (ContainerDefinition c : cs) {
        if (chance(0.5)) c.cpu = pick(List.of(0, 10, 32, 100, 128, 256, 333, 512, 1024, 2048));
      }
    }
    // memory: reservations within the task memory, hard limits within the task memory
    if (taskMemory != null) {
      int left = taskMemory;
      for (int i = 0; i < n; i++) {
        ContainerDefinition c = cs.get(i);
        int share = Math.max(0, left / Math.max(1, n - i));
        if (chance(0.3) || share < 6) continue;
        int reservation = 6 + r.nextInt(share - 5);
        double x = r.nextDouble();
        if (x < 0.4) {
          c.memoryReservation = reservation;
          left -= reservation;
          if (chance(0.5)) c.memory = reservation + r.nextInt(taskMemory - reservation + 1);
        } else if (x < 0.8) {
          c.memory = reservation;
          left -= reservation;
        } else {
          // a hard limit only, up to the task memory, counting as the reservation
          c.memory = reservation;
          left -= reservation;
        }
      }
    } else {
      for (ContainerDefinition c : cs) {
        int reservation = pick(List.of(6, 32, 64, 128, 256, 300, 512, 1024));
        double x = r.nextDouble();
        if (x < 0.4) {
          c.memory = reservation;
        } else if (x < 0.7) {
          c.memoryReservation = reservation;
        } else {
          c.memoryReservation = reservation;
          c.memory = reservation + pick(List.of(0, 64, 512));
        }
      }
    }
  }

  private void healthChecks(List<ContainerDefinition> cs) {
    for (ContainerDefinition c : cs) {
      if (!chance(0.4)) continue;
      HealthCheck h = new HealthCheck();
      h.command =
          pick(
              List.of(
                  List.of("CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"),
                  List.of("CMD", "/bin/healthcheck", "--quiet"),
                  List.of("CMD-SHELL", "test -f /tmp/ready && echo $(date)"),
                  List.of("CMD", "pgrep", "worker")));
      if (chance(0.6)) h.interval = 5 + r.nextInt(296);
      if (chance(0.6)) h.timeout = 2 + r.nextInt(119);
      if (chance(0.6)) h.retries = 1 + r.nextInt(10);
      if (chance(0.5)) h.startPeriod = r.nextInt(301);
      c.healthCheck = h;
    }
  }

  private void dependsOn(List<ContainerDefinition> cs, int[] position) {
    int n = cs.size();
    for (int i = 0; i < n; i++) {
      List<ContainerDependency> deps = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (position[j] >= position[i] || !chance(0.35)) continue;
        ContainerDefinition target = cs.get(j);
        List<String> conditions = new ArrayList<>(List.of("START"));
        if (target.healthCheck != null) conditions.add("HEALTHY");
        if (Boolean.FALSE.equals(target.essential)) {
          conditions.add("SUCCESS");
          conditions.add("COMPLETE");
        }
        ContainerDependency d = new ContainerDependency();
        d.containerName = target.name;
        d.condition = pick(conditions);
        deps.add(d);
      }
      if (!deps.isEmpty()) {
        cs.get(i).dependsOn = deps;
        if (chance(0.2)) cs.get(i).startTimeout = 2 + r.nextInt(600);
      }
    }
  }

  private void ports(List<ContainerDefinition> cs, Platform p) {
    if (p.none()) return;
    Set<String> hostPorts = new HashSet<>();
    Set<String> names = new HashSet<>();
    int nextRange = 30000;
    for (ContainerDefinition c : cs) {
      if (!chance(0.6)) continue;
      int count = 1 + (chance(0.3) ? r.nextInt(3) : 0);
      List<PortMapping> list = new ArrayList<>();
      Set<String> own = new HashSet<>();
      for (int k = 0; k < count; k++) {
        PortMapping m = new PortMapping();
        String protocol = chance(0.15) ? "udp" : chance(0.5) ? "tcp" : null;
        m.protocol = protocol;
        String proto = protocol == null ? "tcp" : protocol;
        if (!p.windows() && (p.awsvpc() || p.bridge()) && chance(0.08)) {
          int start = nextRange;
          int end = start + 1 + r.nextInt(20);
          nextRange = end + 1;
          m.containerPortRange = start + "-" + end;
        } else {
          int port = 0;
          for (int attempt = 0; attempt < 20; attempt++) {
            int candidate = pick(List.of(80, 443, 8080, 8443, 9000, 2000, 5432, 6379, 53, 8125));
            if (chance(0.3)) candidate = 1 + r.nextInt(65535);
            boolean samePorts = p.awsvpc() || p.host() || p.windows();
            if (own.contains(candidate + "/" + proto)) continue;
            if (samePorts && hostPorts.contains(candidate + "/" + proto)) continue;
            port = candidate;
            break;
          }
          if (port == 0 || port >= 30000 && port <= 30400) continue;
          m.containerPort = port;
          own.add(port + "/" + proto);
          if (p.awsvpc() || p.host()) {
            hostPorts.add(port + "/" + proto);
            if (chance(0.4)) m.hostPort = port;
          } else if (p.bridge() || p.windows()) {
            double x = r.nextDouble();
            if (x < 0.3) {
              m.hostPort = 0;
            } else if (x < 0.55) {
              int hp = 1024 + r.nextInt(20000);
              if (hostPorts.add(hp + "/" + proto)) m.hostPort = hp;
            }
          }
        }
        if (chance(0.5)) {
          String name =
              pick(List.of("http", "grpc", "metrics", "admin_port", "a-very-long-port-name", "dns"))
                  + (chance(0.5) ? "-" + names.size() : "");
          if (names.add(name)) {
            m.name = name;
            if (chance(0.5)) m.appProtocol = pick(List.of("http", "http2", "grpc"));
          }
        }
        list.add(m);
      }
      if (!list.isEmpty()) c.portMappings = list;
    }
  }

  private void volumes(
      TaskDefinitionSpec t, List<ContainerDefinition> cs, Platform p, int[] position) {
    List<Volume> vs = new ArrayList<>();
    int count = chance(0.5) ? 0 : 1 + r.nextInt(4);
    boolean launchVolume = false;
    for (int k = 0; k < count; k++) {
      Volume v = new Volume();
      v.name = pick(List.of("data", "logs", "cache", "shared_tmp", "config", "Scratch")) + k;
      List<String> kinds = new ArrayList<>();
      if (p.windows()) {
        if (p.ec2Like()) kinds.addAll(List.of("host-path", "fsx"));
        kinds.add("bind");
      } else {
        kinds.add("bind");
        if (!p.launchType().equals("EXTERNAL")) kinds.add("efs");
        if (p.linuxEc2()) kinds.addAll(List.of("host-path", "host-path", "docker", "docker"));
        if (!launchVolume && !p.launchType().equals("EXTERNAL")) kinds.add("ebs");
      }
      switch (pick(kinds)) {
        case "bind" -> {
          if (chance(0.5)) v.host = new HostVolumeProperties();
        }
        case "host-path" -> {
          v.host = new HostVolumeProperties();
          v.host.sourcePath =
              p.windows()
                  ? "C:\\ProgramData\\app" + k
                  : pick(List.of("/var/log", "/var/run/docker.sock", "/opt/data", "/etc/ssl")) + k;
        }
        case "docker" -> {
          DockerVolumeConfiguration d = new DockerVolumeConfiguration();
          d.scope = pick(weighted("task", 2, "shared", 1, "", 1));
          if (d.scope.isEmpty()) d.scope = null;
          if ("shared".equals(d.scope) && chance(0.5)) d.autoprovision = true;
          if (chance(0.4)) d.driver = pick(List.of("local", "rexray/ebs", "cifs"));
          if (chance(0.3)) d.driverOpts = Map.of("type", "tmpfs", "device", "tmpfs");
          if (chance(0.3)) d.labels = Map.of("team", "payments");
          v.dockerVolumeConfiguration = d;
        }
        case "efs" -> {
          EfsVolumeConfiguration e = new EfsVolumeConfiguration();
          e.fileSystemId = "fs-" + hex(chance(0.5) ? 8 : 17);
          boolean encrypted = chance(0.6);
          if (encrypted) e.transitEncryption = "ENABLED";
          else if (chance(0.3)) e.transitEncryption = "DISABLED";
          if (encrypted && chance(0.3)) e.transitEncryptionPort = 2049 + r.nextInt(10);
          if (encrypted && chance(0.5)) {
            e.authorizationConfig = new EfsAuthorizationConfig();
            if (chance(0.7)) e.authorizationConfig.accessPointId = "fsap-" + hex(17);
            if (chance(0.5)) e.authorizationConfig.iam = pick(List.of("ENABLED", "DISABLED"));
          }
          if (e.authorizationConfig == null || e.authorizationConfig.accessPointId == null) {
            if (chance(0.5)) e.rootDirectory = pick(List.of("/", "/export/data", "/srv/app/"));
          }
          v.efsVolumeConfiguration = e;
        }
        case "fsx" -> {
          FsxWindowsFileServerVolumeConfiguration f = new FsxWindowsFileServerVolumeConfiguration();
          f.fileSystemId = "fs-" + hex(17);
          f.rootDirectory = "share\\data";
          f.authorizationConfig = new FsxWindowsFileServerAuthorizationConfig();
          f.authorizationConfig.credentialsParameter =
              "arn:aws:secretsmanager:us-east-1:123456789012:secret:fsx-creds-AbCdEf";
          f.authorizationConfig.domain = "corp.example.com";
          v.fsxWindowsFileServerVolumeConfiguration = f;
        }
        default -> { // ebs, configured by the Service at launch
          v.configuredAtLaunch = true;
          launchVolume = true;
        }
      }
      vs.add(v);
    }
    if (!vs.isEmpty()) t.volumes = vs;
    // mount points: distinct paths per container
    for (int i = 0; i < cs.size(); i++) {
      ContainerDefinition c = cs.get(i);
      if (vs.isEmpty() || !chance(0.6)) continue;
      List<MountPoint> mps = new ArrayList<>();
      for (Volume v : vs) {
        if (!chance(0.6)) continue;
        MountPoint m = new MountPoint();
        m.sourceVolume = v.name;
        m.containerPath =
            p.windows() ? "C:\\mnt\\" + v.name + "-" + i : "/mnt/" + v.name + "/c" + i;
        if (chance(0.3)) m.readOnly = chance(0.7);
        mps.add(m);
      }
      if (!mps.isEmpty()) c.mountPoints = mps;
    }
    for (int i = 0; i < cs.size(); i++) {
      List<VolumeFrom> from = new ArrayList<>();
      for (int j = 0; j < cs.size(); j++) {
        if (position[j] >= position[i] || !chance(0.15)) continue;
        VolumeFrom vf = new VolumeFrom();
        vf.sourceContainer = cs.get(j).name;
        if (chance(0.4)) vf.readOnly = chance(0.5);
        from.add(vf);
      }
      if (!from.isEmpty() && !p.windows()) cs.get(i).volumesFrom = from;
    }
  }

  private void containerFields(
      ContainerDefinition c, int i, List<ContainerDefinition> cs, Platform p, int[] position) {
    boolean linux = !p.windows();
    if (chance(0.3)) c.entryPoint = List.of("/bin/sh", "-c");
    if (chance(0.4)) c.command = List.of("exec app --port=$(PORT) --price=$$5", "--verbose");
    if (chance(0.2)) c.workingDirectory = linux ? "/srv/app" : "C:\\app";
    if (chance(0.1)) c.interactive = chance(0.5);
    if (chance(0.1)) c.pseudoTerminal = chance(0.5);
    if (chance(0.15)) c.stopTimeout = r.nextInt(121);
    if (chance(0.05)) c.versionConsistency = pick(List.of("enabled", "disabled"));
    if (chance(0.1)) {
      c.repositoryCredentials = new RepositoryCredentials();
      c.repositoryCredentials.credentialsParameter =
          chance(0.5)
              ? "arn:aws:secretsmanager:us-east-1:123456789012:secret:team/Registry_Creds-AbCdEf"
              : "registry-creds";
    }
    environment(c);
    secrets(c);
    if (chance(0.15)) {
      List<EnvironmentFile> files = new ArrayList<>();
      for (int k = 0; k <= r.nextInt(3); k++) {
        EnvironmentFile f = new EnvironmentFile();
        f.type = "s3";
        f.value = "arn:aws:s3:::config-bucket/env/app" + k + ".env";
        files.add(f);
      }
      c.environmentFiles = files;
    }
    if (chance(0.2)) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("com.example.team", pick(List.of("payments", "search")));
      if (chance(0.5)) labels.put("traefik.http.routers.app.rule", "Host(`example.com`)");
      if (chance(0.3)) labels.put("com.datadoghq.ad.instances", "[{\"host\":\"%%host%%\"}]");
      if (chance(0.2)) labels.put("x".repeat(70), "long key");
      c.dockerLabels = labels;
    }
    if (linux && chance(0.15)) {
      ContainerRestartPolicy rp = new ContainerRestartPolicy();
      rp.enabled = chance(0.7);
      if (chance(0.5)) rp.ignoredExitCodes = List.of(0, 137);
      if (chance(0.5)) rp.restartAttemptPeriod = 60 + r.nextInt(1741);
      c.restartPolicy = rp;
    }
    if (linux && chance(0.15)) {
      List<Ulimit> ulimits = new ArrayList<>();
      List<String> pool = p.fargate() ? List.of("nofile") : ULIMITS;
      Set<String> used = new HashSet<>();
      for (int k = 0; k <= r.nextInt(3); k++) {
        String name = pick(pool);
        if (!used.add(name)) continue;
        Ulimit u = new Ulimit();
        u.name = name;
        u.softLimit = 1024 * (1 + r.nextInt(64));
        u.hardLimit = u.softLimit + 1024 * r.nextInt(64);
        ulimits.add(u);
      }
      c.ulimits = ulimits;
    }
    if (linux) {
      linuxParameters(c, p);
      if (chance(0.2)) c.readonlyRootFilesystem = chance(0.7);
      if (chance(0.25)) c.user = user();
      if (p.linuxEc2() && chance(0.08)) c.privileged = true;
      if (p.linuxEc2() && chance(0.15)) {
        List<String> opts = new ArrayList<>();
        for (int k = 0; k <= r.nextInt(2); k++) {
          String o = pick(SECURITY_OPTIONS);
          if (o.startsWith("apparmor") && opts.stream().anyMatch(x -> x.startsWith("apparmor")))
            continue;
          if (!opts.contains(o)) opts.add(o);
        }
        c.dockerSecurityOptions = opts;
      }
      if (chance(0.15)) {
        List<SystemControl> sysctls = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int k = 0; k <= r.nextInt(3); k++) {
          String ns = chance(0.5) ? pick(NET_SYSCTLS) : pick(IPC_SYSCTLS);
          if (!used.add(ns)) continue;
          SystemControl s = new SystemControl();
          s.namespace = ns;
          s.value =
              ns.endsWith("port_range") ? "1024 65000" : Integer.toString(1 + r.nextInt(4096));
          sysctls.add(s);
        }
        c.systemControls = sysctls;
      }
      if (p.linuxEc2() && chance(0.1)) c.disableNetworking = cs.size() > 1 && chance(0.3);
      if (p.linuxEc2() && !p.fargate() && chance(0.15)) dns(c);
      if (p.linuxEc2() && !p.awsvpc() && chance(0.15)) extraHosts(c);
      if (p.linuxEc2() && !p.awsvpc() && chance(0.1))
        c.hostname = pick(List.of("app-host", "My_Host", "worker", "node.example.com"));
      if (p.bridge() && chance(0.15)) {
        List<String> links = new ArrayList<>();
        for (int j = 0; j < cs.size(); j++) {
          if (position[j] < position[i] && chance(0.5)) {
            String name = cs.get(j).name;
            links.add(chance(0.5) ? name : name + ":alias" + j);
          }
        }
        if (!links.isEmpty()) c.links = links;
      }
      if (p.ec2Like() && chance(0.05)) {
        ResourceRequirement gpu = new ResourceRequirement();
        gpu.type = "GPU";
        gpu.value = Integer.toString(1 + r.nextInt(4));
        c.resourceRequirements = List.of(gpu);
      }
    } else {
      if (p.ec2Like() && chance(0.1))
        c.credentialSpecs = List.of("credentialspec:file://gmsa-spec.json");
    }
  }

  private String user() {
    String uid = pick(List.of("0", "1000", "65534", "101", "2147483647", "3000000000"));
    String gid = pick(List.of("0", "1000", "101", "65534"));
    return switch (r.nextInt(6)) {
      case 0 -> uid;
      case 1 -> uid + ":" + gid;
      case 2 -> "nginx";
      case 3 -> "nginx:" + gid;
      case 4 -> uid + ":www-data";
      default -> "app:app";
    };
  }

  private void linuxParameters(ContainerDefinition c, Platform p) {
    if (!chance(0.3)) return;
    LinuxParameters lp = new LinuxParameters();
    if (chance(0.4)) {
      lp.capabilities = new KernelCapabilities();
      if (chance(0.7)) {
        lp.capabilities.add =
            p.fargate() ? List.of("SYS_PTRACE") : distinct(CAPABILITIES, 1 + r.nextInt(2));
      }
      if (chance(0.5)) lp.capabilities.drop = distinct(List.of("ALL", "NET_RAW", "MKNOD"), 1);
    }
    if (chance(0.3)) lp.initProcessEnabled = chance(0.8);
    if (p.linuxEc2()) {
      if (chance(0.2)) {
        Device d = new Device();
        d.hostPath = pick(List.of("/dev/fuse", "/dev/nvidia0", "/dev/snd"));
        if (chance(0.5)) d.containerPath = d.hostPath;
        if (chance(0.5)) d.permissions = List.of("read", "write");
        lp.devices = List.of(d);
      }
      if (chance(0.3)) lp.sharedMemorySize = pick(List.of(0, 64, 256, 1024));
      if (chance(0.3)) {
        List<Tmpfs> list = new ArrayList<>();
        for (int k = 0; k <= r.nextInt(2); k++) {
          Tmpfs t = new Tmpfs();
          t.containerPath = "/run/tmpfs" + k;
          t.size = 1 + r.nextInt(512);
          if (chance(0.4)) t.mountOptions = List.of("noexec", "nosuid");
          list.add(t);
        }
        lp.tmpfs = list;
      }
      if (chance(0.2)) lp.maxSwap = r.nextInt(4096);
      if (chance(0.2)) lp.swappiness = r.nextInt(101);
    }
    c.linuxParameters = lp;
  }

  private void dns(ContainerDefinition c) {
    List<String> servers = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (int k = 0; k < count; k++) {
      String s =
          pick(
              List.of(
                  "10.0.0.2", "8.8.8.8", "1.1.1.1", "169.254.169.253", "10.100.0.10", "fd00::53"));
      if (!servers.contains(s)) servers.add(s);
    }
    if (chance(0.8)) c.dnsServers = servers;
    if (chance(0.6)) c.dnsSearchDomains = distinct(DNS_SEARCH, 1 + r.nextInt(3));
  }

  private void extraHosts(ContainerDefinition c) {
    List<HostEntry> hosts = new ArrayList<>();
    for (int k = 0; k <= r.nextInt(3); k++) {
      HostEntry h = new HostEntry();
      h.hostname = pick(List.of("db.internal", "cache", "metadata.local", "Legacy-Host", "api"));
      h.ipAddress = pick(List.of("10.0.1.10", "10.0.1.11", "192.168.0.5", "fd00::10"));
      hosts.add(h);
    }
    c.extraHosts = hosts;
  }

  private void environment(ContainerDefinition c) {
    if (!chance(0.5)) return;
    List<KeyValuePair> env = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (int k = 0; k <= r.nextInt(5); k++) {
      String name =
          pick(List.of("PORT", "LOG_LEVEL", "JAVA_OPTS", "app.mode", "DB_URL", "PATH_PREFIX"));
      if (!used.add(name)) continue;
      KeyValuePair kv = new KeyValuePair();
      kv.name = name;
      kv.value =
          pick(
              List.of("8080", "debug", "-Xmx512m $(HOSTNAME)", "postgres://db:5432/app", "", "$$"));
      env.add(kv);
    }
    c.environment = env;
  }

  private void secrets(ContainerDefinition c) {
    if (!chance(0.3)) return;
    List<Secret> secrets = new ArrayList<>();
    Set<String> used = new HashSet<>();
    if (c.environment != null) c.environment.forEach(e -> used.add(e.name));
    for (int k = 0; k <= r.nextInt(3); k++) {
      String name = pick(List.of("DB_PASSWORD", "API_KEY", "TOKEN", "db.password", "SECRET_JSON"));
      if (!used.add(name)) continue;
      Secret s = new Secret();
      s.name = name;
      // k8s:secret/ is Tidewater's own form (kubernetes backend only), rarely
      s.valueFrom =
          chance(0.03)
              ? "k8s:secret/app-secrets/api-key"
              : pick(
                  List.of(
                      "/prod/db/password",
                      "prod-api-key",
                      "arn:aws:ssm:us-east-1:123456789012:parameter/prod/token",
                      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
                      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::",
                      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/json-XyZ123:key:AWSCURRENT:"));
      secrets.add(s);
    }
    if (!secrets.isEmpty()) c.secrets = secrets;
  }

  private void logging(List<ContainerDefinition> cs, Platform p) {
    List<String> drivers =
        p.fargate()
            ? List.of("awslogs", "splunk")
            : p.windows()
                ? List.of("awslogs", "json-file")
                : List.of(
                    "awslogs", "json-file", "syslog", "journald", "gelf", "fluentd", "splunk");
    boolean firelens = cs.size() > 1 && !p.windows() && chance(0.15);
    int router = firelens ? r.nextInt(cs.size()) : -1;
    for (int i = 0; i < cs.size(); i++) {
      ContainerDefinition c = cs.get(i);
      if (i == router) {
        c.firelensConfiguration = new FirelensConfiguration();
        c.firelensConfiguration.type = pick(List.of("fluentbit", "fluentd"));
        if (chance(0.5))
          c.firelensConfiguration.options = Map.of("enable-ecs-log-metadata", "true");
        c.logConfiguration = awslogs();
        continue;
      }
      if (firelens && (i == (router + 1) % cs.size() || chance(0.5))) {
        LogConfiguration l = new LogConfiguration();
        l.logDriver = "awsfirelens";
        l.options = Map.of("Name", "cloudwatch", "region", "us-east-1");
        c.logConfiguration = l;
        continue;
      }
      if (!chance(0.5)) continue;
      String driver = pick(drivers);
      if (driver.equals("awslogs")) {
        c.logConfiguration = awslogs();
      } else {
        LogConfiguration l = new LogConfiguration();
        l.logDriver = driver;
        if (driver.equals("splunk")) {
          l.options = Map.of("splunk-url", "https://splunk.example.com:8088");
          Secret token = new Secret();
          token.name = "splunk-token";
          token.valueFrom = "arn:aws:ssm:us-east-1:123456789012:parameter/splunk/token";
          l.secretOptions = List.of(token);
        } else if (chance(0.5)) {
          l.options = Map.of("tag", "{{.Name}}");
        }
        c.logConfiguration = l;
      }
    }
  }

  private LogConfiguration awslogs() {
    LogConfiguration l = new LogConfiguration();
    l.logDriver = "awslogs";
    l.options =
        Map.of(
            "awslogs-group",
            "/ecs/app",
            "awslogs-region",
            "us-east-1",
            "awslogs-stream-prefix",
            "x");
    return l;
  }

  private void taskFields(TaskDefinitionSpec t, Platform p) {
    if (chance(0.3)) t.family = "generated_family-" + r.nextInt(100);
    if (chance(0.3)) {
      t.taskRoleRef = new ObjectRef();
      t.taskRoleRef.name = pick(TASK_ROLES);
    } else if (chance(0.2)) {
      t.taskRoleArn = "arn:aws:iam::123456789012:role/app-task-role";
    }
    if (chance(0.4)) t.executionRoleArn = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    if (p.linuxEc2()) {
      if (chance(0.1)) t.pidMode = pick(List.of("host", "task"));
      if (chance(0.1)) t.ipcMode = pick(List.of("host", "task", "none"));
      if (chance(0.1)) {
        TaskDefinitionPlacementConstraint pc = new TaskDefinitionPlacementConstraint();
        pc.type = "memberOf";
        pc.expression =
            pick(
                List.of(
                    "attribute:ecs.instance-type == m6i.16xlarge",
                    "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]",
                    "attribute:ecs.cpu-architecture == x86_64",
                    "attribute:ecs.instance-type =~ g5.*",
                    "attribute:team exists"));
        t.placementConstraints = List.of(pc);
      }
    } else if (p.fargate() && !p.windows() && chance(0.05)) {
      t.pidMode = "task";
    }
    if (p.fargate() && chance(0.2)) {
      t.ephemeralStorage = new EphemeralStorage();
      t.ephemeralStorage.sizeInGiB = 21 + r.nextInt(180);
    }
    if (p.awsvpc() && !p.windows() && chance(0.05)) {
      ProxyConfiguration pc = new ProxyConfiguration();
      pc.type = "APPMESH";
      pc.containerName = t.containerDefinitions.get(0).name;
      KeyValuePair uid = new KeyValuePair();
      uid.name = "IgnoredUID";
      uid.value = "1337";
      pc.properties = List.of(uid);
      t.proxyConfiguration = pc;
    }
    if (chance(0.05)) t.enableFaultInjection = chance(0.5);
    if (chance(0.2)) {
      Tag tag = new Tag();
      tag.key = "team";
      tag.value = "payments";
      t.tags = List.of(tag);
    }
    if (chance(0.1)) t.revisionHistoryLimit = r.nextInt(20);
  }

  // ------------------------------------------------------------------------------------ service

  private EcsServiceSpec service(TaskDefinitionSpec t, Platform p) {
    EcsServiceSpec s = new EcsServiceSpec();
    s.taskDefinitionRef = new TaskDefinitionRef();
    s.taskDefinitionRef.name = TASK_DEFINITION_NAME;
    boolean daemon = !p.fargate() && chance(0.15);
    if (daemon) {
      s.schedulingStrategy = "DAEMON";
    } else if (chance(0.3)) {
      s.schedulingStrategy = "REPLICA";
    }
    // launch type or capacity providers
    boolean providers = !daemon && !p.launchType().equals("EXTERNAL") && chance(0.25);
    if (providers) {
      List<CapacityProviderStrategyItem> items = new ArrayList<>();
      List<String> names =
          p.fargate() ? List.of("FARGATE", "FARGATE_SPOT") : List.of("asg-on-demand", "asg-spot");
      int count = 1 + r.nextInt(2);
      for (int k = 0; k < count; k++) {
        CapacityProviderStrategyItem it = new CapacityProviderStrategyItem();
        it.capacityProvider = names.get(k);
        it.weight = k == 0 ? 1 + r.nextInt(5) : r.nextInt(5);
        if (k == 0 && chance(0.5)) it.base = r.nextInt(3);
        items.add(it);
      }
      s.capacityProviderStrategy = items;
    } else if (chance(0.7) || p.launchType().equals("EXTERNAL")) {
      s.launchType = p.launchType();
    }
    // who runs deployments: rarely said at all, and a DAEMON service only ever has ECS
    if (chance(0.08)) {
      s.deploymentController = new DeploymentController();
      s.deploymentController.type =
          daemon ? "ECS" : pick(weighted("ECS", 2, "CODE_DEPLOY", 1, "EXTERNAL", 1));
    }
    String controller = s.deploymentController == null ? "ECS" : s.deploymentController.type;
    if (!daemon) {
      if (chance(0.4)) {
        Autoscaling a = new Autoscaling();
        a.minTasks = r.nextInt(4);
        a.maxTasks = Math.max(1, a.minTasks) + r.nextInt(10);
        if (chance(0.7)) a.targetCpuUtilization = 1 + r.nextInt(100);
        if (a.targetCpuUtilization == null || chance(0.4))
          a.targetMemoryUtilization = 1 + r.nextInt(100);
        if (chance(0.4)) {
          // an HPA's scale-down window stops at 3600 s: above it the cooldown is clamped
          a.scaleInCooldownSeconds = chance(0.5) ? r.nextInt(3601) : 3601 + r.nextInt(82800);
        }
        if (chance(0.4)) {
          // an HPA's scale-up period is 15-1800 s: below or above it the cooldown is clamped
          double x = r.nextDouble();
          a.scaleOutCooldownSeconds =
              x < 0.6 ? 15 + r.nextInt(586) : x < 0.8 ? r.nextInt(15) : 1801 + r.nextInt(84600);
        }
        s.autoscaling = a;
        if (chance(0.3)) s.desiredCount = a.minTasks + r.nextInt(a.maxTasks - a.minTasks + 1);
      } else if (chance(0.8)) {
        s.desiredCount = r.nextInt(11);
      }
    }
    if (chance(0.6)) {
      DeploymentConfiguration d = new DeploymentConfiguration();
      if (chance(0.7)) {
        // a DAEMON service replaces tasks in place: ECS keeps its maximumPercent at 100
        d.maximumPercent = daemon ? 100 : pick(List.of(100, 125, 150, 200, 300));
      }
      if (chance(0.7)) {
        int max = d.maximumPercent == null ? (daemon ? 100 : 200) : d.maximumPercent;
        d.minimumHealthyPercent = Math.min(max, pick(List.of(0, 25, 50, 75, 100)));
        if (d.minimumHealthyPercent == 100 && max == 100) d.minimumHealthyPercent = 50;
      } else if (daemon && d.maximumPercent != null && d.maximumPercent == 100) {
        d.minimumHealthyPercent = 50;
      }
      if (!daemon && d.maximumPercent != null && d.maximumPercent == 100) {
        if (d.minimumHealthyPercent == null || d.minimumHealthyPercent == 100)
          d.minimumHealthyPercent = 50;
      }
      // ECS refuses the circuit breaker and alarms with another controller (rarely generated,
      // to show the refusal)
      boolean ecsController = controller.equals("ECS") || chance(0.05);
      if (chance(0.4)) {
        d.deploymentCircuitBreaker = new DeploymentCircuitBreaker();
        d.deploymentCircuitBreaker.enable = ecsController && chance(0.8);
        d.deploymentCircuitBreaker.rollback = chance(0.6);
      }
      if (chance(0.2)) {
        d.alarms = new DeploymentAlarms();
        d.alarms.alarmNames = List.of("app-5xx", "app-latency");
        d.alarms.enable = ecsController && chance(0.7);
        d.alarms.rollback = chance(0.5);
      }
      // ECS-native blue/green, linear and canary deployments (not for DAEMON services)
      if (controller.equals("ECS") && chance(0.2)) {
        d.strategy =
            daemon
                ? "ROLLING"
                : pick(weighted("ROLLING", 2, "BLUE_GREEN", 2, "LINEAR", 1, "CANARY", 1));
        boolean shifting = !d.strategy.equals("ROLLING");
        if (shifting && chance(0.6)) d.bakeTimeInMinutes = pick(List.of(0, 5, 15, 60, 1440));
        if (shifting && chance(0.3)) {
          DeploymentLifecycleHook h = new DeploymentLifecycleHook();
          h.hookTargetArn = "arn:aws:lambda:us-east-1:123456789012:function:check-" + hex(6);
          h.roleArn = "arn:aws:iam::123456789012:role/ecsLifecycleHookRole";
          h.lifecycleStages =
              distinct(
                  List.of(
                      "RECONCILE_SERVICE",
                      "PRE_SCALE_UP",
                      "POST_SCALE_UP",
                      "TEST_TRAFFIC_SHIFT",
                      "POST_TEST_TRAFFIC_SHIFT",
                      "PRODUCTION_TRAFFIC_SHIFT",
                      "POST_PRODUCTION_TRAFFIC_SHIFT"),
                  1 + r.nextInt(3));
          if (chance(0.5)) {
            h.hookDetails =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                    .objectNode()
                    .put("suite", "smoke");
          }
          d.lifecycleHooks = List.of(h);
        }
        if (d.strategy.equals("LINEAR")) {
          d.linearConfiguration = new LinearConfiguration();
          d.linearConfiguration.stepPercent = pick(List.of(3.0, 10.0, 25.0, 50.0));
          if (chance(0.6)) d.linearConfiguration.stepBakeTimeInMinutes = r.nextInt(61);
        } else if (d.strategy.equals("CANARY")) {
          d.canaryConfiguration = new CanaryConfiguration();
          d.canaryConfiguration.canaryPercent = pick(List.of(5.0, 10.0, 20.5));
          if (chance(0.6)) d.canaryConfiguration.canaryBakeTimeInMinutes = r.nextInt(61);
        }
      }
      s.deploymentConfiguration = d;
    }
    if (p.ec2Like()) {
      List<PlacementConstraint> constraints = new ArrayList<>();
      if (chance(0.2)) {
        PlacementConstraint pc = new PlacementConstraint();
        if (chance(0.5)) {
          pc.type = "distinctInstance";
        } else {
          pc.type = "memberOf";
          pc.expression = "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]";
        }
        constraints.add(pc);
      }
      // a Service memberOf on top of the task definition's: both must hold
      if (t.placementConstraints != null && chance(0.5)) {
        PlacementConstraint pc = new PlacementConstraint();
        pc.type = "memberOf";
        pc.expression =
            pick(
                List.of(
                    "attribute:ecs.instance-type =~ m6i.*",
                    "attribute:ecs.availability-zone == us-east-1a",
                    "attribute:ecs.os-type == linux"));
        constraints.add(pc);
      }
      if (!constraints.isEmpty()) s.placementConstraints = constraints;
      if (!daemon && chance(0.2)) {
        // up to three strategies, applied in order (ECS allows five)
        List<PlacementStrategy> strategies = new ArrayList<>();
        int count = chance(0.7) ? 1 : 2 + r.nextInt(2);
        for (int k = 0; k < count; k++) {
          PlacementStrategy ps = new PlacementStrategy();
          ps.type = pick(List.of("random", "spread", "binpack"));
          if (ps.type.equals("spread"))
            ps.field =
                pick(
                    List.of(
                        "attribute:ecs.availability-zone",
                        "instanceId",
                        "host",
                        "attribute:ecs.instance-type",
                        "attribute:team"));
          if (ps.type.equals("binpack")) ps.field = pick(List.of("memory", "cpu"));
          strategies.add(ps);
        }
        s.placementStrategy = strategies;
      }
    }
    if (chance(0.3)) s.healthCheckGracePeriodSeconds = r.nextInt(600);
    if (p.awsvpc()) {
      s.networkConfiguration = new NetworkConfiguration();
      AwsVpcConfiguration vpc = new AwsVpcConfiguration();
      vpc.subnets = List.of("subnet-" + hex(8), "subnet-" + hex(17));
      if (chance(0.7)) vpc.securityGroups = List.of("sg-" + hex(17));
      if (chance(0.5)) vpc.assignPublicIp = pick(List.of("ENABLED", "DISABLED"));
      s.networkConfiguration.awsvpcConfiguration = vpc;
    }
    if (chance(0.1)) {
      ServiceRegistry reg = new ServiceRegistry();
      reg.registryArn = "arn:aws:servicediscovery:us-east-1:123456789012:service/srv-" + hex(16);
      var mapped =
          t.containerDefinitions.stream()
              .filter(c -> c.portMappings != null)
              .flatMap(c -> c.portMappings.stream().map(m -> Map.entry(c.name, m)))
              .filter(e -> e.getValue().containerPort != null)
              .findFirst();
      if (mapped.isPresent() && !p.awsvpc()) {
        reg.containerName = mapped.get().getKey();
        reg.containerPort = mapped.get().getValue().containerPort;
      }
      s.serviceRegistries = List.of(reg);
    }
    traffic(s, t, p, controller);
    if (t.volumes != null) {
      List<ServiceVolumeConfiguration> vcs = new ArrayList<>();
      for (Volume v : t.volumes) {
        if (!Boolean.TRUE.equals(v.configuredAtLaunch)) continue;
        ServiceVolumeConfiguration vc = new ServiceVolumeConfiguration();
        vc.name = v.name;
        vc.managedEBSVolume = new ServiceManagedEbsVolumeConfiguration();
        vc.managedEBSVolume.roleArn = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
        ebs(vc.managedEBSVolume);
        vcs.add(vc);
      }
      if (!vcs.isEmpty()) s.volumeConfigurations = vcs;
    }
    if (chance(0.2)) s.enableExecuteCommand = chance(0.7);
    if (chance(0.1)) s.propagateTags = pick(List.of("TASK_DEFINITION", "SERVICE", "NONE"));
    if (chance(0.1)) s.enableECSManagedTags = true;
    if (p.fargate() && "FARGATE".equals(s.launchType) && chance(0.2))
      s.platformVersion = pick(List.of("LATEST", "1.4.0"));
    return s;
  }

  /**
   * Load balancers, Service Connect and VPC Lattice: the traffic ECS attaches to a Service. Each
   * names a container port of the task (by name where ECS asks for portMappings[].name). A
   * CODE_DEPLOY controller and an ECS blue/green, linear or canary deployment need a load balancer
   * (or Service Connect) on ECS, so they get one when the task has a port.
   */
  private void traffic(EcsServiceSpec s, TaskDefinitionSpec t, Platform p, String controller) {
    List<Map.Entry<String, PortMapping>> ports = new ArrayList<>();
    for (ContainerDefinition c : t.containerDefinitions) {
      if (c.portMappings == null) continue;
      for (PortMapping m : c.portMappings) {
        if (m.containerPort != null) ports.add(Map.entry(c.name, m));
      }
    }
    List<Map.Entry<String, PortMapping>> named =
        ports.stream().filter(e -> e.getValue().name != null).toList();
    String strategy = s.deploymentConfiguration == null ? null : s.deploymentConfiguration.strategy;
    boolean shifting = strategy != null && !strategy.equals("ROLLING");
    boolean needsBalancer = controller.equals("CODE_DEPLOY") || shifting;
    if (!ports.isEmpty() && (chance(0.08) || needsBalancer && chance(0.9))) {
      List<LoadBalancer> lbs = new ArrayList<>();
      int count = chance(0.8) ? 1 : 2;
      for (int k = 0; k < count; k++) {
        var port = pick(ports);
        LoadBalancer lb = new LoadBalancer();
        if (chance(0.1) && !p.awsvpc()) {
          lb.loadBalancerName = "classic-" + hex(6);
        } else {
          lb.targetGroupArn =
              "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-"
                  + hex(6)
                  + "/"
                  + hex(16);
        }
        lb.containerName = port.getKey();
        lb.containerPort = port.getValue().containerPort;
        if (shifting && lb.targetGroupArn != null) {
          lb.advancedConfiguration = new AdvancedConfiguration();
          lb.advancedConfiguration.alternateTargetGroupArn =
              "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-green/" + hex(16);
          lb.advancedConfiguration.productionListenerRule =
              "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/lb/"
                  + hex(16)
                  + "/"
                  + hex(16)
                  + "/"
                  + hex(16);
          if (chance(0.5))
            lb.advancedConfiguration.testListenerRule =
                lb.advancedConfiguration.productionListenerRule + "-test";
          lb.advancedConfiguration.roleArn = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
        }
        lbs.add(lb);
      }
      s.loadBalancers = lbs;
    }
    if (chance(0.06)) {
      ServiceConnectConfiguration sc = new ServiceConnectConfiguration();
      sc.enabled = named.isEmpty() ? chance(0.5) : chance(0.8);
      if (sc.enabled) {
        sc.namespace =
            pick(
                List.of(
                    "internal",
                    "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-" + hex(16)));
        if (!named.isEmpty() && chance(0.8)) {
          ServiceConnectService svc = new ServiceConnectService();
          svc.portName = pick(named).getValue().name;
          if (chance(0.5)) svc.discoveryName = "app-" + hex(4);
          if (chance(0.6)) {
            ServiceConnectClientAlias alias = new ServiceConnectClientAlias();
            alias.port = 1 + r.nextInt(65535);
            if (chance(0.5)) alias.dnsName = "app.internal";
            svc.clientAliases = List.of(alias);
          }
          if (chance(0.2)) svc.ingressPortOverride = 1024 + r.nextInt(20000);
          if (chance(0.2)) {
            svc.timeout = new TimeoutConfiguration();
            svc.timeout.idleTimeoutSeconds = r.nextInt(3600);
            svc.timeout.perRequestTimeoutSeconds = r.nextInt(120);
          }
          sc.services = List.of(svc);
        }
        if (chance(0.3)) sc.logConfiguration = awslogs();
      }
      s.serviceConnectConfiguration = sc;
    }
    if (!named.isEmpty() && chance(0.04)) {
      VpcLatticeConfiguration v = new VpcLatticeConfiguration();
      v.roleArn = "arn:aws:iam::123456789012:role/ecsInfrastructureRoleVpcLattice";
      v.targetGroupArn = "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-" + hex(17);
      v.portName = pick(named).getValue().name;
      s.vpcLatticeConfigurations = List.of(v);
    }
  }

  /**
   * A managed EBS volume as ECS accepts it: a size, or a snapshot with or without one; iops only
   * for io1 / io2 / gp3, throughput only for gp3; a KMS key only with encryption.
   */
  private void ebs(ServiceManagedEbsVolumeConfiguration e) {
    e.roleArn = "arn:aws:iam::123456789012:role/ecsInfrastructureRole";
    if (chance(0.25)) {
      e.snapshotId = "snap-" + hex(17);
      if (chance(0.2)) e.volumeInitializationRate = 100 + r.nextInt(200);
    }
    if (e.snapshotId == null || chance(0.6)) e.sizeInGiB = 1 + r.nextInt(100);
    if (chance(0.5)) {
      e.volumeType =
          pick(weighted("gp3", 4, "gp2", 1, "io1", 1, "io2", 1, "st1", 1, "sc1", 1, "standard", 1));
    }
    String type = e.volumeType == null ? "gp3" : e.volumeType;
    if (type.equals("io1") || type.equals("io2")) {
      if (chance(0.7)) e.iops = 100 + r.nextInt(16000);
    } else if (type.equals("gp3")) {
      if (chance(0.2)) e.iops = 3000 + r.nextInt(13001);
      if (chance(0.15)) e.throughput = 125 + r.nextInt(876);
    }
    if (chance(0.3)) {
      e.encrypted = chance(0.7);
      if (e.encrypted && chance(0.5))
        e.kmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/" + hex(8) + "-" + hex(4);
    }
    if (chance(0.3)) e.filesystemType = pick(List.of("ext3", "ext4", "xfs"));
    if (chance(0.15)) {
      EbsTagSpecification ts = new EbsTagSpecification();
      ts.resourceType = "volume";
      if (chance(0.7)) {
        Tag tag = new Tag();
        tag.key = "team";
        tag.value = "payments";
        ts.tags = List.of(tag);
      }
      if (ts.tags == null || chance(0.4))
        ts.propagateTags = pick(List.of("TASK_DEFINITION", "SERVICE", "NONE"));
      e.tagSpecifications = List.of(ts);
    }
  }

  // ------------------------------------------------------------------------------------ cluster

  private ClusterSpec cluster(TaskDefinitionSpec t, boolean strict) {
    ClusterSpec c = new ClusterSpec();
    c.backend = "kubernetes";
    if (chance(0.7)) {
      LaunchTypePlacement pl = new LaunchTypePlacement();
      pl.fargate =
          placement(
              Map.of("eks.amazonaws.com/compute-type", "fargate"),
              toleration("eks.amazonaws.com/compute-type", "fargate"));
      pl.ec2 =
          chance(0.5)
              ? placement(Map.of("eks.amazonaws.com/capacityType", "ON_DEMAND"), null)
              : null;
      pl.gpu =
          placement(
              Map.of("tidewater.dev/accelerator", "nvidia"), toleration("nvidia.com/gpu", null));
      pl.windows = placement(Map.of("kubernetes.io/os", "windows"), toleration("os", "windows"));
      pl.arm64 = chance(0.5) ? placement(Map.of("kubernetes.io/arch", "arm64"), null) : null;
      c.placement = pl;
    }
    if (!strict) {
      Guardrails g = new Guardrails();
      boolean privileged =
          t.containerDefinitions.stream().anyMatch(x -> Boolean.TRUE.equals(x.privileged))
              || "host".equals(t.pidMode)
              || "host".equals(t.ipcMode);
      boolean hostPath =
          t.volumes != null
              && t.volumes.stream()
                  .anyMatch(
                      v ->
                          (v.host != null && v.host.sourcePath != null)
                              // a Docker volume's driverOpts can mount the host as well
                              || (v.dockerVolumeConfiguration != null
                                  && v.dockerVolumeConfiguration.driverOpts != null
                                  && !v.dockerVolumeConfiguration.driverOpts.isEmpty()));
      boolean allowPrivileged = privileged || chance(0.3);
      // what else Pod Security baseline refuses (capabilities, devices, sysctls, security options)
      // is asked for as privileged is: checked apart, so the random sequence stays as it was
      ClusterSpec baseline = new ClusterSpec();
      baseline.guardrails = new Guardrails();
      baseline.guardrails.allowHostNetwork = true;
      baseline.guardrails.allowHostPath = true;
      allowPrivileged |=
          !PodSecurityGuardrails.check(t, ValidationContext.forCluster(baseline)).isEmpty();
      g.allowPrivileged = allowPrivileged ? true : null;
      g.allowHostNetwork = "host".equals(t.networkMode) || chance(0.3) ? true : null;
      g.allowHostPath = hostPath || chance(0.3) ? true : null;
      c.guardrails = g;
    }
    if (chance(0.3)) {
      // the StorageClasses managed EBS volumes get: one for all, or one per volume type
      StorageSettings st = new StorageSettings();
      if (chance(0.6)) st.ebsStorageClass = pick(List.of("gp3-encrypted", "ebs-sc"));
      if (st.ebsStorageClass == null || chance(0.5)) {
        Map<String, String> byType = new LinkedHashMap<>();
        byType.put("gp3", "ebs-gp3");
        if (chance(0.5)) byType.put("io2", "ebs-io2");
        if (chance(0.3)) byType.put("st1", "ebs-throughput");
        st.ebsStorageClassByVolumeType = byType;
      }
      c.storage = st;
    }
    return c;
  }

  private static NodePlacement placement(Map<String, String> selector, Toleration toleration) {
    NodePlacement p = new NodePlacement();
    p.nodeSelector = selector;
    if (toleration != null) p.tolerations = List.of(toleration);
    return p;
  }

  private static Toleration toleration(String key, String value) {
    Toleration t = new Toleration();
    t.setKey(key);
    if (value != null) t.setValue(value);
    else t.setOperator("Exists");
    t.setEffect("NoSchedule");
    return t;
  }

  // ------------------------------------------------------------------------------------ helpers

  private boolean chance(double p) {
    return r.nextDouble() < p;
  }

  private <T> T pick(List<T> list) {
    return list.get(r.nextInt(list.size()));
  }

  private <T> List<T> distinct(List<T> pool, int count) {
    List<T> copy = new ArrayList<>(pool);
    java.util.Collections.shuffle(copy, r);
    return new ArrayList<>(copy.subList(0, Math.min(count, copy.size())));
  }

  private String hex(int length) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < length; k++) s.append("0123456789abcdef".charAt(r.nextInt(16)));
    return s.toString();
  }

  /** A list with each value repeated by its weight: value, weight, value, weight, ... */
  private static List<String> weighted(Object... pairs) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < pairs.length; k += 2) {
      for (int w = 0; w < (Integer) pairs[k + 1]; w++) out.add((String) pairs[k]);
    }
    return out;
  }
}
