package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodRendering.blankToNull;
import static dev.tidewater.backend.kubernetes.render.PodRendering.containerPath;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.HostEntry;
import dev.tidewater.api.v1alpha1.taskdefinition.PortMapping;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.model.PodSpecRules;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The network family: networkMode, portMappings, and the per-container DNS, extraHosts and hostname
 * that a pod has only once (one network namespace, one resolver).
 */
final class NetworkRendering {
  private final PodRendering r;
  private final String networkMode;
  private final Set<String> portNames = new HashSet<>();

  NetworkRendering(PodRendering r) {
    this.r = r;
    String mode = blankToNull(r.task.networkMode);
    this.networkMode = mode == null ? ("FARGATE".equals(r.launchType) ? "awsvpc" : "bridge") : mode;
  }

  void networkMode() {
    switch (networkMode) {
      case "awsvpc", "bridge" -> {}
      // refused (PodSecurityGuardrails) unless the Cluster allows host networking
      case "host" -> r.pod.setHostNetwork(true);
      case "none" ->
          r.warn(
              "networkMode",
              MappingReasons.NETWORK_MODE_NONE_NOT_MAPPED,
              "a pod always has a network interface; networkMode none is not enforced");
      default ->
          r.warn(
              "networkMode",
              MappingReasons.NETWORK_MODE_APPROXIMATED,
              "networkMode \"" + networkMode + "\" is treated as bridge");
    }
  }

  List<ContainerPort> ports(int i, ContainerDefinition d) {
    if (d.portMappings == null) {
      return null;
    }
    List<ContainerPort> ports = new ArrayList<>();
    for (int k = 0; k < d.portMappings.size(); k++) {
      PortMapping pm = d.portMappings.get(k);
      String path = containerPath(i) + ".portMappings[" + k + "]";
      if (blankToNull(pm.containerPortRange) != null) {
        r.warn(
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
          r.warn(
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
        r.warn(
            path + ".hostPort",
            MappingReasons.HOST_PORT_PINNED,
            "host port " + pm.hostPort + " is reserved on the node: at most one such pod per node");
      }
      ports.add(p);
    }
    return ports.isEmpty() ? null : ports;
  }

  /**
   * dnsServers and dnsSearchDomains: the union over containers (ECS sets them per container), in
   * the user's order, within the API server's limits: the first 3 servers (glibc's resolver uses no
   * more), the first 32 search domains within 2048 characters; search domains lower-cased. An entry
   * the API server would refuse is refused, as by the validator.
   */
  void dns() {
    Set<String> servers = new LinkedHashSet<>();
    Set<String> searches = new LinkedHashSet<>();
    List<Integer> serverSetters = new ArrayList<>();
    List<Integer> searchSetters = new ArrayList<>();
    int searchChars = -1;
    for (int i = 0; i < r.defs.size(); i++) {
      ContainerDefinition d = r.defs.get(i);
      List<String> own = d.dnsServers == null ? List.of() : d.dnsServers;
      for (int k = 0; k < own.size(); k++) {
        String server = own.get(k) == null ? "" : own.get(k).strip();
        String path = containerPath(i) + ".dnsServers[" + k + "]";
        if (!PodSpecRules.isIpAddress(server)) {
          r.refuse(
              path,
              MappingReasons.INVALID_DNS_SERVER,
              "DNS server \"" + server + "\" is not an IPv4 or IPv6 address");
        } else if (!servers.contains(server) && servers.size() == PodSpecRules.MAX_NAMESERVERS) {
          r.warn(
              path,
              MappingReasons.DNS_SERVERS_DROPPED,
              "DNS server "
                  + server
                  + " is not used: a pod has at most "
                  + PodSpecRules.MAX_NAMESERVERS
                  + " nameservers (the resolver uses only the first three), "
                  + servers
                  + " come first");
        } else {
          servers.add(server);
        }
      }
      if (!own.isEmpty()) {
        serverSetters.add(i);
      }
      List<String> domains = d.dnsSearchDomains == null ? List.of() : d.dnsSearchDomains;
      for (int k = 0; k < domains.size(); k++) {
        String raw = domains.get(k) == null ? "" : domains.get(k).strip();
        String domain = raw.toLowerCase(Locale.ROOT);
        String path = containerPath(i) + ".dnsSearchDomains[" + k + "]";
        if (!PodSpecRules.isSearchDomain(domain)) {
          r.refuse(
              path,
              MappingReasons.INVALID_DNS_SEARCH_DOMAIN,
              "DNS search domain \"" + raw + "\" is not a domain name");
        } else if (searches.contains(domain)) {
          continue;
        } else if (searches.size() == PodSpecRules.MAX_SEARCHES
            || searchChars + 1 + domain.length() > PodSpecRules.MAX_SEARCH_CHARS) {
          r.warn(
              path,
              MappingReasons.DNS_SEARCH_DOMAINS_DROPPED,
              "DNS search domain "
                  + domain
                  + " is not used: a pod has at most "
                  + PodSpecRules.MAX_SEARCHES
                  + " search domains of "
                  + PodSpecRules.MAX_SEARCH_CHARS
                  + " characters together");
        } else {
          searches.add(domain);
          searchChars += 1 + domain.length();
        }
      }
      if (!domains.isEmpty()) {
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
        r.pod.setDnsPolicy("None");
      }
      if (!searches.isEmpty()) {
        dns.setSearches(new ArrayList<>(searches));
      }
      r.pod.setDnsConfig(dns);
    }
  }

  private void warnIfDiffering(
      List<Integer> setters, Function<ContainerDefinition, List<String>> field, String name) {
    if (setters.size() < 2) {
      return;
    }
    List<String> first = field.apply(r.defs.get(setters.get(0)));
    for (int i : setters.subList(1, setters.size())) {
      if (!field.apply(r.defs.get(i)).equals(first)) {
        r.warn(
            containerPath(i) + "." + name,
            MappingReasons.DNS_SETTINGS_MERGED,
            "a pod has one resolver configuration; the " + name + " of all containers are merged");
      }
    }
  }

  /**
   * extraHosts: one HostAlias per IP, hostnames lower-cased (host names are case-insensitive) in
   * order of appearance. ECS takes any string; what a HostAlias cannot hold (a host name that is no
   * DNS name, an address that is no IP) is left out with a warning.
   */
  void extraHosts() {
    Map<String, LinkedHashSet<String>> hosts = new LinkedHashMap<>();
    for (int i = 0; i < r.defs.size(); i++) {
      ContainerDefinition d = r.defs.get(i);
      if (d.extraHosts == null) {
        continue;
      }
      for (int k = 0; k < d.extraHosts.size(); k++) {
        HostEntry h = d.extraHosts.get(k);
        if (h == null || h.ipAddress == null || h.hostname == null) {
          continue;
        }
        String ip = h.ipAddress.strip();
        String hostname = h.hostname.strip().toLowerCase(Locale.ROOT);
        String path = containerPath(i) + ".extraHosts[" + k + "]";
        if (!PodSpecRules.isIpAddress(ip)) {
          r.warn(
              path + ".ipAddress",
              MappingReasons.EXTRA_HOST_NOT_MAPPED,
              "\"" + h.ipAddress + "\" is not an IP address; a pod's host aliases need one");
        } else if (hostname.endsWith(".") || !PodSpecRules.isSearchDomain(hostname)) {
          r.warn(
              path + ".hostname",
              MappingReasons.EXTRA_HOST_NOT_MAPPED,
              "\""
                  + h.hostname
                  + "\" is not a DNS name (letters, digits, '-' and '.'); a pod's host aliases"
                  + " need one");
        } else {
          hosts.computeIfAbsent(ip, x -> new LinkedHashSet<>()).add(hostname);
        }
      }
    }
    if (!hosts.isEmpty()) {
      List<HostAlias> aliases = new ArrayList<>();
      hosts.forEach((ip, names) -> aliases.add(new HostAlias(new ArrayList<>(names), ip)));
      r.pod.setHostAliases(aliases);
    }
  }

  /** hostname: a pod has one; the first container's wins. */
  void hostname() {
    String hostname = null;
    for (int i = 0; i < r.defs.size(); i++) {
      String h = blankToNull(r.defs.get(i).hostname);
      if (h == null) {
        continue;
      }
      if (hostname == null && KubernetesNames.isDnsLabel(h)) {
        hostname = h;
        r.pod.setHostname(h);
      } else if (hostname == null) {
        r.warn(
            containerPath(i) + ".hostname",
            MappingReasons.HOSTNAME_NOT_MAPPED,
            "hostname \"" + h + "\" is not a DNS label, which a pod hostname must be");
      } else if (!hostname.equals(h)) {
        r.warn(
            containerPath(i) + ".hostname",
            MappingReasons.HOSTNAME_NOT_MAPPED,
            "a pod has one hostname; \"" + hostname + "\" of an earlier container is used");
      }
    }
  }
}
