package dev.tidewater.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness that follows the API server: DOWN while a read that needs etcd fails (the API server or
 * etcd away), UP as soon as it answers again.
 *
 * <p>The Operator SDK's informer health check alone stays UP through an outage: an informer whose
 * watch connection broke reconnects inside the client and still counts as watching, so for a minute
 * without an API server the operator looked ready (FaultSuiteIT). The read is the GET of the {@code
 * kube-system} namespace the operator already needs for its cluster identity; without a
 * resourceVersion the API server reads it from etcd. Any HTTP answer (even 403) means reachable; a
 * connection failure, a timeout or a 5xx means not. At most one read per {@link #CACHE}, so probes
 * cost the API server nothing worth counting.
 */
@Readiness
@ApplicationScoped
public class ApiServerReadiness implements HealthCheck {

  static final String NAME = "Kubernetes API server reachable";
  static final Duration CACHE = Duration.ofSeconds(2);
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final Supplier<String> read;
  private volatile HealthCheckResponse last;
  private volatile long lastAtNanos;

  @Inject
  public ApiServerReadiness(KubernetesClient client) {
    this(
        () -> {
          client.namespaces().withName("kube-system").get();
          return "ok";
        });
  }

  ApiServerReadiness(Supplier<String> read) {
    this.read = read;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponse cached = last;
    if (cached != null && System.nanoTime() - lastAtNanos < CACHE.toNanos()) {
      return cached;
    }
    HealthCheckResponse now = check();
    last = now;
    lastAtNanos = System.nanoTime();
    return now;
  }

  private HealthCheckResponse check() {
    try {
      CompletableFuture.supplyAsync(read).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return HealthCheckResponse.up(NAME);
    } catch (TimeoutException e) {
      return down("no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return down("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KubernetesClientException k && k.getCode() > 0 && k.getCode() < 500) {
        return HealthCheckResponse.up(NAME); // it answered: reachable
      }
      return down(cause == null ? e.toString() : String.valueOf(cause.getMessage()));
    }
  }

  private static HealthCheckResponse down(String why) {
    return HealthCheckResponse.named(NAME).down().withData("error", why).build();
  }
}
