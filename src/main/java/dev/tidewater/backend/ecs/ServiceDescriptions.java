package dev.tidewater.backend.ecs;

import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.SweepGrid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The one place ECS services are described: DescribeServices batched ten names per call across
 * every Service of one ECS cluster, with the answers cached, so a resync of N services costs ⌈N/10⌉
 * calls (DESIGN.md rule 10).
 *
 * <p>A Service asking for its description gets the cached one while it is younger than the
 * freshness window; otherwise one call describes it together with up to nine other members of the
 * cluster whose descriptions are stale too (a member already being described by another thread is
 * waited for, not described twice). Resyncs of a cluster's Services are aligned on one sweep grid
 * ({@link #untilNextSweep}), so a sweep finds every member stale at once and batches them all.
 */
public final class ServiceDescriptions {

  /** DescribeServices takes at most ten services per call. */
  public static final int BATCH = 10;

  /** One ECS cluster in one AWS context. */
  public record ClusterKey(AwsContext context, String cluster) {}

  /** Describes up to {@value #BATCH} services of a cluster: the found ones by service name. */
  @FunctionalInterface
  public interface Describer {
    Map<String, Service> describe(ClusterKey cluster, List<String> names);
  }

  private record Entry(Optional<Service> service, long atNanos) {}

  private static final class ClusterState {
    final Set<String> members = new LinkedHashSet<>();
    final Map<String, Entry> entries = new HashMap<>();
    final Map<String, CompletableFuture<Optional<Service>>> inFlight = new HashMap<>();
    Long epochNanos;
  }

  private final Describer describer;
  private final LongSupplier nanoClock;
  private final Map<ClusterKey, ClusterState> clusters = new ConcurrentHashMap<>();

  public ServiceDescriptions(Describer describer) {
    this(describer, System::nanoTime);
  }

  ServiceDescriptions(Describer describer, LongSupplier nanoClock) {
    this.describer = describer;
    this.nanoClock = nanoClock;
  }

  /**
   * The description of service {@code name} in {@code cluster}, at most {@code maxAge} old; empty
   * when ECS does not know the service.
   */
  public Optional<Service> describe(ClusterKey cluster, String name, Duration maxAge) {
    return describe(cluster, name, maxAge, List.of());
  }

  /**
   * As {@link #describe(ClusterKey, String, Duration)}, describing {@code together} (stale ones) in
   * the same call when one is made, so a look-up of them that follows is answered from the cache: a
   * Service's old-scheme name beside its new one costs no call of its own (docs/naming.md). They do
   * not join the batched members by this.
   */
  public Optional<Service> describe(
      ClusterKey cluster, String name, Duration maxAge, List<String> together) {
    ClusterState state = clusters.computeIfAbsent(cluster, k -> new ClusterState());
    CompletableFuture<Optional<Service>> answer;
    List<String> batch = null;
    long maxAgeNanos = maxAge.toNanos();
    synchronized (state) {
      state.members.add(name);
      long now = nanoClock.getAsLong();
      if (state.epochNanos == null) {
        state.epochNanos = now;
      }
      Entry entry = state.entries.get(name);
      if (entry != null && now - entry.atNanos() < maxAgeNanos) {
        return entry.service();
      }
      answer = state.inFlight.get(name);
      if (answer == null) {
        batch = new ArrayList<>();
        batch.add(name);
        for (String other : together) {
          if (batch.size() == BATCH) break;
          if (batch.contains(other) || state.inFlight.containsKey(other)) continue;
          Entry e = state.entries.get(other);
          if (e == null || now - e.atNanos() >= maxAgeNanos) {
            batch.add(other);
          }
        }
        for (String member : state.members) {
          if (batch.contains(member)) continue;
          if (batch.size() == BATCH) break;
          if (member.equals(name) || state.inFlight.containsKey(member)) continue;
          Entry e = state.entries.get(member);
          if (e == null || now - e.atNanos() >= maxAgeNanos) {
            batch.add(member);
          }
        }
        for (String member : batch) {
          state.inFlight.put(member, new CompletableFuture<>());
        }
        answer = state.inFlight.get(name);
      }
    }
    if (batch != null) {
      fetch(cluster, state, batch);
    }
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void fetch(ClusterKey cluster, ClusterState state, List<String> batch) {
    Map<String, Service> found;
    try {
      found = describer.describe(cluster, batch);
    } catch (RuntimeException | Error e) {
      // every waiter of this batch fails with the caller; nothing is cached
      synchronized (state) {
        batch.forEach(n -> state.inFlight.remove(n).completeExceptionally(e));
      }
      throw e;
    }
    long at = nanoClock.getAsLong();
    synchronized (state) {
      for (String n : batch) {
        Optional<Service> service = Optional.ofNullable(found.get(n));
        state.entries.put(n, new Entry(service, at));
        state.inFlight.remove(n).complete(service);
      }
    }
  }

  /** Records what a write call returned as the service's fresh description. */
  public void record(ClusterKey cluster, String name, Service service) {
    ClusterState state = clusters.computeIfAbsent(cluster, k -> new ClusterState());
    synchronized (state) {
      state.members.add(name);
      state.entries.put(name, new Entry(Optional.ofNullable(service), nanoClock.getAsLong()));
    }
  }

  /** Drops the cached description (a write failed half-way: the next look reads ECS). */
  public void forget(ClusterKey cluster, String name) {
    ClusterState state = clusters.get(cluster);
    if (state == null) return;
    synchronized (state) {
      state.entries.remove(name);
    }
  }

  /** The service is gone for good (its resource was deleted): no longer batched. */
  public void remove(ClusterKey cluster, String name) {
    ClusterState state = clusters.get(cluster);
    if (state == null) return;
    synchronized (state) {
      state.entries.remove(name);
      state.members.remove(name);
    }
  }

  /**
   * Time until the cluster's next sweep: sweeps start {@code period} apart from the cluster's first
   * description, so every Service of the cluster that reschedules by this resyncs at the same
   * moment and their descriptions share batches.
   */
  public Duration untilNextSweep(ClusterKey cluster, Duration period) {
    ClusterState state = clusters.computeIfAbsent(cluster, k -> new ClusterState());
    long now = nanoClock.getAsLong();
    long epoch;
    synchronized (state) {
      if (state.epochNanos == null) state.epochNanos = now;
      epoch = state.epochNanos;
    }
    return SweepGrid.untilNext(epoch, now, period);
  }
}
