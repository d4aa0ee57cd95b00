package dev.tidewater.controller;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * Counts the operator's write requests to the API server ({@code
 * tidewater_kubernetes_writes_total{verb, resource}}): the number a "zero writes in steady state"
 * claim is checked against in production, beside the audit log used by the tests.
 */
final class ApiServerWriteCounter implements Interceptor {

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  private final MeterRegistry registry;

  ApiServerWriteCounter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String verb = request.method();
    if (WRITES.contains(verb)) {
      registry
          .counter(
              "tidewater.kubernetes.writes",
              "verb",
              verb.toLowerCase(),
              "resource",
              resource(request.uri().getPath()))
          .increment();
    }
  }

  /**
   * The resource (plural, with {@code /subresource}) a request path addresses: {@code
   * /apis/apps/v1/namespaces/a/deployments/web/status} → {@code deployments/status}.
   */
  static String resource(String path) {
    String[] p = path.replaceAll("^/+|/+$", "").split("/");
    // /api/v1/... or /apis/<group>/<version>/...
    int i = p.length > 0 && p[0].equals("api") ? 2 : 3;
    if (i < p.length && p[i].equals("namespaces") && i + 2 < p.length) {
      i += 2;
    }
    if (i >= p.length) {
      return p.length > 0 ? p[p.length - 1] : "";
    }
    String resource = p[i];
    return i + 2 < p.length ? resource + "/" + p[i + 2] : resource;
  }
}
