package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isDigits;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isTrue;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.model.PodSpecRules;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The security family: what a container may do and see on the node. pidMode and ipcMode,
 * privileged, user, capabilities, dockerSecurityOptions, and the containers' systemControls as the
 * pod's sysctls; what the Cluster's guardrails refuse is decided by {@code PodSecurityGuardrails},
 * and under Pod Security restricted this family adds what that level requires of every pod.
 */
final class SecurityRendering {
  private static final Pattern SELINUX_LABEL =
      Pattern.compile("label[:=](user|role|type|level):(.+)");

  private final PodRendering r;
  private final Map<String, String> sysctls = new LinkedHashMap<>();

  SecurityRendering(PodRendering r) {
    this.r = r;
  }

  void hostNamespaces() {
    String pidMode = blankToNull(r.task.pidMode);
    if ("task".equals(pidMode)) {
      r.pod.setShareProcessNamespace(true);
    } else if ("host".equals(pidMode)) {
      // refused (PodSecurityGuardrails) unless the Cluster allows privileged tasks
      r.pod.setHostPID(true);
    }
    String ipcMode = blankToNull(r.task.ipcMode);
    if ("host".equals(ipcMode)) {
      r.pod.setHostIPC(true);
    } else if ("none".equals(ipcMode)) {
      r.warn(
          "ipcMode",
          MappingReasons.IPC_MODE_NONE_NOT_MAPPED,
          "containers of a pod share one IPC namespace; ipcMode none is not enforced");
    }
  }

  SecurityContext containerContext(int i, ContainerDefinition d) {
    SecurityContext sc = new SecurityContext();
    boolean any = false;
    if (isTrue(d.privileged)) {
      sc.setPrivileged(true);
      any = true;
    }
    if (isTrue(d.readonlyRootFilesystem)) {
      sc.setReadOnlyRootFilesystem(true);
      any = true;
    }
    String user = blankToNull(d.user);
    if (user != null) {
      if (r.windows) {
        sc.setWindowsOptions(new WindowsSecurityContextOptions(null, null, null, user));
        any = true;
      } else {
        String[] parts = user.split(":", 2);
        List<String> unmapped = new ArrayList<>();
        Long uid = numericId(parts[0]);
        if (uid != null) {
          sc.setRunAsUser(uid);
          any = true;
        } else {
          unmapped.add(describeId("user", parts[0]));
        }
        Long gid = parts.length == 2 ? numericId(parts[1]) : null;
        if (gid != null) {
          sc.setRunAsGroup(gid);
          any = true;
        } else if (parts.length == 2) {
          unmapped.add(describeId("group", parts[1]));
        }
        if (!unmapped.isEmpty()) {
          r.warn(
              containerPath(i) + ".user",
              MappingReasons.USER_NAME_NOT_MAPPED,
              "user \""
                  + user
                  + "\": "
                  + String.join(" and ", unmapped)
                  + ": Kubernetes runs as numeric ids from 0 to "
                  + PodSpecRules.MAX_ID
                  + " only, so "
                  + (uid == null ? "the image's default user" : "user " + uid)
                  + (gid != null
                      ? " with group " + gid
                      : uid == null ? " and group" : " with the image's default group")
                  + " applies instead");
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
        boolean before = Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation());
        any |= securityOption(i, k, d.dockerSecurityOptions.get(k), sc);
        if (!before && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          noNewPrivileges(i, k, sc);
        }
      }
    }
    if (restricted()) {
      restrict(sc);
      any = true;
    }
    return any ? sc : null;
  }

  /** Whether the pod must pass Pod Security restricted (Linux only: admission exempts Windows). */
  private boolean restricted() {
    return r.podSecurity == ValidationContext.PodSecurity.RESTRICTED && !r.windows;
  }

  /**
   * What restricted requires of every container beyond what the validator refuses: no privilege
   * escalation and every capability dropped (the added ones, NET_BIND_SERVICE at most, stay).
   */
  private static void restrict(SecurityContext sc) {
    sc.setAllowPrivilegeEscalation(false);
    Capabilities caps = sc.getCapabilities() == null ? new Capabilities() : sc.getCapabilities();
    List<String> drop =
        caps.getDrop() == null ? new ArrayList<>() : new ArrayList<>(caps.getDrop());
    if (!drop.contains("ALL")) {
      drop.add("ALL");
    }
    caps.setDrop(drop);
    sc.setCapabilities(caps);
  }

  /**
   * The API server refuses allowPrivilegeEscalation false beside privileged (which implies
   * escalation) or an added CAP_SYS_ADMIN; Docker keeps no-new-privileges there, Kubernetes cannot.
   */
  private void noNewPrivileges(int i, int k, SecurityContext sc) {
    String why = null;
    if (isTrue(sc.getPrivileged())) {
      why = "the container is privileged, which implies privilege escalation";
    } else if (sc.getCapabilities() != null
        && sc.getCapabilities().getAdd() != null
        && sc.getCapabilities().getAdd().contains("CAP_SYS_ADMIN")) {
      why = "the container adds CAP_SYS_ADMIN";
    }
    if (why != null) {
      sc.setAllowPrivilegeEscalation(null);
      r.warn(
          containerPath(i) + ".dockerSecurityOptions[" + k + "]",
          MappingReasons.NO_NEW_PRIVILEGES_NOT_MAPPED,
          "no-new-privileges is not applied: "
              + why
              + ", and Kubernetes allows no allowPrivilegeEscalation false with that");
    }
  }

  private boolean securityOption(int i, int k, String option, SecurityContext sc) {
    String path = containerPath(i) + ".dockerSecurityOptions[" + k + "]";
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
            case "runtime/default", "docker-default" -> new AppArmorProfile(null, "RuntimeDefault");
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
    r.warn(
        path,
        MappingReasons.DOCKER_SECURITY_OPTION_NOT_MAPPED,
        "Docker security option \"" + o + "\" has no Kubernetes counterpart and is not applied");
    return false;
  }

  // A uid or gid the API server accepts (0 to 2^31 - 1), else null.
  private static Long numericId(String s) {
    if (!isDigits(s) || s.length() > 10) {
      return null;
    }
    long id = Long.parseLong(s);
    return id <= PodSpecRules.MAX_ID ? id : null;
  }

  private static String describeId(String kind, String s) {
    return isDigits(s)
        ? kind + " id " + s + " is out of range"
        : kind + " \"" + s + "\" is a name, not a number";
  }

  /**
   * Collects a container's systemControls; a pod has one value per sysctl, the first wins. A name
   * the API server or Docker refuses, or one in a namespace the pod shares with the host, is
   * refused (as by the validator); one outside the kubelet's safe set warns.
   */
  void systemControls(int i, ContainerDefinition d) {
    if (d.systemControls == null) {
      return;
    }
    for (int k = 0; k < d.systemControls.size(); k++) {
      SystemControl s = d.systemControls.get(k);
      String name = blankToNull(s.namespace);
      if (name == null) {
        continue;
      }
      String path = containerPath(i) + ".systemControls[" + k + "]";
      PodSpecRules.SysctlNamespace ns = PodSpecRules.namespaceOf(name);
      if (!PodSpecRules.isSysctlName(name) || ns == PodSpecRules.SysctlNamespace.NONE) {
        r.refuse(
            path + ".namespace",
            MappingReasons.INVALID_SYSTEM_CONTROL,
            "sysctl \""
                + name
                + "\" cannot be set in a container: only namespaced sysctls can (net.*,"
                + " kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*), named in lower case");
        continue;
      }
      if ((ns == PodSpecRules.SysctlNamespace.NET && isTrue(r.pod.getHostNetwork()))
          || (ns == PodSpecRules.SysctlNamespace.IPC && isTrue(r.pod.getHostIPC()))) {
        r.refuse(
            path + ".namespace",
            MappingReasons.SYSTEM_CONTROL_WITH_HOST_NAMESPACE,
            "sysctl \""
                + name
                + "\" belongs to the "
                + (ns == PodSpecRules.SysctlNamespace.NET
                    ? "network namespace, which networkMode host"
                    : "IPC namespace, which ipcMode host")
                + " shares with the host: ECS does not support it and the API server refuses it");
        continue;
      }
      String old = sysctls.get(name);
      if (old != null && !old.equals(s.value)) {
        r.warn(
            path,
            MappingReasons.SYSTEM_CONTROL_CONFLICT,
            "sysctl "
                + name
                + " is set to \""
                + old
                + "\" by an earlier container; a pod has one value, the first is kept");
        continue;
      }
      if (old == null && !PodSpecRules.isSafeSysctl(name)) {
        r.warn(
            path + ".namespace",
            MappingReasons.UNSAFE_SYSCTL_NEEDS_KUBELET_ALLOWLIST,
            "sysctl "
                + name
                + " is not one the kubelet allows by default: the pod starts only on nodes whose"
                + " kubelet lists it in --allowed-unsafe-sysctls (else SysctlForbidden)");
      }
      sysctls.put(name, s.value == null ? "" : s.value);
    }
  }

  /** Sets the pod's security context from the sysctls of all containers, when there are any. */
  void podSecurityContext() {
    PodSecurityContext psc = new PodSecurityContext();
    boolean any = false;
    if (!sysctls.isEmpty()) {
      List<Sysctl> list = new ArrayList<>();
      sysctls.forEach((k, v) -> list.add(new Sysctl(k, v)));
      psc.setSysctls(list);
      any = true;
    }
    if (restricted()) {
      // the kubelet refuses to start a container whose user is root (the image's included), and
      // the runtime's default seccomp profile applies: what restricted requires of a pod
      psc.setRunAsNonRoot(true);
      psc.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
      any = true;
    }
    if (any) {
      r.pod.setSecurityContext(psc);
    }
  }
}
