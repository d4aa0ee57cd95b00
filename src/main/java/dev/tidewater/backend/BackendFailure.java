package dev.tidewater.backend;

/**
 * A backend call that failed for a reason the resource's status should carry (an AWS error, a
 * missing dependency): the controller reports it as a Degraded condition and an Event on that
 * resource alone, and retries on its next pass.
 */
public final class BackendFailure extends RuntimeException {

  private final String reason;
  private final boolean waiting;

  public BackendFailure(String reason, String message, Throwable cause) {
    this(reason, message, cause, false);
  }

  public BackendFailure(String reason, String message) {
    this(reason, message, null, false);
  }

  private BackendFailure(String reason, String message, Throwable cause, boolean waiting) {
    super(message, cause);
    this.reason = reason;
    this.waiting = waiting;
  }

  /**
   * Not a failure but a wait the backend cannot shorten (an ECS service still draining): reported
   * as Progressing, and looked at again soon.
   */
  public static BackendFailure waiting(String reason, String message) {
    return new BackendFailure(reason, message, null, true);
  }

  /** Whether this is a wait ({@link #waiting}) rather than a failure. */
  public boolean isWaiting() {
    return waiting;
  }

  /** Machine-readable reason for the condition, e.g. {@code AccessDenied}. */
  public String reason() {
    return reason;
  }
}
