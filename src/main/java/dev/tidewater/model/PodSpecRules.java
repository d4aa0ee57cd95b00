package dev.tidewater.model;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules Docker, the kubelet and kube-apiserver (1.35, {@code pkg/apis/core/validation}) apply
 * to the values a task definition passes into a container or pod: DNS settings, sysctls, user ids.
 * Shared by the validator (what ECS / Docker refuse) and the pod-template renderer (what the API
 * server refuses), so both draw the line in the same place.
 */
public final class PodSpecRules {

  private PodSpecRules() {}

  /** Nameservers a pod may list (glibc's resolver also uses only the first three). */
  public static final int MAX_NAMESERVERS = 3;

  /** Search domains a pod may list. */
  public static final int MAX_SEARCHES = 32;

  /** Characters of a pod's search list, joined by spaces. */
  public static final int MAX_SEARCH_CHARS = 2048;

  /** The largest uid or gid the API server accepts for runAsUser / runAsGroup (int32). */
  public static final long MAX_ID = Integer.MAX_VALUE;

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final String SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
  private static final Pattern SYSCTL_NAME =
      Pattern.compile("(" + SYSCTL_SEGMENT + "[./])*" + SYSCTL_SEGMENT);
  private static final int SYSCTL_MAX = 253;

  // Docker runs only sysctls namespaced per container (moby's ValidateSysctl).
  private static final Set<String> IPC_SYSCTLS =
      Set.of(
          "kernel.msgmax",
          "kernel.msgmnb",
          "kernel.msgmni",
          "kernel.sem",
          "kernel.shmall",
          "kernel.shmmax",
          "kernel.shmmni",
          "kernel.shm_rmid_forced");

  // The kubelet's safe sysctls (pkg/kubelet/sysctl/safe_sysctls.go); others need
  // --allowed-unsafe-sysctls on the node or the pod fails with SysctlForbidden.
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes",
          "net.ipv4.tcp_rmem",
          "net.ipv4.tcp_wmem");

  /**
   * The sysctls Pod Security baseline allows (pod-security-admission 1.32 and later), which are the
   * kubelet's safe set: compared by name as written, as admission does.
   */
  public static final Set<String> BASELINE_SYSCTLS = SAFE_SYSCTLS;

  /** Whether Pod Security baseline admits sysctl {@code name} (spelled with dots). */
  public static boolean isBaselineSysctl(String name) {
    return name != null && BASELINE_SYSCTLS.contains(name.strip());
  }

  /** The kernel namespace a sysctl belongs to, as far as these rules care. */
  public enum SysctlNamespace {
    /** The network namespace ({@code net.*}): not with host networking. */
    NET,
    /**
     * The IPC namespace ({@code kernel.shm*}, {@code kernel.msg*}, {@code kernel.sem}, {@code
     * fs.mqueue.*}): not with ipcMode host.
     */
    IPC,
    /** Not namespaced per container: Docker refuses it. */
    NONE
  }

  /** Whether {@code s} is an IPv4 or IPv6 address (a nameserver). */
  public static boolean isIpAddress(String s) {
    if (s == null) {
      return false;
    }
    var v4 = IPV4.matcher(s);
    if (v4.matches()) {
      for (int g = 1; g <= 4; g++) {
        if (Integer.parseInt(v4.group(g)) > 255) {
          return false;
        }
      }
      return true;
    }
    // Only hex digits, ':' and '.': InetAddress parses that as an IPv6 literal, with no lookup.
    if (!s.contains(":") || !IPV6_CHARACTERS.matcher(s).matches()) {
      return false;
    }
    try {
      InetAddress.getByName(s);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Whether {@code s} is a search domain both ECS ({@code ^[a-zA-Z0-9-.]{0,253}[a-zA-Z0-9]$}) and
   * the API server (a DNS-1123 subdomain once lower-cased, a trailing dot allowed) accept.
   */
  public static boolean isSearchDomain(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    String d = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    return d.length() <= 253 && SUBDOMAIN.matcher(d.toLowerCase(Locale.ROOT)).matches();
  }

  /** Whether {@code name} is a sysctl name the API server accepts. */
  public static boolean isSysctlName(String name) {
    return name != null && name.length() <= SYSCTL_MAX && SYSCTL_NAME.matcher(name).matches();
  }

  /** The namespace of sysctl {@code name} ({@code net/ipv4/...} spelled with slashes too). */
  public static SysctlNamespace namespaceOf(String name) {
    String n = normalized(name);
    if (n.startsWith("net.")) {
      return SysctlNamespace.NET;
    }
    if (IPC_SYSCTLS.contains(n) || n.startsWith("fs.mqueue.")) {
      return SysctlNamespace.IPC;
    }
    return SysctlNamespace.NONE;
  }

  /** Whether the kubelet runs sysctl {@code name} without {@code --allowed-unsafe-sysctls}. */
  public static boolean isSafeSysctl(String name) {
    return SAFE_SYSCTLS.contains(normalized(name));
  }

  // "net/ipv4/conf/eth0.100/rp_filter" is "net.ipv4.conf.eth0/100.rp_filter" (sysctl.d(5)).
  private static String normalized(String name) {
    if (name == null) {
      return "";
    }
    int dot = name.indexOf('.');
    int slash = name.indexOf('/');
    if (slash < 0 || (dot >= 0 && dot < slash)) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      out.append(c == '.' ? '/' : c == '/' ? '.' : c);
    }
    return out.toString();
  }
}
