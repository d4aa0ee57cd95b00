package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import java.util.Locale;

/**
 * How a LoadBalancerRoute is realised, from its Cluster's backend and routing mode and its load
 * balancer type. It decides which other routes its rules can meet on one listener ({@link
 * #listenerKey}: the scope of priority planning and conflicts) and whether deleting the route must
 * wait for the operator to clean up outside Kubernetes ({@link #needsFinalizer}). Pure.
 */
public enum RouteRealisation {

  /**
   * kubernetes backend, {@code ingress} mode: Ingresses that the AWS Load Balancer Controller
   * merges, by IngressGroup, into one ALB whose rules it writes.
   */
  INGRESS,

  /** kubernetes backend, {@code gateway} mode: HTTPRoutes attached to the Cluster's Gateway. */
  GATEWAY,

  /**
   * kubernetes backend, {@code ingress} or {@code gateway} mode, {@code loadBalancer.type:
   * network}: a Service of type LoadBalancer for the controller's NLB; no listener rules.
   */
  NLB_SERVICE,

  /**
   * The ecs backend, or the kubernetes backend's {@code aws} mode: a target group and listener
   * rules Tidewater itself writes through ELBv2 on the real listener.
   */
  ELBV2;

  /**
   * How {@code spec} is realised on a Cluster with {@code cluster} (null: the implicit default).
   */
  public static RouteRealisation of(ClusterSpec cluster, LoadBalancerRouteSpec spec) {
    if (cluster != null && "ecs".equals(cluster.backend)) {
      return ELBV2;
    }
    String mode =
        cluster == null || cluster.routing == null || cluster.routing.mode == null
            ? "ingress"
            : cluster.routing.mode;
    if ("aws".equals(mode)) {
      return ELBV2;
    }
    if (spec.loadBalancer != null && "network".equals(spec.loadBalancer.type)) {
      return NLB_SERVICE;
    }
    return "gateway".equals(mode) ? GATEWAY : INGRESS;
  }

  /** Whether Tidewater itself creates AWS objects (target group, listener rules) for the route. */
  public boolean writesElbv2() {
    return this == ELBV2;
  }

  /**
   * Whether a route realised this way must be held by a finalizer: it writes ELBv2 objects, or its
   * status still names ones it wrote (it left the {@code aws} mode or the ecs backend and they are
   * not deleted yet). Otherwise every object of the route is a Kubernetes object with an owner
   * reference, which garbage collection removes without the operator, so a finalizer would only
   * keep the route (and its namespace) from going while the operator is away.
   */
  public boolean needsFinalizer(LoadBalancerRouteStatus status) {
    return writesElbv2() || ownsElbv2Objects(status);
  }

  /** Whether {@code status} names a target group or listener rule the operator created. */
  public static boolean ownsElbv2Objects(LoadBalancerRouteStatus status) {
    return status != null
        && (status.targetGroupArn != null
            || (status.retiredTargetGroupArns != null && !status.retiredTargetGroupArns.isEmpty())
            || (status.rules != null
                && status.rules.stream().anyMatch(r -> r != null && r.ruleArn != null)));
  }

  /**
   * The listener the route's rules go to, as a key that two routes share exactly when their rules
   * can meet on one listener (docs/routing.md, "Which routes share a listener"):
   *
   * <ul>
   *   <li>{@link #ELBV2}: the real listener: {@code listener.arn}, else the load balancer ({@code
   *       arn}, else {@code name}) and {@code listener.port}; ecs-backend and aws-mode routes on
   *       one listener share it;
   *   <li>{@link #INGRESS}: the IngressGroup (the load balancer's name in lower case, or the name
   *       in its ARN) and the listener port of the Ingresses' {@code listen-ports};
   *   <li>{@link #GATEWAY}: the Gateway ({@code routing.gatewayRef}, namespace defaulting to the
   *       route's): HTTPRoutes never become rules of an ALB the other modes write to;
   *   <li>{@link #NLB_SERVICE}: the route alone (a network load balancer has no rules).
   * </ul>
   */
  public String listenerKey(
      String namespace, String name, LoadBalancerRouteSpec spec, ClusterSpec cluster) {
    return switch (this) {
      case ELBV2 ->
          spec.listener != null && spec.listener.arn != null
              ? elbv2Key(spec.listener.arn)
              : "elbv2/"
                  + loadBalancer(spec)
                  + ":"
                  + (spec.listener == null ? null : spec.listener.port);
      case INGRESS ->
          groupKey(namespace, name, spec, cluster)
              + ":"
              + listenerPort(spec, listenerProtocol(spec));
      case GATEWAY -> {
        var gateway =
            cluster == null || cluster.routing == null ? null : cluster.routing.gatewayRef;
        yield "gateway/"
            + (gateway == null || gateway.namespace == null ? namespace : gateway.namespace)
            + "/"
            + (gateway == null ? "" : gateway.name);
      }
      case NLB_SERVICE -> "service/" + namespace + "/" + name;
    };
  }

  /**
   * The routes whose rules are ranked together for {@code group.order}: the IngressGroup in ingress
   * mode (all its listeners), else the listener itself.
   */
  public String groupKey(
      String namespace, String name, LoadBalancerRouteSpec spec, ClusterSpec cluster) {
    if (this != INGRESS) {
      return listenerKey(namespace, name, spec, cluster);
    }
    return "ingress/" + ingressGroup(spec);
  }

  /**
   * The IngressGroup name: the load balancer's name (or the name in its ARN) in lower case, as the
   * kubernetes backend's {@code group.name} annotation has it for every valid ALB name.
   */
  static String ingressGroup(LoadBalancerRouteSpec spec) {
    if (spec.loadBalancer == null) return "";
    String name = spec.loadBalancer.name;
    if (name == null && spec.loadBalancer.arn != null) {
      // arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id>
      String[] parts = spec.loadBalancer.arn.split("/");
      name = parts.length >= 3 ? parts[parts.length - 2] : spec.loadBalancer.arn;
    }
    return name == null ? "" : name.toLowerCase(Locale.ROOT);
  }

  /** The {@link #ELBV2} listener key of a listener known by its ARN. */
  public static String elbv2Key(String listenerArn) {
    return "elbv2/" + listenerArn;
  }

  /**
   * What an {@link #ELBV2} route's listener is resolved from ({@code status.listenerSource}): its
   * listener ARN, else its load balancer and port.
   */
  public static String listenerSource(LoadBalancerRouteSpec spec) {
    if (spec.listener.arn != null) return "listener " + spec.listener.arn;
    return "load balancer "
        + (spec.loadBalancer.arn != null ? spec.loadBalancer.arn : spec.loadBalancer.name)
        + " port "
        + spec.listener.port;
  }

  private static String loadBalancer(LoadBalancerRouteSpec spec) {
    if (spec.loadBalancer == null) return "";
    return spec.loadBalancer.arn != null ? spec.loadBalancer.arn : "name/" + spec.loadBalancer.name;
  }

  /** The listener protocol: as given, else HTTPS with a certificate, else HTTP. */
  public static String listenerProtocol(LoadBalancerRouteSpec spec) {
    if (spec.listener != null && spec.listener.protocol != null) return spec.listener.protocol;
    return spec.listener != null && spec.listener.certificateArn != null ? "HTTPS" : "HTTP";
  }

  /** The listener port: as given, else 443 for HTTPS / TLS and 80 for the rest. */
  public static int listenerPort(LoadBalancerRouteSpec spec, String protocol) {
    if (spec.listener != null && spec.listener.port != null) return spec.listener.port;
    return "HTTPS".equals(protocol) || "TLS".equals(protocol) ? 443 : 80;
  }
}
