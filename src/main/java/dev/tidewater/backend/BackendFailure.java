package dev.tidewater.backend;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a backend could not bring a resource to its spec, as a reason for that resource's conditions:
 * either it waits for something that is expected to appear ({@link #progressing()}, e.g. a TaskRole
 * without its role ARN yet) or it cannot converge until something changes (e.g. {@code
 * NameConflict}). The message names the field or object concerned.
 */
public final class BackendFailure extends RuntimeException {

  private final String reason;
  private final boolean progressing;
  private final Duration retryAfter;
  private final boolean retryable;
  private final boolean terminal;

  private BackendFailure(
      String reason,
      String message,
      boolean progressing,
      Throwable cause,
      Duration retryAfter,
      boolean retryable,
      boolean terminal) {
    super(message, cause);
    this.reason = reason;
    this.progressing = progressing;
    this.retryAfter = retryAfter;
    this.retryable = retryable;
    this.terminal = terminal;
  }

  private BackendFailure(
      String reason,
      String message,
      boolean progressing,
      Throwable cause,
      Duration retryAfter,
      boolean retryable) {
    this(reason, message, progressing, cause, retryAfter, retryable, false);
  }

  private BackendFailure(
      String reason, String message, boolean progressing, Throwable cause, Duration retryAfter) {
    this(reason, message, progressing, cause, retryAfter, false);
  }

  /**
   * A call that failed (AWS refused, throttled, unreachable): Degraded, and it may pass by itself,
   * so the resource is looked at again after a while rather than only on the next change.
   */
  public static BackendFailure callFailed(String reason, String message, Throwable cause) {
    return new BackendFailure(reason, message, false, cause, null, true);
  }

  /**
   * A call AWS refused for what was asked (a client error: invalid parameter, access denied, not
   * found): asking the same again gets the same answer, so it is not repeated until what was asked
   * changes.
   */
  public static BackendFailure terminal(String reason, String message, Throwable cause) {
    return new BackendFailure(reason, message, false, cause, null, false, true);
  }

  /** Whether the same call for the same spec would be refused again ({@link #terminal}). */
  public boolean terminal() {
    return terminal;
  }

  /** Whether this failure of a call may pass by itself ({@link #callFailed}). */
  public boolean retryable() {
    return retryable;
  }

  /** Cannot converge until the spec or the world changes. */
  public static BackendFailure degraded(String reason, String message) {
    return new BackendFailure(reason, message, false, null, null);
  }

  /** Cannot converge until the spec or the world changes, caused by {@code cause}. */
  public static BackendFailure degraded(String reason, String message, Throwable cause) {
    return new BackendFailure(reason, message, false, cause, null);
  }

  /** Waiting for something expected to appear; retried soon. */
  public static BackendFailure progressing(String reason, String message) {
    return new BackendFailure(reason, message, true, null, null);
  }

  /** Waiting for something expected to appear; retried after {@code retryAfter} (a backoff). */
  public static BackendFailure progressing(String reason, String message, Duration retryAfter) {
    return new BackendFailure(reason, message, true, null, retryAfter);
  }

  /** When the backend asks to be tried again, if it has a say (else the caller's default). */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Machine-readable reason for the conditions, e.g. {@code NameConflict}. */
  public String reason() {
    return reason;
  }

  /** Whether this is a wait (Progressing) rather than a failure (Degraded). */
  public boolean progressing() {
    return progressing;
  }
}
