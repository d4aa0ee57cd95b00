package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.backend.InformerCaches;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes a route's Kubernetes objects ({@link RouteObjects}) by server-side apply only when the
 * desired object's hash differs from the one last applied, deletes the ones no longer wanted, and
 * reads back readiness (ready endpoints of the route's Service) and the address. Services and
 * Ingresses come from informers; HTTPRoutes and TargetGroupBindings (whose CRDs may be missing)
 * cost one GET each per reconcile.
 */
public final class RouteChildWriter {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  RouteChildWriter(KubernetesClient client) {
    this.client = client;
  }

  /** A CRD the mode needs is not installed. */
  public static final class MissingCrd extends RuntimeException {
    public MissingCrd(String message) {
      super(message);
    }
  }

  /** What the cluster shows after applying: ready endpoints and the address, when known. */
  public record Observation(int readyEndpoints, String address) {}

  /**
   * Applies {@code desired}, deletes stale children of the route (owned Services and Ingresses not
   * desired; HTTPRoutes / TargetGroupBindings named in {@code previousGeneric} but not desired).
   */
  public Observation apply(
      LoadBalancerRoute route,
      List<HasMetadata> desired,
      Set<String> previousGeneric,
      List<EndpointSlice> slices,
      InformerCaches context) {
    Set<String> desiredServices = names(desired, Service.class);
    Set<String> desiredIngresses = names(desired, Ingress.class);
    List<GenericKubernetesResource> generic = new ArrayList<>();
    for (HasMetadata d : desired) {
      if (d instanceof Service s) {
        applyIfChanged(client, s, find(context, Service.class, s.getMetadata().getName()));
      } else if (d instanceof Ingress i) {
        applyIfChanged(client, i, find(context, Ingress.class, i.getMetadata().getName()));
      } else if (d instanceof GenericKubernetesResource g) {
        generic.add(g);
        applyIfChanged(client, g, getGeneric(client, g));
      }
    }
    for (Service s : context.of(Service.class)) {
      if (!desiredServices.contains(s.getMetadata().getName())) client.resource(s).delete();
    }
    for (Ingress i : context.of(Ingress.class)) {
      if (!desiredIngresses.contains(i.getMetadata().getName())) client.resource(i).delete();
    }
    Set<String> keep = generic.stream().map(RouteChildWriter::key).collect(Collectors.toSet());
    for (String stale : previousGeneric) {
      if (!keep.contains(stale)) deleteGeneric(client, route.getMetadata().getNamespace(), stale);
    }
    return observe(route, desired, slices, context);
  }

  /** The "apiVersion/kind/name" key of a generic child, for status and stale deletion. */
  public static String key(HasMetadata o) {
    return o.getApiVersion() + "/" + o.getKind() + "/" + o.getMetadata().getName();
  }

  private Observation observe(
      LoadBalancerRoute route,
      List<HasMetadata> desired,
      List<EndpointSlice> slices,
      InformerCaches context) {
    String serviceName = RouteObjects.serviceName(route);
    int ready = 0;
    for (EndpointSlice slice : slices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      if (labels == null || !serviceName.equals(labels.get("kubernetes.io/service-name"))) continue;
      if (slice.getEndpoints() == null) continue;
      ready +=
          (int)
              slice.getEndpoints().stream()
                  .filter(
                      e ->
                          e.getConditions() != null
                              && !Boolean.FALSE.equals(e.getConditions().getReady()))
                  .count();
    }
    String address = null;
    for (HasMetadata d : desired) {
      if (d instanceof Service s && "LoadBalancer".equals(s.getSpec().getType())) {
        address =
            find(context, Service.class, s.getMetadata().getName())
                .map(x -> x.getStatus() == null ? null : x.getStatus().getLoadBalancer())
                .map(lb -> lb.getIngress() == null || lb.getIngress().isEmpty() ? null : lb)
                .map(
                    lb ->
                        first(lb.getIngress().get(0).getHostname(), lb.getIngress().get(0).getIp()))
                .orElse(address);
      } else if (d instanceof Ingress i && address == null) {
        address =
            find(context, Ingress.class, i.getMetadata().getName())
                .map(x -> x.getStatus() == null ? null : x.getStatus().getLoadBalancer())
                .filter(lb -> lb.getIngress() != null && !lb.getIngress().isEmpty())
                .map(
                    lb ->
                        first(lb.getIngress().get(0).getHostname(), lb.getIngress().get(0).getIp()))
                .orElse(null);
      }
    }
    return new Observation(ready, address);
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  private static <T extends HasMetadata> Optional<T> find(
      InformerCaches context, Class<T> type, String name) {
    return context.of(type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst();
  }

  private static Set<String> names(List<HasMetadata> objects, Class<?> type) {
    return objects.stream()
        .filter(type::isInstance)
        .map(o -> o.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  private static ResourceDefinitionContext definition(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String plural = kind.toLowerCase() + "s";
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  private static Optional<GenericKubernetesResource> getGeneric(
      KubernetesClient client, GenericKubernetesResource desired) {
    try {
      return Optional.ofNullable(
          client
              .genericKubernetesResources(definition(desired.getApiVersion(), desired.getKind()))
              .inNamespace(desired.getMetadata().getNamespace())
              .withName(desired.getMetadata().getName())
              .get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new MissingCrd(
            desired.getKind()
                + " ("
                + desired.getApiVersion()
                + ") is not served by the API server: install its CRD");
      }
      throw e;
    }
  }

  private static void deleteGeneric(KubernetesClient client, String namespace, String key) {
    String[] parts = key.split("/");
    // group/version/kind/name or version/kind/name
    int n = parts.length;
    String apiVersion = String.join("/", java.util.Arrays.copyOf(parts, n - 2));
    try {
      client
          .genericKubernetesResources(definition(apiVersion, parts[n - 2]))
          .inNamespace(namespace)
          .withName(parts[n - 1])
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) throw e;
    }
  }

  private static <T extends HasMetadata> void applyIfChanged(
      KubernetesClient client, T desired, Optional<T> observed) {
    String hash = hash(desired);
    if (observed.isPresent()
        && Objects.equals(
            hash,
            observed.get().getMetadata().getAnnotations() == null
                ? null
                : observed
                    .get()
                    .getMetadata()
                    .getAnnotations()
                    .get(TidewaterLabels.APPLIED_HASH))) {
      return;
    }
    desired.getMetadata().getAnnotations().put(TidewaterLabels.APPLIED_HASH, hash);
    try {
      client
          .resource(desired)
          .fieldManager(TidewaterLabels.FIELD_MANAGER)
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 && desired instanceof GenericKubernetesResource) {
        throw new MissingCrd(
            desired.getKind() + " is not served by the API server: install its CRD");
      }
      throw e;
    }
  }

  static String hash(HasMetadata desired) {
    return Sha256.hex(JSON.asJson(desired), 24);
  }
}
