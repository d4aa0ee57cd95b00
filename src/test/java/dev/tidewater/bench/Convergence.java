package dev.tidewater.bench;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Watches one namespace and notes, on the benchmark's own clock ({@link System#nanoTime}), when
 * each Service and each Deployment was first seen (watch ADDED) and when each workload first
 * converged: a Service Ready with runningCount = desiredCount, or (baseline) a Deployment whose
 * replicas are all updated and available.
 */
final class Convergence implements AutoCloseable {

  private final Map<String, Long> serviceSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> deploymentSeen = new ConcurrentHashMap<>();
  private final Map<String, Long> converged = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  private Convergence() {}

  /** Tidewater: Services converge; Deployments are watched for the create → child latency. */
  static Convergence ofServices(KubernetesClient client, String namespace) {
    Convergence c = new Convergence();
    c.informers.add(
        client
            .resources(EcsService.class)
            .inNamespace(namespace)
            .inform(c.handler(c.serviceSeen, Convergence::serviceConverged), 0));
    c.informers.add(
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(c.handler(c.deploymentSeen, d -> false), 0));
    return c;
  }

  /** Baseline: the Deployments themselves converge. */
  static Convergence ofDeployments(KubernetesClient client, String namespace) {
    Convergence c = new Convergence();
    c.informers.add(
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(c.handler(c.deploymentSeen, Convergence::deploymentAvailable), 0));
    return c;
  }

  static boolean serviceConverged(EcsService s) {
    var st = s.getStatus();
    return st != null
        && st.runningCount != null
        && st.desiredCount != null
        && Objects.equals(st.runningCount, st.desiredCount)
        && s.getSpec() != null
        && Objects.equals(st.desiredCount, s.getSpec().desiredCount)
        && st.getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean deploymentAvailable(Deployment d) {
    var st = d.getStatus();
    Integer want = d.getSpec().getReplicas();
    return st != null
        && want != null
        && st.getObservedGeneration() != null
        && st.getObservedGeneration() >= d.getMetadata().getGeneration()
        && want.equals(st.getUpdatedReplicas())
        && want.equals(st.getAvailableReplicas())
        && want.equals(st.getReplicas());
  }

  private <T extends HasMetadata> ResourceEventHandler<T> handler(
      Map<String, Long> seen, Predicate<T> done) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        long now = System.nanoTime();
        seen.putIfAbsent(obj.getMetadata().getName(), now);
        if (done.test(obj)) converged.putIfAbsent(obj.getMetadata().getName(), now);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        if (done.test(newObj))
          converged.putIfAbsent(newObj.getMetadata().getName(), System.nanoTime());
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  int convergedCount() {
    return converged.size();
  }

  /** Waits until {@code n} workloads converged or {@code timeout} passed; the count reached. */
  int await(int n, Duration timeout) throws InterruptedException {
    Polling.until(timeout, Duration.ofMillis(100), () -> converged.size() >= n);
    return converged.size();
  }

  /**
   * Waits until {@code n} workloads converged, or until none converged for {@code stall} (a long
   * phase is given up when it stops moving, not after a fixed time); the count reached.
   */
  int awaitProgress(int n, Duration stall) throws InterruptedException {
    int[] last = {converged.size()};
    long[] movedAt = {System.nanoTime()};
    Polling.until(
        Duration.ofDays(1),
        Duration.ofSeconds(1),
        () -> {
          int now = converged.size();
          if (now != last[0]) {
            last[0] = now;
            movedAt[0] = System.nanoTime();
          }
          return now >= n || System.nanoTime() - movedAt[0] > stall.toNanos();
        });
    return converged.size();
  }

  /** When the last workload converged, or -1 when none did. */
  long lastConverged() {
    return converged.values().stream().mapToLong(Long::longValue).max().orElse(-1);
  }

  /**
   * Milliseconds from each Service's ADDED event to its Deployment's ADDED event, for every Service
   * whose Deployment was seen.
   */
  List<Double> serviceToDeploymentMillis() {
    List<Double> out = new ArrayList<>();
    serviceSeen.forEach(
        (name, t) -> {
          Long d = deploymentSeen.get(name);
          if (d != null) out.add((d - t) / 1e6);
        });
    return out;
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
