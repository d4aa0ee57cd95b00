package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.cluster.GatewayRef;
import dev.tidewater.api.v1alpha1.cluster.RoutingSettings;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.loadbalancerroute.HttpHeaderCondition;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RouteRule;
import dev.tidewater.api.v1alpha1.loadbalancerroute.RuleConditions;
import dev.tidewater.api.v1alpha1.loadbalancerroute.TargetHealthCheck;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.RouteRealisation;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A LoadBalancerRoute as Kubernetes objects, per routing mode: the Service selecting the target's
 * pods, one Ingress per rule for the AWS Load Balancer Controller ({@code ingress}), HTTPRoutes
 * ({@code gateway}), a TargetGroupBinding ({@code aws}) or an NLB Service ({@code type: network}).
 * Pure: values in, objects and warnings out.
 */
public final class RouteObjects {

  public static final String ALB = "alb.ingress.kubernetes.io/";
  public static final String NLB = "service.beta.kubernetes.io/";
  public static final String DEFAULT_INGRESS_CLASS = "alb";
  public static final String TARGET_GROUP_BINDING_API = "elbv2.k8s.aws/v1beta1";
  public static final String HTTP_ROUTE_API = "gateway.networking.k8s.io/v1";

  /** A rule the mode cannot express exactly; it is left out rather than widened. */
  public static final String CONDITION_NOT_EXPRESSIBLE = "ConditionNotExpressible";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * What to translate.
   *
   * @param priorities per rule, its planned priority
   * @param groupOrders per rule, its {@code group.order} (ingress mode)
   * @param targetGroupArn the target group of aws mode
   */
  public record Input(
      LoadBalancerRoute route,
      RoutingSettings routing,
      List<Integer> priorities,
      List<Integer> groupOrders,
      String targetGroupArn) {}

  /** The objects and, per rule, the child that carries it (null when the rule was left out). */
  public record Output(
      List<HasMetadata> objects, List<String> ruleChildren, List<StatusWarning> warnings) {}

  private RouteObjects() {}

  /** The name of the Service (ClusterIP or NLB) of a route. */
  public static String serviceName(LoadBalancerRoute route) {
    return KubernetesNames.dnsLabel(route.getMetadata().getName());
  }

  /** The name of the Ingress of rule {@code index}. */
  public static String ingressName(LoadBalancerRoute route, int index) {
    return KubernetesNames.dnsSubdomain(route.getMetadata().getName() + "-" + index);
  }

  /** The mode in effect: {@code ingress} unless the Cluster says otherwise. */
  public static String mode(RoutingSettings routing) {
    return routing == null || routing.mode == null ? "ingress" : routing.mode;
  }

  public static boolean network(LoadBalancerRouteSpec spec) {
    return spec.loadBalancer != null && "network".equals(spec.loadBalancer.type);
  }

  /** Every object of the route in its mode. */
  public static Output desired(Input in) {
    LoadBalancerRouteSpec spec = in.route().getSpec();
    if (network(spec) && !"aws".equals(mode(in.routing()))) {
      return new Output(List.of(nlbService(in.route())), List.of(), List.of());
    }
    return switch (mode(in.routing())) {
      case "gateway" -> gateway(in);
      case "aws" -> aws(in);
      default -> ingress(in);
    };
  }

  private static Output aws(Input in) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(clusterIpService(in.route()));
    if (in.targetGroupArn() != null) {
      objects.add(targetGroupBinding(in.route(), in.targetGroupArn(), "ip"));
    }
    return new Output(objects, List.of(), List.of());
  }

  static ObjectMeta meta(LoadBalancerRoute route, String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE);
    labels.put(
        TidewaterLabels.LOAD_BALANCER_ROUTE, TidewaterLabels.value(route.getMetadata().getName()));
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(route.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(new LinkedHashMap<>())
        .withOwnerReferences(
            route.getMetadata().getUid() == null
                ? List.of()
                : List.of(OwnerReferences.controlledBy(route)))
        .build();
  }

  /** The pods of the target Service, as the kubernetes Service backend labels them. */
  static Map<String, String> podSelector(LoadBalancerRoute route) {
    return Map.of(
        TidewaterLabels.SERVICE, TidewaterLabels.value(route.getSpec().target.serviceRef.name));
  }

  /** A ClusterIP Service on the target's pods and container port. */
  public static Service clusterIpService(LoadBalancerRoute route) {
    int port = route.getSpec().target.containerPort;
    return new ServiceBuilder()
        .withMetadata(meta(route, serviceName(route)))
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(podSelector(route))
        .addNewPort()
        .withName("traffic")
        .withProtocol("TCP")
        .withPort(port)
        .withTargetPort(new IntOrString(port))
        .endPort()
        .endSpec()
        .build();
  }

  // ---------------------------------------------------------------- ingress

  private static Output ingress(Input in) {
    LoadBalancerRoute route = in.route();
    LoadBalancerRouteSpec spec = route.getSpec();
    Service service = clusterIpService(route);
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(service);
    List<String> children = new ArrayList<>();
    List<StatusWarning> warnings = new ArrayList<>();
    List<RouteRule> rules = spec.rules == null ? List.of() : spec.rules;
    for (int i = 0; i < rules.size(); i++) {
      Ingress ing = ingressOf(in, i, rules.get(i), service.getMetadata().getName());
      objects.add(ing);
      children.add(ing.getMetadata().getName());
    }
    return new Output(objects, children, warnings);
  }

  /** The annotations every Ingress of the route carries (group, listener, health check, ...). */
  static Map<String, String> ingressAnnotations(LoadBalancerRouteSpec spec) {
    Map<String, String> a = new LinkedHashMap<>();
    a.put(ALB + "group.name", groupName(spec));
    a.put(ALB + "target-type", "ip");
    if (spec.loadBalancer.scheme != null) a.put(ALB + "scheme", spec.loadBalancer.scheme);
    String protocol = listenerProtocol(spec);
    a.put(ALB + "listen-ports", "[{\"" + protocol + "\":" + listenerPort(spec, protocol) + "}]");
    if (spec.listener.certificateArn != null) {
      a.put(ALB + "certificate-arn", spec.listener.certificateArn);
    }
    TargetHealthCheck h = spec.healthCheck;
    if (h != null) {
      putIf(a, ALB + "healthcheck-path", h.path);
      putIf(a, ALB + "healthcheck-protocol", h.protocol);
      putIf(a, ALB + "healthcheck-port", h.port);
      putIf(a, ALB + "success-codes", h.matcher);
      putIf(a, ALB + "healthcheck-interval-seconds", h.intervalSeconds);
      putIf(a, ALB + "healthcheck-timeout-seconds", h.timeoutSeconds);
      putIf(a, ALB + "healthy-threshold-count", h.healthyThresholdCount);
      putIf(a, ALB + "unhealthy-threshold-count", h.unhealthyThresholdCount);
    }
    if (spec.deregistrationDelaySeconds != null) {
      a.put(
          ALB + "target-group-attributes",
          "deregistration_delay.timeout_seconds=" + spec.deregistrationDelaySeconds);
    }
    if (spec.tags != null && !spec.tags.isEmpty()) {
      a.put(
          ALB + "tags",
          spec.tags.stream().map(t -> t.key + "=" + t.value).collect(Collectors.joining(",")));
    }
    return a;
  }

  /**
   * The IngressGroup: the load balancer's name (or the name in its ARN), as the controller wants it
   * (lower case, at most 63 characters).
   */
  public static String groupName(LoadBalancerRouteSpec spec) {
    String name = spec.loadBalancer.name;
    if (name == null && spec.loadBalancer.arn != null) {
      // arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
      String[] parts = spec.loadBalancer.arn.split("/");
      name = parts.length >= 3 ? parts[parts.length - 2] : spec.loadBalancer.arn;
    }
    return KubernetesNames.dnsLabel(name);
  }

  static String listenerProtocol(LoadBalancerRouteSpec spec) {
    return RouteRealisation.listenerProtocol(spec);
  }

  static int listenerPort(LoadBalancerRouteSpec spec, String protocol) {
    return RouteRealisation.listenerPort(spec, protocol);
  }

  private static void putIf(Map<String, String> a, String key, Object value) {
    if (value != null) a.put(key, value.toString());
  }

  private static Ingress ingressOf(Input in, int index, RouteRule rule, String serviceName) {
    LoadBalancerRoute route = in.route();
    LoadBalancerRouteSpec spec = route.getSpec();
    RuleConditions c = rule.conditions == null ? new RuleConditions() : rule.conditions;
    ObjectMeta meta = meta(route, ingressName(route, index));
    meta.getAnnotations().putAll(ingressAnnotations(spec));
    Integer order = in.groupOrders() == null ? null : in.groupOrders().get(index);
    if (order != null) meta.getAnnotations().put(ALB + "group.order", order.toString());
    List<Map<String, Object>> conditions = new ArrayList<>();
    List<String> hosts = c.hostHeaders == null ? List.of() : c.hostHeaders;
    boolean plainHosts = hosts.stream().allMatch(AlbPatterns::isPlainHost);
    if (!plainHosts) {
      // Ingress hosts allow only a leading "*.": the ALB condition carries the hosts instead
      conditions.add(condition("host-header", "hostHeaderConfig", hosts));
    }
    if (c.httpHeaders != null) {
      for (HttpHeaderCondition h : c.httpHeaders) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("httpHeaderName", h.name);
        config.put("values", h.values);
        conditions.add(ordered("field", "http-header", "httpHeaderConfig", config));
      }
    }
    if (c.httpRequestMethods != null) {
      conditions.add(
          condition("http-request-method", "httpRequestMethodConfig", c.httpRequestMethods));
    }
    if (c.sourceIps != null) {
      conditions.add(condition("source-ip", "sourceIpConfig", c.sourceIps));
    }
    if (!conditions.isEmpty()) {
      meta.getAnnotations().put(ALB + "conditions." + serviceName, JSON.asJson(conditions));
    }
    int port = spec.target.containerPort;
    List<HTTPIngressPath> paths = new ArrayList<>();
    List<String> patterns = c.pathPatterns == null ? List.of("/*") : c.pathPatterns;
    for (String pattern : patterns) {
      AlbPatterns.IngressPath p = AlbPatterns.ingressPath(pattern);
      paths.add(
          new HTTPIngressPathBuilder()
              .withPath(p.path())
              .withPathType(p.pathType())
              .withNewBackend()
              .withNewService()
              .withName(serviceName)
              .withNewPort()
              .withNumber(port)
              .endPort()
              .endService()
              .endBackend()
              .build());
    }
    List<IngressRule> ingressRules = new ArrayList<>();
    if (hosts.isEmpty() || !plainHosts) {
      ingressRules.add(new IngressRuleBuilder().withNewHttp().withPaths(paths).endHttp().build());
    } else {
      for (String host : hosts) {
        ingressRules.add(
            new IngressRuleBuilder()
                .withHost(host)
                .withNewHttp()
                .withPaths(paths)
                .endHttp()
                .build());
      }
    }
    return new IngressBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withIngressClassName(
            in.routing() != null && in.routing().ingressClassName != null
                ? in.routing().ingressClassName
                : DEFAULT_INGRESS_CLASS)
        .withRules(ingressRules)
        .endSpec()
        .build();
  }

  private static Map<String, Object> condition(String field, String configKey, List<String> v) {
    return ordered("field", field, configKey, Map.of("values", v));
  }

  // Map.of iterates in a per-JVM order: the annotation (and the applied hash) must not change
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  // ---------------------------------------------------------------- gateway

  private static Output gateway(Input in) {
    LoadBalancerRoute route = in.route();
    LoadBalancerRouteSpec spec = route.getSpec();
    Service service = clusterIpService(route);
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(service);
    List<StatusWarning> warnings = new ArrayList<>();
    List<RouteRule> rules = spec.rules == null ? List.of() : spec.rules;
    // HTTPRoute hostnames apply to all its rules: one HTTPRoute per distinct host set
    Map<List<String>, List<Integer>> byHosts = new LinkedHashMap<>();
    String[] children = new String[rules.size()];
    for (int i = 0; i < rules.size(); i++) {
      RuleConditions c =
          rules.get(i).conditions == null ? new RuleConditions() : rules.get(i).conditions;
      String field = "spec.rules[" + i + "].conditions";
      List<String> hosts = c.hostHeaders == null ? List.of() : c.hostHeaders;
      if (!hosts.stream().allMatch(AlbPatterns::isPlainHost)) {
        warnings.add(
            new StatusWarning(
                field + ".hostHeaders",
                CONDITION_NOT_EXPRESSIBLE,
                "HTTPRoute hostnames allow only a leading \"*.\" wildcard; rule "
                    + i
                    + " is not applied"));
        continue;
      }
      if (c.sourceIps != null) {
        warnings.add(
            new StatusWarning(
                field + ".sourceIps",
                CONDITION_NOT_EXPRESSIBLE,
                "HTTPRoute cannot match source IPs; rule " + i + " is not applied"));
        continue;
      }
      byHosts.computeIfAbsent(hosts, k -> new ArrayList<>()).add(i);
    }
    int k = 0;
    for (Map.Entry<List<String>, List<Integer>> e : byHosts.entrySet()) {
      String name =
          k == 0
              ? KubernetesNames.dnsSubdomain(route.getMetadata().getName())
              : KubernetesNames.dnsSubdomain(route.getMetadata().getName() + "-" + k);
      k++;
      List<Object> httpRules = new ArrayList<>();
      for (int i : e.getValue()) {
        httpRules.add(httpRouteRule(rules.get(i), service.getMetadata().getName(), spec));
        children[i] = name;
      }
      Map<String, Object> parent = new LinkedHashMap<>();
      GatewayRef g = in.routing().gatewayRef;
      parent.put("group", "gateway.networking.k8s.io");
      parent.put("kind", "Gateway");
      parent.put("name", g.name);
      if (g.namespace != null) parent.put("namespace", g.namespace);
      if (g.sectionName != null) parent.put("sectionName", g.sectionName);
      Map<String, Object> routeSpec = new LinkedHashMap<>();
      routeSpec.put("parentRefs", List.of(parent));
      if (!e.getKey().isEmpty()) routeSpec.put("hostnames", e.getKey());
      routeSpec.put("rules", httpRules);
      GenericKubernetesResource r =
          new GenericKubernetesResourceBuilder()
              .withApiVersion(HTTP_ROUTE_API)
              .withKind("HTTPRoute")
              .withMetadata(meta(route, name))
              .build();
      r.setAdditionalProperty("spec", routeSpec);
      objects.add(r);
    }
    List<String> ruleChildren = new ArrayList<>();
    for (String c : children) ruleChildren.add(c);
    return new Output(objects, ruleChildren, warnings);
  }

  private static Map<String, Object> httpRouteRule(
      RouteRule rule, String serviceName, LoadBalancerRouteSpec spec) {
    RuleConditions c = rule.conditions == null ? new RuleConditions() : rule.conditions;
    // ALB: conditions AND, values of one condition OR; HTTPRoute: fields of a match AND, matches
    // OR; so the matches are the cross product of the OR-ed values
    List<Map<String, Object>> matches = new ArrayList<>();
    matches.add(new LinkedHashMap<>());
    if (c.pathPatterns != null) {
      matches =
          cross(
              matches,
              c.pathPatterns.stream()
                  .map(
                      p -> {
                        AlbPatterns.GatewayPath g = AlbPatterns.gatewayPath(p);
                        Map<String, Object> path = new LinkedHashMap<>();
                        path.put("type", g.type());
                        path.put("value", g.value());
                        return (Object) path;
                      })
                  .toList(),
              "path");
    }
    if (c.httpRequestMethods != null) {
      matches = cross(matches, new ArrayList<>(c.httpRequestMethods), "method");
    }
    if (c.httpHeaders != null) {
      for (HttpHeaderCondition h : c.httpHeaders) {
        List<Object> alternatives = new ArrayList<>();
        for (String v : h.values) {
          Map<String, Object> header = new LinkedHashMap<>();
          boolean wild = v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
          header.put("type", wild ? "RegularExpression" : "Exact");
          header.put("name", h.name);
          header.put("value", wild ? AlbPatterns.regex(v) : v);
          alternatives.add(header);
        }
        matches = crossList(matches, alternatives, "headers");
      }
    }
    Map<String, Object> backend = new LinkedHashMap<>();
    backend.put("name", serviceName);
    backend.put("port", spec.target.containerPort);
    Map<String, Object> out = new LinkedHashMap<>();
    if (!(matches.size() == 1 && matches.get(0).isEmpty())) out.put("matches", matches);
    out.put("backendRefs", List.of(backend));
    return out;
  }

  private static List<Map<String, Object>> cross(
      List<Map<String, Object>> matches, List<Object> values, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> m : matches) {
      for (Object v : values) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        copy.put(key, v);
        out.add(copy);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> crossList(
      List<Map<String, Object>> matches, List<Object> values, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> m : matches) {
      for (Object v : values) {
        Map<String, Object> copy = new LinkedHashMap<>(m);
        List<Object> list = new ArrayList<>((List<Object>) copy.getOrDefault(key, List.of()));
        list.add(v);
        copy.put(key, list);
        out.add(copy);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- aws, network

  /** A TargetGroupBinding registering the pods behind the route's Service in the target group. */
  public static GenericKubernetesResource targetGroupBinding(
      LoadBalancerRoute route, String targetGroupArn, String targetType) {
    Map<String, Object> serviceRef = new LinkedHashMap<>();
    serviceRef.put("name", serviceName(route));
    serviceRef.put("port", route.getSpec().target.containerPort);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("serviceRef", serviceRef);
    spec.put("targetGroupARN", targetGroupArn);
    spec.put("targetType", targetType);
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(TARGET_GROUP_BINDING_API)
            .withKind("TargetGroupBinding")
            .withMetadata(meta(route, serviceName(route)))
            .build();
    r.setAdditionalProperty("spec", spec);
    return r;
  }

  /** A network load balancer route: a Service of type LoadBalancer for the controller's NLB. */
  public static Service nlbService(LoadBalancerRoute route) {
    LoadBalancerRouteSpec spec = route.getSpec();
    ObjectMeta meta = meta(route, serviceName(route));
    Map<String, String> a = meta.getAnnotations();
    a.put(NLB + "aws-load-balancer-type", "external");
    a.put(NLB + "aws-load-balancer-nlb-target-type", "ip");
    if (spec.loadBalancer.name != null)
      a.put(NLB + "aws-load-balancer-name", spec.loadBalancer.name);
    if (spec.loadBalancer.scheme != null) {
      a.put(NLB + "aws-load-balancer-scheme", spec.loadBalancer.scheme);
    }
    String protocol = spec.listener.protocol == null ? "TCP" : spec.listener.protocol;
    int port = listenerPort(spec, protocol);
    if ("TLS".equals(protocol) && spec.listener.certificateArn != null) {
      a.put(NLB + "aws-load-balancer-ssl-cert", spec.listener.certificateArn);
      a.put(NLB + "aws-load-balancer-ssl-ports", String.valueOf(port));
    }
    TargetHealthCheck h = spec.healthCheck;
    if (h != null) {
      putIf(a, NLB + "aws-load-balancer-healthcheck-protocol", h.protocol);
      putIf(a, NLB + "aws-load-balancer-healthcheck-port", h.port);
      putIf(a, NLB + "aws-load-balancer-healthcheck-path", h.path);
      putIf(a, NLB + "aws-load-balancer-healthcheck-success-codes", h.matcher);
      putIf(a, NLB + "aws-load-balancer-healthcheck-interval", h.intervalSeconds);
      putIf(a, NLB + "aws-load-balancer-healthcheck-timeout", h.timeoutSeconds);
      putIf(a, NLB + "aws-load-balancer-healthcheck-healthy-threshold", h.healthyThresholdCount);
      putIf(
          a, NLB + "aws-load-balancer-healthcheck-unhealthy-threshold", h.unhealthyThresholdCount);
    }
    if (spec.deregistrationDelaySeconds != null) {
      a.put(
          NLB + "aws-load-balancer-target-group-attributes",
          "deregistration_delay.timeout_seconds=" + spec.deregistrationDelaySeconds);
    }
    if (spec.tags != null && !spec.tags.isEmpty()) {
      a.put(
          NLB + "aws-load-balancer-additional-resource-tags",
          spec.tags.stream()
              .map((Tag t) -> t.key + "=" + t.value)
              .collect(Collectors.joining(",")));
    }
    // UDP stays UDP; TCP, TLS (terminated by the NLB) and TCP_UDP become Service protocols
    String serviceProtocol = "UDP".equals(protocol) ? "UDP" : "TCP";
    return new ServiceBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withType("LoadBalancer")
        .withLoadBalancerClass("service.k8s.aws/nlb")
        .withSelector(podSelector(route))
        .addNewPort()
        .withName("traffic")
        .withProtocol(serviceProtocol)
        .withPort(port)
        .withTargetPort(new IntOrString(spec.target.containerPort))
        .endPort()
        .endSpec()
        .build();
  }
}
