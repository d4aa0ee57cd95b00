package dev.tidewater.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  private final Duration timeout;
  private final Duration cache;
  // its own thread: a read hanging on a dead connection must not hold a thread of the common
  // ForkJoinPool (parallelism 1 on two cores), which other code of the process shares
  private final ExecutorService reader =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "tidewater-api-server-readiness");
            t.setDaemon(true);
            return t;
          });
  private Future<String> inFlight;
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
    this(read, TIMEOUT, CACHE);
  }

  ApiServerReadiness(Supplier<String> read, Duration timeout, Duration cache) {
    this.read = read;
    this.timeout = timeout;
    this.cache = cache;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponse cached = last;
    if (cached != null && System.nanoTime() - lastAtNanos < cache.toNanos()) {
      return cached;
    }
    HealthCheckResponse now = check();
    last = now;
    lastAtNanos = System.nanoTime();
    return now;
  }

  private synchronized HealthCheckResponse check() {
    if (inFlight != null && !inFlight.isDone()) {
      // the last read has not come back yet: no second one queued behind it
      return down("the previous read has had no answer yet");
    }
    try {
      inFlight = reader.submit(read::get);
      inFlight.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return HealthCheckResponse.up(NAME);
    } catch (TimeoutException e) {
      return down("no answer within " + timeout.toMillis() + " ms");
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
