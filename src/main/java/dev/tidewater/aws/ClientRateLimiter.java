package dev.tidewater.aws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A client-side token bucket in front of every HTTP attempt (retries included), so the operator
 * paces itself below AWS's own limits instead of discovering them through throttling.
 */
public final class ClientRateLimiter implements ExecutionInterceptor {

  private final double permitsPerNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final LongConsumer waiter;
  private double tokens;
  private long last;

  /**
   * @param permitsPerSecond sustained rate
   * @param burst bucket size: calls allowed at once after a quiet period
   */
  public ClientRateLimiter(double permitsPerSecond, int burst) {
    this(permitsPerSecond, burst, System::nanoTime, ClientRateLimiter::park);
  }

  ClientRateLimiter(
      double permitsPerSecond, int burst, LongSupplier nanoTime, LongConsumer waiter) {
    if (permitsPerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.permitsPerNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.waiter = waiter;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Takes one permit, waiting as long as the bucket needs to refill. */
  public void acquire() {
    long wait;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
      last = now;
      tokens -= 1;
      wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
    }
    if (wait > 0) {
      waiter.accept(wait);
    }
  }

  private static void park(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    acquire();
  }
}
