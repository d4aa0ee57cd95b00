package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.Device;
import dev.tidewater.api.v1alpha1.taskdefinition.KernelCapabilities;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import dev.tidewater.model.ValidationContext.PodSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Cluster's guardrails on what a task may take from its host, at a Pod Security Standards
 * level: the one check the validator (reconcilers of both backends, the CLI) and the kubernetes
 * renderer run, so a task definition is refused in the same place for the same reason wherever it
 * goes.
 *
 * <p>With {@code guardrails.allowPrivileged} not true, a task must meet what Pod Security
 * <em>baseline</em> (pod-security-admission 1.35) refuses, field by field and on every container,
 * essential or not: no privileged container, host PID / IPC namespace, capability outside
 * baseline's default set, host device, unconfined seccomp or AppArmor, SELinux label disabled or a
 * non-container type / user / role, sysctl outside baseline's safe set. {@code
 * guardrails.podSecurity: restricted} adds restricted's rules that a task definition can break: a
 * root {@code user} (and, on the ecs backend, no {@code user}, since ECS cannot refuse a root image
 * user as runAsNonRoot does), capabilities other than NET_BIND_SERVICE, host and driver volumes.
 * networkMode host and host path volumes keep their own guardrails (allowHostNetwork,
 * allowHostPath).
 */
public final class PodSecurityGuardrails {

  /**
   * The condition reason of a resource the guardrails refuse (a TaskDefinition, or a Service whose
   * revision they refuse), whichever check refused it; the problems name the fields.
   */
  public static final String GUARDRAIL_VIOLATION = "GuardrailViolation";

  /** A privileged container where the Cluster does not allow privileged tasks. */
  public static final String PRIVILEGED_NOT_ALLOWED = "PrivilegedNotAllowed";

  /** networkMode host where the Cluster does not allow host networking. */
  public static final String HOST_NETWORK_NOT_ALLOWED = "HostNetworkNotAllowed";

  /** pidMode host where the Cluster does not allow privileged tasks. */
  public static final String HOST_PID_NOT_ALLOWED = "HostPidNotAllowed";

  /** ipcMode host where the Cluster does not allow privileged tasks. */
  public static final String HOST_IPC_NOT_ALLOWED = "HostIpcNotAllowed";

  /** A host path volume where the Cluster does not allow host paths (or is restricted). */
  public static final String HOST_PATH_NOT_ALLOWED = "HostPathNotAllowed";

  /** An added capability outside the Cluster's Pod Security level. */
  public static final String CAPABILITY_NOT_ALLOWED = "CapabilityNotAllowed";

  /** A host device where the Cluster does not allow privileged tasks. */
  public static final String DEVICE_NOT_ALLOWED = "DeviceNotAllowed";

  /** seccomp unconfined where the Cluster does not allow privileged tasks. */
  public static final String SECCOMP_NOT_ALLOWED = "SeccompNotAllowed";

  /** AppArmor unconfined where the Cluster does not allow privileged tasks. */
  public static final String APP_ARMOR_NOT_ALLOWED = "AppArmorNotAllowed";

  /** SELinux labels disabled, or a non-container type, a user or a role set. */
  public static final String SE_LINUX_NOT_ALLOWED = "SeLinuxNotAllowed";

  /** A sysctl outside Pod Security baseline's safe set. */
  public static final String SYSCTL_NOT_ALLOWED = "SysctlNotAllowed";

  /** A root (or, on ECS, unset) user where the Cluster asks for restricted. */
  public static final String RUN_AS_ROOT_NOT_ALLOWED = "RunAsRootNotAllowed";

  /** A Docker security option that is none of those the guardrails can judge. */
  public static final String SECURITY_OPTION_NOT_ALLOWED = "SecurityOptionNotAllowed";

  /** A volume type Pod Security restricted does not allow. */
  public static final String VOLUME_TYPE_NOT_ALLOWED = "VolumeTypeNotAllowed";

  /**
   * Capabilities baseline lets a container add (pod-security-admission's capabilities_allowed_1_0:
   * Docker's default set less NET_RAW); compared as written, as admission compares them.
   */
  public static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** The one capability restricted lets a container add. */
  public static final String RESTRICTED_CAPABILITY = "NET_BIND_SERVICE";

  /** SELinux types baseline allows (1.31 and later, with container_engine_t). */
  public static final Set<String> SE_LINUX_TYPES =
      Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  // Docker's --security-opt spellings, with ':' (ECS's) or '=' (Docker's own).
  private static final Pattern OPTION = Pattern.compile("(seccomp|apparmor|label)[:=](.*)");
  // what else Docker and ECS accept that loosens nothing
  private static final Pattern SAFE_OPTION =
      Pattern.compile("no-new-privileges([:=](true|false))?|credentialspec[:=].*");
  private static final Pattern LABEL = Pattern.compile("(user|role|type|level):(.*)");
  private static final Pattern ROOT_USER = Pattern.compile("(0+|root)(:.*)?");

  private PodSecurityGuardrails() {}

  /**
   * Every guardrail {@code spec} breaks under the Cluster of {@code context}: paths relative to the
   * spec, reasons of this class, messages naming the guardrail. Empty without a Cluster ({@link
   * ValidationContext#NONE}).
   */
  public static List<Problem> check(TaskDefinitionSpec spec, ValidationContext context) {
    Check check = new Check(spec, context);
    check.run();
    return List.copyOf(check.problems);
  }

  /** The Docker security option that stops a process gaining privileges (setuid, file caps). */
  public static final String NO_NEW_PRIVILEGES = "no-new-privileges";

  private static final Pattern NO_NEW_PRIVILEGES_OFF =
      Pattern.compile("no-new-privileges[:=]false");

  /**
   * {@code spec} as the ecs backend registers it under the Cluster of {@code context}: under
   * restricted, what Pod Security restricted requires and the kubernetes renderer adds (every
   * capability dropped, no privilege escalation) added to each Linux container, since ECS has no
   * defaults to the same effect: {@code linuxParameters.capabilities.drop} gains {@code ALL} (an
   * added NET_BIND_SERVICE stays, Docker adds after dropping) and, where the task runs only on EC2
   * or EXTERNAL, {@code dockerSecurityOptions} gains {@code no-new-privileges} (Fargate and ECS
   * Managed Instances take no dockerSecurityOptions). Windows tasks and other levels: {@code spec}
   * itself. A copy: the resource's spec is never changed.
   */
  public static TaskDefinitionSpec hardenedForEcs(
      TaskDefinitionSpec spec, ValidationContext context) {
    if (context.guardrails().isEmpty()
        || context.podSecurity() != PodSecurity.RESTRICTED
        || spec.containerDefinitions == null
        || windows(spec)) {
      return spec;
    }
    TaskDefinitionSpec out = TaskDefinitionCanonicalizer.deepCopy(spec);
    boolean dockerOptions =
        out.requiresCompatibilities == null
            || out.requiresCompatibilities.isEmpty()
            || out.requiresCompatibilities.stream()
                .allMatch(c -> "EC2".equals(c) || "EXTERNAL".equals(c));
    for (ContainerDefinition c : out.containerDefinitions) {
      if (c == null) {
        continue;
      }
      if (c.linuxParameters == null) {
        c.linuxParameters = new LinuxParameters();
      }
      if (c.linuxParameters.capabilities == null) {
        c.linuxParameters.capabilities = new KernelCapabilities();
      }
      List<String> drop =
          c.linuxParameters.capabilities.drop == null
              ? new ArrayList<>()
              : new ArrayList<>(c.linuxParameters.capabilities.drop);
      if (drop.stream().noneMatch(d -> "ALL".equals(strip(d)))) {
        drop.add("ALL");
      }
      c.linuxParameters.capabilities.drop = drop;
      if (dockerOptions) {
        List<String> options =
            c.dockerSecurityOptions == null
                ? new ArrayList<>()
                : new ArrayList<>(c.dockerSecurityOptions);
        if (options.stream()
            .map(PodSecurityGuardrails::strip)
            .noneMatch(o -> o != null && o.startsWith(NO_NEW_PRIVILEGES))) {
          options.add(NO_NEW_PRIVILEGES);
        }
        c.dockerSecurityOptions = options;
      }
    }
    return out;
  }

  /**
   * Every guardrail a revision registered on ECS (its spec as DescribeTaskDefinition gives it)
   * breaks under the Cluster of {@code context}: {@link #check}, plus, under restricted, what
   * {@link #hardenedForEcs} adds and the revision lacks (a revision registered before restricted
   * applied: capabilities not dropped, escalation possible).
   */
  public static List<Problem> checkRegisteredOnEcs(
      TaskDefinitionSpec registered, ValidationContext context) {
    List<Problem> problems = new ArrayList<>(check(registered, context));
    TaskDefinitionSpec hardened = hardenedForEcs(registered, context);
    if (hardened == registered) {
      return problems;
    }
    for (int i = 0; i < registered.containerDefinitions.size(); i++) {
      ContainerDefinition was = registered.containerDefinitions.get(i);
      ContainerDefinition now = hardened.containerDefinitions.get(i);
      if (was == null) {
        continue;
      }
      String p = "containerDefinitions[" + i + "]";
      List<String> drop =
          was.linuxParameters == null || was.linuxParameters.capabilities == null
              ? null
              : was.linuxParameters.capabilities.drop;
      if (!Objects.equals(drop, now.linuxParameters.capabilities.drop)) {
        problems.add(
            new Problem(
                p + ".linuxParameters.capabilities.drop",
                CAPABILITY_NOT_ALLOWED,
                "container "
                    + quote(was.name)
                    + " of this revision does not drop ALL capabilities, which the Cluster"
                    + " requires (guardrails.podSecurity restricted): it was registered before"
                    + " restricted applied"));
      }
      if (!Objects.equals(was.dockerSecurityOptions, now.dockerSecurityOptions)) {
        problems.add(
            new Problem(
                p + ".dockerSecurityOptions",
                SECURITY_OPTION_NOT_ALLOWED,
                "container "
                    + quote(was.name)
                    + " of this revision lacks no-new-privileges, which the Cluster requires"
                    + " (guardrails.podSecurity restricted): it was registered before restricted"
                    + " applied"));
      }
    }
    return problems;
  }

  private static boolean windows(TaskDefinitionSpec spec) {
    return spec.runtimePlatform != null
        && spec.runtimePlatform.operatingSystemFamily != null
        && spec.runtimePlatform
            .operatingSystemFamily
            .toUpperCase(Locale.ROOT)
            .startsWith("WINDOWS");
  }

  private static final class Check {
    private final TaskDefinitionSpec spec;
    private final ValidationContext context;
    private final PodSecurity level;
    private final String guardrail;
    private final List<Problem> problems = new ArrayList<>();

    Check(TaskDefinitionSpec spec, ValidationContext context) {
      this.spec = spec;
      this.context = context;
      this.level = context.podSecurity();
      this.guardrail =
          level == PodSecurity.RESTRICTED
              ? "guardrails.podSecurity restricted"
              : "guardrails.allowPrivileged is not true; guardrails.podSecurity baseline";
    }

    void run() {
      if (context.guardrails().isEmpty()) {
        return;
      }
      if (!context.allowsHostNetwork() && "host".equals(strip(spec.networkMode))) {
        add(
            "networkMode",
            HOST_NETWORK_NOT_ALLOWED,
            "networkMode host is not allowed by the Cluster (guardrails.allowHostNetwork)");
      }
      volumes();
      if (level == PodSecurity.PRIVILEGED) {
        return;
      }
      // the host's process and IPC namespaces are as much the host as a privileged container
      if ("host".equals(strip(spec.pidMode))) {
        add(
            "pidMode",
            HOST_PID_NOT_ALLOWED,
            "pidMode host is not allowed by the Cluster (" + guardrail + ")");
      }
      if ("host".equals(strip(spec.ipcMode))) {
        add(
            "ipcMode",
            HOST_IPC_NOT_ALLOWED,
            "ipcMode host is not allowed by the Cluster (" + guardrail + ")");
      }
      List<ContainerDefinition> containers =
          spec.containerDefinitions == null ? List.of() : spec.containerDefinitions;
      for (int i = 0; i < containers.size(); i++) {
        ContainerDefinition c = containers.get(i);
        if (c != null) {
          container("containerDefinitions[" + i + "]", c);
        }
      }
    }

    private void volumes() {
      List<Volume> volumes = spec.volumes == null ? List.of() : spec.volumes;
      for (int k = 0; k < volumes.size(); k++) {
        Volume v = volumes.get(k);
        if (v == null) {
          continue;
        }
        String path = "volumes[" + k + "]";
        if (v.host != null && present(v.host.sourcePath)) {
          if (level == PodSecurity.RESTRICTED) {
            add(
                path + ".host.sourcePath",
                HOST_PATH_NOT_ALLOWED,
                "host sourcePath "
                    + quote(v.host.sourcePath)
                    + " is not allowed by the Cluster (guardrails.podSecurity restricted allows"
                    + " no host path, whatever guardrails.allowHostPath says)");
          } else if (!context.allowsHostPath()) {
            add(
                path + ".host.sourcePath",
                HOST_PATH_NOT_ALLOWED,
                "host sourcePath "
                    + quote(v.host.sourcePath)
                    + " is not allowed by the Cluster (guardrails.allowHostPath)");
          }
        }
        var docker = v.dockerVolumeConfiguration;
        if (level != PodSecurity.RESTRICTED
            && docker != null
            && docker.driverOpts != null
            && !docker.driverOpts.isEmpty()
            && !context.allowsHostPath()) {
          // the local driver's options mount what they name: type none + o bind + device / is
          // the host's root, type ext4 + device a host disk (ECS only: the kubernetes renderer
          // makes an emptyDir)
          add(
              path + ".dockerVolumeConfiguration.driverOpts",
              HOST_PATH_NOT_ALLOWED,
              "driverOpts on a Docker volume can mount a host path or device and are not allowed"
                  + " by the Cluster (guardrails.allowHostPath)");
        }
        if (level == PodSecurity.RESTRICTED && docker != null) {
          // a volume driver (or the local driver's mount options: type nfs, device ...) mounts
          // what restricted's volume types exclude; only a plain local volume is an emptyDir
          if (present(docker.driver) && !"local".equals(docker.driver.strip())) {
            add(
                path + ".dockerVolumeConfiguration.driver",
                VOLUME_TYPE_NOT_ALLOWED,
                "Docker volume driver "
                    + quote(docker.driver)
                    + " is not allowed by the Cluster (guardrails.podSecurity restricted allows"
                    + " only local volumes without driverOpts)");
          } else if (docker.driverOpts != null && !docker.driverOpts.isEmpty()) {
            add(
                path + ".dockerVolumeConfiguration.driverOpts",
                VOLUME_TYPE_NOT_ALLOWED,
                "driverOpts on a Docker volume are not allowed by the Cluster"
                    + " (guardrails.podSecurity restricted allows only local volumes without"
                    + " driverOpts)");
          }
        }
      }
    }

    private void container(String p, ContainerDefinition c) {
      String who = "container " + quote(c.name);
      if (Boolean.TRUE.equals(c.privileged)) {
        add(
            p + ".privileged",
            PRIVILEGED_NOT_ALLOWED,
            "privileged true on " + who + " is not allowed by the Cluster (" + guardrail + ")");
      }
      LinuxParameters lp = c.linuxParameters;
      if (lp != null && lp.capabilities != null && lp.capabilities.add != null) {
        List<String> add = lp.capabilities.add;
        for (int k = 0; k < add.size(); k++) {
          String cap = add.get(k) == null ? "" : add.get(k).strip();
          boolean allowed =
              level == PodSecurity.RESTRICTED
                  ? RESTRICTED_CAPABILITY.equals(cap)
                  : BASELINE_CAPABILITIES.contains(cap);
          if (!allowed) {
            add(
                p + ".linuxParameters.capabilities.add[" + k + "]",
                CAPABILITY_NOT_ALLOWED,
                "capability "
                    + quote(cap)
                    + " added to "
                    + who
                    + " is not allowed by the Cluster ("
                    + guardrail
                    + " allows "
                    + (level == PodSecurity.RESTRICTED
                        ? RESTRICTED_CAPABILITY + " only"
                        : "only " + String.join(", ", sorted(BASELINE_CAPABILITIES)))
                    + ", in upper case without CAP_)");
          }
        }
      }
      if (lp != null && lp.devices != null) {
        List<Device> devices = lp.devices;
        for (int k = 0; k < devices.size(); k++) {
          Device d = devices.get(k);
          add(
              p + ".linuxParameters.devices[" + k + "].hostPath",
              DEVICE_NOT_ALLOWED,
              "host device "
                  + quote(d == null ? null : d.hostPath)
                  + " on "
                  + who
                  + " is not allowed by the Cluster ("
                  + guardrail
                  + " allows no host device)");
        }
      }
      if (c.dockerSecurityOptions != null) {
        for (int k = 0; k < c.dockerSecurityOptions.size(); k++) {
          securityOption(
              p + ".dockerSecurityOptions[" + k + "]", who, c.dockerSecurityOptions.get(k));
        }
      }
      if (c.systemControls != null) {
        for (int k = 0; k < c.systemControls.size(); k++) {
          SystemControl s = c.systemControls.get(k);
          if (s == null || !present(s.namespace)) {
            continue;
          }
          // compared as written: admission does not read net/ipv4/... as net.ipv4....
          if (!PodSpecRules.isBaselineSysctl(s.namespace)) {
            add(
                p + ".systemControls[" + k + "].namespace",
                SYSCTL_NOT_ALLOWED,
                "sysctl "
                    + quote(s.namespace)
                    + " on "
                    + who
                    + " is not allowed by the Cluster ("
                    + guardrail
                    + " allows only "
                    + String.join(", ", sorted(PodSpecRules.BASELINE_SYSCTLS))
                    + ")");
          }
        }
      }
      if (level == PodSecurity.RESTRICTED && !windows()) {
        user(p, who, c);
      }
    }

    private void securityOption(String path, String who, String raw) {
      String o = raw == null ? "" : raw.strip();
      Matcher m = OPTION.matcher(o);
      if (!m.matches()) {
        if (o.equals("disable")) {
          // Docker reads a bare "disable" as label=disable
          add(
              path,
              SE_LINUX_NOT_ALLOWED,
              "\"disable\" (SELinux labels off) on "
                  + who
                  + " is not allowed by the Cluster ("
                  + guardrail
                  + ")");
        } else if (level == PodSecurity.RESTRICTED && NO_NEW_PRIVILEGES_OFF.matcher(o).matches()) {
          // restricted forbids privilege escalation; the ecs backend adds no-new-privileges
          optionNotAllowed(path, o, who, guardrail + " forbids privilege escalation");
        } else if (!SAFE_OPTION.matcher(o).matches()) {
          optionNotAllowed(
              path,
              o,
              who,
              guardrail
                  + " allows no-new-privileges, credentialspec, and seccomp, apparmor and label"
                  + " options within its level");
        }
        return;
      }
      String value = m.group(2);
      switch (m.group(1)) {
        case "seccomp" -> {
          if (value.equals("unconfined") || value.startsWith("{")) {
            // an inline profile (JSON) is whatever it says, SCMP_ACT_ALLOW included
            add(
                path,
                SECCOMP_NOT_ALLOWED,
                "seccomp "
                    + (value.startsWith("{") ? "with an inline profile" : "unconfined")
                    + " on "
                    + who
                    + " is not allowed by the Cluster ("
                    + guardrail
                    + " allows the runtime's default or a profile on the node)");
          }
        }
        case "apparmor" -> {
          if (value.equals("unconfined")) {
            add(
                path,
                APP_ARMOR_NOT_ALLOWED,
                "AppArmor unconfined on "
                    + who
                    + " is not allowed by the Cluster ("
                    + guardrail
                    + " allows the runtime's default or a profile loaded on the node)");
          }
        }
        default -> {
          Matcher label = LABEL.matcher(value);
          String why = null;
          if (value.equals("disable")) {
            why = "label:disable turns SELinux separation off";
          } else if (label.matches() && label.group(1).equals("type")) {
            if (!SE_LINUX_TYPES.contains(label.group(2))) {
              why = "SELinux type " + quote(label.group(2)) + " is not a container type";
            }
          } else if (label.matches() && !label.group(1).equals("level")) {
            why = "an SELinux " + label.group(1) + " may not be set";
          }
          if (why != null) {
            add(
                path,
                SE_LINUX_NOT_ALLOWED,
                quote(o)
                    + " on "
                    + who
                    + " is not allowed by the Cluster ("
                    + guardrail
                    + "): "
                    + why
                    + "; types allowed: "
                    + String.join(", ", sorted(SE_LINUX_TYPES))
                    + ", and any level");
          }
        }
      }
    }

    private void user(String p, String who, ContainerDefinition c) {
      String user = strip(c.user);
      if (user != null && ROOT_USER.matcher(user).matches()) {
        add(
            p + ".user",
            RUN_AS_ROOT_NOT_ALLOWED,
            "user "
                + quote(user)
                + " runs "
                + who
                + " as root, which the Cluster does not allow (guardrails.podSecurity"
                + " restricted)");
      } else if (user == null && context.onEcs()) {
        // Kubernetes refuses a root image user at start (runAsNonRoot); ECS has no such check
        add(
            p + ".user",
            RUN_AS_ROOT_NOT_ALLOWED,
            who
                + " sets no user, so ECS runs it as the image's user, which may be root; the"
                + " Cluster does not allow root (guardrails.podSecurity restricted): set user to"
                + " a non-zero uid");
      }
    }

    private boolean windows() {
      return PodSecurityGuardrails.windows(spec);
    }

    private void add(String path, String reason, String message) {
      problems.add(new Problem(path, reason, message));
    }

    private void optionNotAllowed(String path, String option, String who, String why) {
      add(
          path,
          SECURITY_OPTION_NOT_ALLOWED,
          "security option "
              + quote(option)
              + " on "
              + who
              + " is not allowed by the Cluster ("
              + why
              + ")");
    }
  }

  private static List<String> sorted(Set<String> values) {
    return values.stream().sorted().toList();
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  private static String strip(String s) {
    return present(s) ? s.strip() : null;
  }
}
