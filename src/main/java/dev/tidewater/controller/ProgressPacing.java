package dev.tidewater.controller;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * When a status that only reports progress may be written: while a rollout moves, a status that
 * differs from the recorded one only in its counts is written at most once per interval, and a new
 * resource's first such status waits up to one interval (a rollout that ends sooner is written
 * once, as Ready or failed). Any other change is written at once. A held status is never dropped:
 * the reconcile is rescheduled for the end of the interval, and whatever it computes then is
 * written.
 *
 * <p>What it remembers is per resource uid and in memory only: the moment of its last status write
 * (forgotten one interval later) or of its first held status (forgotten when a status is written or
 * the resource is gone). After a restart a count change is written at once and a first status waits
 * one interval again.
 */
public final class ProgressPacing {

  /** What a status says that the recorded one does not. */
  public enum Change {
    /** The first status of a resource, reporting progress only. */
    FIRST_PROGRESS,
    /** Only counts moved; conditions keep their status and reason. */
    COUNTS,
    /** Anything else: written at once. */
    OTHER
  }

  /**
   * @param since when the status was last written, or first held
   * @param written whether {@code since} is a write
   * @param id the resource, to find out whether it still exists
   */
  private record Mark(Instant since, boolean written, ResourceID id) {}

  /** No pacing: every change is written at once. */
  public static ProgressPacing none() {
    return new ProgressPacing(Clock.systemUTC(), Duration.ZERO);
  }

  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

  private final Clock clock;
  private final Duration interval;
  private final ConcurrentHashMap<String, Mark> marks = new ConcurrentHashMap<>();
  private volatile Instant lastSweep;

  /**
   * @param interval how long a status reporting progress only may be held (zero: never)
   */
  public ProgressPacing(Clock clock, Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("the progress interval must not be negative: " + interval);
    }
    this.clock = clock;
    this.interval = interval;
    this.lastSweep = clock.instant();
  }

  /**
   * Whether a status change of resource {@code uid} is held.
   *
   * @return empty: write it now; else how long until it may be written
   */
  public Optional<Duration> hold(String uid, ResourceID id, Change change) {
    if (interval.isZero() || uid == null) return Optional.empty();
    Instant now = clock.instant();
    Mark mark =
        switch (change) {
          case OTHER -> null;
          // nothing written within the last interval (as far as this process knows): write it
          case COUNTS -> marks.get(uid);
          // the first progress report waits one interval from the first time it was held
          case FIRST_PROGRESS -> marks.computeIfAbsent(uid, k -> new Mark(now, false, id));
        };
    if (mark == null) return Optional.empty();
    Duration left = Duration.between(now, mark.since().plus(interval));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** A status of resource {@code uid} is being written now. */
  public void wrote(String uid, ResourceID id) {
    if (interval.isZero() || uid == null) return;
    marks.put(uid, new Mark(clock.instant(), true, id));
  }

  /** The recorded status of {@code uid} is what it should be: a held first status is moot. */
  public void settled(String uid) {
    if (interval.isZero() || uid == null) return;
    marks.computeIfPresent(uid, (k, m) -> m.written() ? m : null);
  }

  /**
   * Forgets, at most once a minute, writes older than one interval and held first statuses of
   * resources that are gone.
   *
   * @param uidOf the uid of the resource with that id in the cache, empty when there is none
   */
  public void sweep(Function<ResourceID, Optional<String>> uidOf) {
    Instant now = clock.instant();
    if (marks.isEmpty() || now.isBefore(lastSweep.plus(SWEEP_EVERY))) return;
    lastSweep = now;
    marks
        .entrySet()
        .removeIf(
            e ->
                e.getValue().written()
                    ? !now.isBefore(e.getValue().since().plus(interval))
                    : !uidOf
                        .apply(e.getValue().id())
                        .map(u -> Objects.equals(u, e.getKey()))
                        .orElse(false));
  }

  /** How many resources are remembered (tests). */
  int remembered() {
    return marks.size();
  }
}
