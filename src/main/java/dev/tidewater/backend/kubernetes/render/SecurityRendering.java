package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isDigits;
import static dev.tidewater.backend.kubernetes.render.PodRendering.isTrue;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
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
 * The security family: what a container may do and see on the node. pidMode and ipcMode (the host
 * ones behind guardrails), privileged, user, capabilities, dockerSecurityOptions, and the
 * containers' systemControls as the pod's sysctls.
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
      if (!isTrue(r.guardrails.allowPrivileged)) {
        r.refuse(
            "pidMode",
            MappingReasons.HOST_PID_NOT_ALLOWED,
            "pidMode host needs hostPID, which only guardrails.allowPrivileged allows");
      }
      r.pod.setHostPID(true);
    }
    String ipcMode = blankToNull(r.task.ipcMode);
    if ("host".equals(ipcMode)) {
      if (!isTrue(r.guardrails.allowPrivileged)) {
        r.refuse(
            "ipcMode",
            MappingReasons.HOST_IPC_NOT_ALLOWED,
            "ipcMode host needs hostIPC, which only guardrails.allowPrivileged allows");
      }
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
      if (!isTrue(r.guardrails.allowPrivileged)) {
        r.refuse(
            containerPath(i) + ".privileged",
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
      if (r.windows) {
        sc.setWindowsOptions(new WindowsSecurityContextOptions(null, null, null, user));
        any = true;
      } else {
        String[] parts = user.split(":", 2);
        List<String> unmapped = new ArrayList<>();
        if (isDigits(parts[0])) {
          sc.setRunAsUser(Long.parseLong(parts[0]));
          any = true;
        } else {
          unmapped.add("user \"" + parts[0] + "\"");
        }
        if (parts.length == 2) {
          if (isDigits(parts[1])) {
            sc.setRunAsGroup(Long.parseLong(parts[1]));
            any = true;
          } else {
            unmapped.add("group \"" + parts[1] + "\"");
          }
        }
        if (!unmapped.isEmpty()) {
          r.warn(
              containerPath(i) + ".user",
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

  /** Collects a container's systemControls; a pod has one value per sysctl, the first wins. */
  void systemControls(int i, ContainerDefinition d) {
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
        r.warn(
            containerPath(i) + ".systemControls[" + k + "]",
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

  /** Sets the pod's security context from the sysctls of all containers, when there are any. */
  void podSecurityContext() {
    if (!sysctls.isEmpty()) {
      PodSecurityContext psc = new PodSecurityContext();
      List<Sysctl> list = new ArrayList<>();
      sysctls.forEach((k, v) -> list.add(new Sysctl(k, v)));
      psc.setSysctls(list);
      r.pod.setSecurityContext(psc);
    }
  }
}
