package dev.tidewater.model;

import static dev.tidewater.model.Messages.quote;

import dev.tidewater.api.v1alpha1.loadbalancerroute.HttpHeaderCondition;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RouteRule;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleConditions;
import dev.tidewater.api.v1alpha1.loadbalancerroute.TargetHealthCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a LoadBalancerRoute spec for the ELBv2 listener-rule and target-group rules the CRD schema
 * and CEL do not express (and repeats the CEL ones, so the CLI catches them without an API server):
 * returns every problem, each with its field path.
 */
public final class LoadBalancerRouteValidator {

  /** An application load balancer route without rules. */
  public static final String RULES_REQUIRED = "RulesRequired";

  /** A network load balancer route on the ecs backend (not wired to a listener yet). */
  public static final String NETWORK_LOAD_BALANCER_ON_ECS = "NetworkLoadBalancerOnEcs";

  /** A network load balancer route with rules. */
  public static final String NETWORK_LOAD_BALANCER_RULES = "NetworkLoadBalancerRules";

  /** The listener protocol does not belong to the load balancer type. */
  public static final String LISTENER_PROTOCOL_MISMATCH = "ListenerProtocolMismatch";

  /** Two rules of the route share a priority. */
  public static final String DUPLICATE_PRIORITY = "DuplicatePriority";

  /** A rule has no condition. */
  public static final String CONDITION_REQUIRED = "ConditionRequired";

  /** A host header value is too long or has characters ALB does not allow. */
  public static final String INVALID_HOST_HEADER = "InvalidHostHeader";

  /** A path pattern is too long, not absolute or has characters ALB does not allow. */
  public static final String INVALID_PATH_PATTERN = "InvalidPathPattern";

  /** An HTTP method is not of A-Z, '-' and '_'. */
  public static final String INVALID_HTTP_METHOD = "InvalidHttpMethod";

  /** A source IP is not a CIDR block. */
  public static final String INVALID_SOURCE_IP = "InvalidSourceIp";

  /** An HTTP header value is too long. */
  public static final String INVALID_HTTP_HEADER_VALUE = "InvalidHttpHeaderValue";

  /** A rule has more than five condition values. */
  public static final String TOO_MANY_CONDITION_VALUES = "TooManyConditionValues";

  /** A rule has more than five wildcards. */
  public static final String TOO_MANY_WILDCARDS = "TooManyWildcards";

  /** The health check timeout is not below its interval. */
  public static final String HEALTH_CHECK_TIMEOUT_NOT_BELOW_INTERVAL =
      "HealthCheckTimeoutNotBelowInterval";

  /** The health check path does not start with '/'. */
  public static final String INVALID_HEALTH_CHECK_PATH = "InvalidHealthCheckPath";

  /** The health check port is neither traffic-port nor a port number. */
  public static final String INVALID_HEALTH_CHECK_PORT = "InvalidHealthCheckPort";

  /** The health check matcher is not a list of HTTP codes / ranges ELB accepts. */
  public static final String INVALID_HEALTH_CHECK_MATCHER = "InvalidHealthCheckMatcher";

  /** A TCP health check on an application load balancer. */
  public static final String HEALTH_CHECK_PROTOCOL_MISMATCH = "HealthCheckProtocolMismatch";

  /** ALB quota: condition values (match evaluations) per rule. */
  public static final int MAX_CONDITION_VALUES = 5;

  /** ALB quota: wildcards per rule. */
  public static final int MAX_WILDCARDS = 5;

  /** ALB limit on the length of a host header, path pattern or header value. */
  public static final int MAX_VALUE_LENGTH = 128;

  private static final Pattern HOST_HEADER = Pattern.compile("[A-Za-z0-9.*?-]+");
  private static final Pattern PATH_PATTERN = Pattern.compile("[A-Za-z0-9_\\-.$/~\"'@:+&*?]+");
  private static final Pattern HTTP_METHOD = Pattern.compile("[A-Z_-]{1,40}");
  private static final Pattern IPV4_CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern IPV6_CIDR =
      Pattern.compile("([0-9A-Fa-f:]*:[0-9A-Fa-f:]*)/(\\d{1,3})");
  private static final Pattern MATCHER =
      Pattern.compile("\\d{3}(?:-\\d{3})?(?:,\\d{3}(?:-\\d{3})?)*");
  private static final Pattern HTTP_CODE = Pattern.compile("\\d{3}");
  private static final List<String> APPLICATION_PROTOCOLS = List.of("HTTP", "HTTPS");
  private static final List<String> NETWORK_PROTOCOLS = List.of("TCP", "TLS", "UDP", "TCP_UDP");

  /**
   * Every problem of {@code spec} on the Cluster of {@code context}: also what its backend cannot
   * do (a network load balancer on the ecs backend) and, where the route writes ELBv2 objects (or
   * the Cluster is not known), tags AWS refuses.
   */
  public List<Problem> validate(LoadBalancerRouteSpec spec, ValidationContext context) {
    List<Problem> problems = new ArrayList<>(validate(spec));
    if (context.routeTagsGoToAws()) {
      // the target group and rules carry them; Ingresses, HTTPRoutes and Services do not
      problems.addAll(AwsTagRules.validate(spec.tags, "tags"));
    }
    if (context.onEcs() && spec.loadBalancer != null && "network".equals(spec.loadBalancer.type)) {
      // ECS refuses (or silently serves nothing through) a target group no listener forwards to,
      // and Tidewater does not change listeners it did not create
      problems.add(
          new Problem(
              "loadBalancer.type",
              NETWORK_LOAD_BALANCER_ON_ECS,
              "type network is not supported on the ecs backend yet: an ECS service needs a"
                  + " target group that a listener forwards to, and Tidewater does not change the"
                  + " default action of a network load balancer's listener; use an application"
                  + " load balancer, or the kubernetes backend"));
    }
    return List.copyOf(problems);
  }

  /**
   * Every problem of {@code spec} on any Cluster; its tags, which only ELBv2 objects carry, are
   * checked by {@link #validate(LoadBalancerRouteSpec, ValidationContext)}.
   */
  public List<Problem> validate(LoadBalancerRouteSpec spec) {
    Objects.requireNonNull(spec, "spec");
    List<Problem> problems = new ArrayList<>();
    boolean network = spec.loadBalancer != null && "network".equals(spec.loadBalancer.type);
    List<RouteRule> rules = spec.rules == null ? List.of() : spec.rules;
    if (network && !rules.isEmpty()) {
      problems.add(
          new Problem(
              "rules",
              NETWORK_LOAD_BALANCER_RULES,
              "a network load balancer has no listener rules, but "
                  + rules.size()
                  + " rules are set; its listener forwards everything to the target group"));
    } else if (!network && rules.isEmpty()) {
      problems.add(
          new Problem(
              "rules",
              RULES_REQUIRED,
              "an application load balancer route needs at least one rule"));
    }
    listener(spec, network, problems);
    if (!network) {
      rules(rules, problems);
    }
    healthCheck(spec.healthCheck, network, problems);
    return List.copyOf(problems);
  }

  private static void listener(
      LoadBalancerRouteSpec spec, boolean network, List<Problem> problems) {
    String protocol = spec.listener == null ? null : spec.listener.protocol;
    if (protocol == null) {
      return;
    }
    List<String> allowed = network ? NETWORK_PROTOCOLS : APPLICATION_PROTOCOLS;
    if (!allowed.contains(protocol)) {
      problems.add(
          new Problem(
              "listener.protocol",
              LISTENER_PROTOCOL_MISMATCH,
              "listener protocol "
                  + protocol
                  + " does not belong to a"
                  + (network ? " network" : "n application")
                  + " load balancer: use "
                  + Messages.or(allowed)));
    }
  }

  private static void rules(List<RouteRule> rules, List<Problem> problems) {
    Map<Integer, Integer> priorities = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      RouteRule r = rules.get(i);
      if (r == null) {
        continue;
      }
      String p = "rules[" + i + "]";
      if (r.priority != null) {
        Integer earlier = priorities.putIfAbsent(r.priority, i);
        if (earlier != null) {
          problems.add(
              new Problem(
                  p + ".priority",
                  DUPLICATE_PRIORITY,
                  "priority "
                      + r.priority
                      + " is already used by rules["
                      + earlier
                      + "]; priorities must be unique on a listener"));
        }
      }
      conditions(p + ".conditions", r.conditions, problems);
    }
  }

  private static void conditions(String p, RuleConditions c, List<Problem> problems) {
    int values = 0;
    int wildcards = 0;
    if (c != null) {
      List<String> hosts = orEmpty(c.hostHeaders);
      for (int k = 0; k < hosts.size(); k++) {
        String h = hosts.get(k);
        values++;
        wildcards += wildcards(h);
        hostHeader(p + ".hostHeaders[" + k + "]", h, problems);
      }
      List<String> paths = orEmpty(c.pathPatterns);
      for (int k = 0; k < paths.size(); k++) {
        String path = paths.get(k);
        values++;
        wildcards += wildcards(path);
        pathPattern(p + ".pathPatterns[" + k + "]", path, problems);
      }
      List<HttpHeaderCondition> headers = orEmpty(c.httpHeaders);
      for (int k = 0; k < headers.size(); k++) {
        HttpHeaderCondition h = headers.get(k);
        List<String> hv = h == null ? List.of() : orEmpty(h.values);
        for (int m = 0; m < hv.size(); m++) {
          String v = hv.get(m);
          values++;
          wildcards += wildcards(v);
          if (v != null && v.length() > MAX_VALUE_LENGTH) {
            problems.add(
                new Problem(
                    p + ".httpHeaders[" + k + "].values[" + m + "]",
                    INVALID_HTTP_HEADER_VALUE,
                    tooLong("header value", v)));
          }
        }
      }
      List<String> methods = orEmpty(c.httpRequestMethods);
      for (int k = 0; k < methods.size(); k++) {
        String m = methods.get(k);
        values++;
        if (m == null || !HTTP_METHOD.matcher(m).matches()) {
          problems.add(
              new Problem(
                  p + ".httpRequestMethods[" + k + "]",
                  INVALID_HTTP_METHOD,
                  "HTTP method "
                      + quote(m)
                      + " is not 1-40 characters of A-Z, '-' and '_' (methods are"
                      + " case-sensitive, without wildcards)"));
        }
      }
      List<String> ips = orEmpty(c.sourceIps);
      for (int k = 0; k < ips.size(); k++) {
        String ip = ips.get(k);
        values++;
        if (!isCidr(ip)) {
          problems.add(
              new Problem(
                  p + ".sourceIps[" + k + "]",
                  INVALID_SOURCE_IP,
                  "source IP "
                      + quote(ip)
                      + " is not a CIDR block such as 192.0.2.0/24 or 2001:db8::/32"));
        }
      }
    }
    if (values == 0) {
      problems.add(
          new Problem(
              p,
              CONDITION_REQUIRED,
              "a rule needs at least one condition: hostHeaders, pathPatterns, httpHeaders,"
                  + " httpRequestMethods or sourceIps"));
    }
    if (values > MAX_CONDITION_VALUES) {
      problems.add(
          new Problem(
              p,
              TOO_MANY_CONDITION_VALUES,
              "the rule has "
                  + values
                  + " condition values in total, more than the "
                  + MAX_CONDITION_VALUES
                  + " ALB allows per rule; split it into several rules"));
    }
    if (wildcards > MAX_WILDCARDS) {
      problems.add(
          new Problem(
              p,
              TOO_MANY_WILDCARDS,
              "the rule has "
                  + wildcards
                  + " wildcards (* and ?) in total, more than the "
                  + MAX_WILDCARDS
                  + " ALB allows per rule"));
    }
  }

  // ALB's limit on each condition value, the same message for every kind of value.
  private static String tooLong(String what, String value) {
    return what
        + " "
        + quote(value)
        + " is "
        + value.length()
        + " characters long, more than the "
        + MAX_VALUE_LENGTH
        + " ALB allows";
  }

  private static void hostHeader(String path, String h, List<Problem> problems) {
    if (h == null || h.isEmpty()) {
      problems.add(new Problem(path, INVALID_HOST_HEADER, "host header value is empty"));
    } else if (h.length() > MAX_VALUE_LENGTH) {
      problems.add(new Problem(path, INVALID_HOST_HEADER, tooLong("host header", h)));
    } else if (!HOST_HEADER.matcher(h).matches()) {
      problems.add(
          new Problem(
              path,
              INVALID_HOST_HEADER,
              "host header "
                  + quote(h)
                  + " contains "
                  + quote(firstOutside(h, HOST_HEADER))
                  + "; ALB allows A-Z, a-z, 0-9, '-', '.' and the wildcards * and ?"));
    }
  }

  private static void pathPattern(String path, String v, List<Problem> problems) {
    if (v == null || v.isEmpty()) {
      problems.add(new Problem(path, INVALID_PATH_PATTERN, "path pattern is empty"));
    } else if (v.length() > MAX_VALUE_LENGTH) {
      problems.add(new Problem(path, INVALID_PATH_PATTERN, tooLong("path pattern", v)));
    } else if (!v.startsWith("/") && !v.equals("*")) {
      problems.add(
          new Problem(
              path,
              INVALID_PATH_PATTERN,
              "path pattern " + quote(v) + " must start with '/' (or be \"*\")"));
    } else if (!PATH_PATTERN.matcher(v).matches()) {
      problems.add(
          new Problem(
              path,
              INVALID_PATH_PATTERN,
              "path pattern "
                  + quote(v)
                  + " contains "
                  + quote(firstOutside(v, PATH_PATTERN))
                  + "; ALB allows A-Z, a-z, 0-9, _ - . $ / ~ \" ' @ : + & and the wildcards"
                  + " * and ?"));
    }
  }

  private static void healthCheck(TargetHealthCheck h, boolean network, List<Problem> problems) {
    if (h == null) {
      return;
    }
    if (h.intervalSeconds != null
        && h.timeoutSeconds != null
        && h.timeoutSeconds >= h.intervalSeconds) {
      problems.add(
          new Problem(
              "healthCheck.timeoutSeconds",
              HEALTH_CHECK_TIMEOUT_NOT_BELOW_INTERVAL,
              "healthCheck.timeoutSeconds "
                  + h.timeoutSeconds
                  + " must be less than intervalSeconds "
                  + h.intervalSeconds));
    }
    if (h.path != null && !h.path.startsWith("/")) {
      problems.add(
          new Problem(
              "healthCheck.path",
              INVALID_HEALTH_CHECK_PATH,
              "healthCheck.path " + quote(h.path) + " must start with '/'"));
    }
    if (!network && "TCP".equals(h.protocol)) {
      problems.add(
          new Problem(
              "healthCheck.protocol",
              HEALTH_CHECK_PROTOCOL_MISMATCH,
              "healthCheck.protocol TCP is not available on an application load balancer: use"
                  + " HTTP or HTTPS"));
    }
    if (h.port != null && !h.port.equals("traffic-port") && !isPort(h.port)) {
      problems.add(
          new Problem(
              "healthCheck.port",
              INVALID_HEALTH_CHECK_PORT,
              "healthCheck.port " + quote(h.port) + " is neither traffic-port nor 1-65535"));
    }
    if (h.matcher != null) {
      int maxCode = network ? 599 : 499;
      if (!MATCHER.matcher(h.matcher).matches() || !codesWithin(h.matcher, 200, maxCode)) {
        problems.add(
            new Problem(
                "healthCheck.matcher",
                INVALID_HEALTH_CHECK_MATCHER,
                "healthCheck.matcher "
                    + quote(h.matcher)
                    + " is not HTTP codes from 200 to "
                    + maxCode
                    + " given as \"200\", \"200,202\" or \"200-299\""));
      }
    }
  }

  private static boolean codesWithin(String matcher, int min, int max) {
    Matcher m = HTTP_CODE.matcher(matcher);
    while (m.find()) {
      int code = Integer.parseInt(m.group());
      if (code < min || code > max) {
        return false;
      }
    }
    for (String range : matcher.split(",")) {
      String[] ends = range.split("-");
      if (ends.length == 2 && Integer.parseInt(ends[0]) > Integer.parseInt(ends[1])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPort(String s) {
    if (!s.matches("\\d{1,5}")) {
      return false;
    }
    int port = Integer.parseInt(s);
    return port >= 1 && port <= 65535;
  }

  private static boolean isCidr(String s) {
    if (s == null) {
      return false;
    }
    Matcher v4 = IPV4_CIDR.matcher(s);
    if (v4.matches()) {
      for (int g = 1; g <= 4; g++) {
        if (Integer.parseInt(v4.group(g)) > 255) {
          return false;
        }
      }
      return Integer.parseInt(v4.group(5)) <= 32;
    }
    Matcher v6 = IPV6_CIDR.matcher(s);
    return v6.matches() && Integer.parseInt(v6.group(2)) <= 128 && validIpv6(v6.group(1));
  }

  // Groups of 1-4 hex digits separated by ':', at most one "::", eight groups without it.
  private static boolean validIpv6(String a) {
    int doubleColon = a.indexOf("::");
    if (doubleColon != a.lastIndexOf("::") || a.contains(":::")) {
      return false;
    }
    String trimmed = doubleColon >= 0 ? a.replace("::", ":x:") : a;
    String[] groups = trimmed.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.equals("x")) {
        continue;
      }
      if (g.isEmpty()) {
        // Only the edges next to "::" may be empty.
        boolean edge =
            (i == 0 && groups.length > 1 && groups[1].equals("x"))
                || (i == groups.length - 1 && i > 0 && groups[i - 1].equals("x"));
        if (!edge) {
          return false;
        }
        continue;
      }
      if (g.length() > 4) {
        return false;
      }
      count++;
    }
    return doubleColon >= 0 ? count < 8 : count == 8;
  }

  private static int wildcards(String s) {
    if (s == null) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '*' || ch == '?') {
        n++;
      }
    }
    return n;
  }

  private static String firstOutside(String s, Pattern allowed) {
    for (int i = 0; i < s.length(); i++) {
      String ch = s.substring(i, i + 1);
      if (!allowed.matcher(ch).matches()) {
        return ch;
      }
    }
    return "";
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
