package dev.tidewater.backend;

import java.time.Duration;

/**
 * Sweeps {@code period} apart from an epoch (the first look at a cluster or listener): everything
 * that reschedules by it resyncs at the same moment, so they share one read or batch.
 */
public final class SweepGrid {

  private SweepGrid() {}

  /** Time from {@code nowNanos} to the next sweep after {@code epochNanos}; at least 500 ms. */
  public static Duration untilNext(long epochNanos, long nowNanos, Duration period) {
    long p = Math.max(period.toNanos(), Duration.ofSeconds(1).toNanos());
    long next = epochNanos + ((nowNanos - epochNanos) / p + 1) * p;
    return Duration.ofNanos(Math.max(next - nowNanos, Duration.ofMillis(500).toNanos()));
  }
}
