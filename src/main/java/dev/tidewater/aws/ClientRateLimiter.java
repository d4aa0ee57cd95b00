package dev.tidewater.aws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
  private double tokens;
  private long last;

  /**
   * @param permitsPerSecond sustained rate
   * @param burst bucket size: calls allowed at once after a quiet period
   */
  public ClientRateLimiter(double permitsPerSecond, int burst) {
    if (permitsPerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
    }
    this.permitsPerNano = permitsPerSecond / TimeUnit.SECONDS.toNanos(1);
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /** Takes one permit, waiting as long as the bucket needs to refill. */
  public void acquire() {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      tokens = Math.min(burst, tokens + (now - last) * permitsPerNano);
      last = now;
      tokens -= 1;
      wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / permitsPerNano);
    }
    long deadline = System.nanoTime() + wait;
    for (long left = wait; left > 0; left = deadline - System.nanoTime()) {
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
