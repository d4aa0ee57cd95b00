package dev.tidewater.backend;

/**
 * Why a backend could not bring a resource to its spec, as a reason for that resource's conditions:
 * either it waits for something that is expected to appear ({@link #progressing()}, e.g. a TaskRole
 * without its role ARN yet) or it cannot converge until something changes (e.g. {@code
 * NameConflict}). The message names the field or object concerned.
 */
public final class BackendFailure extends RuntimeException {

  private final String reason;
  private final boolean progressing;

  private BackendFailure(String reason, String message, boolean progressing, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.progressing = progressing;
  }

  /** Cannot converge until the spec or the world changes. */
  public static BackendFailure degraded(String reason, String message) {
    return new BackendFailure(reason, message, false, null);
  }

  /** Cannot converge until the spec or the world changes, caused by {@code cause}. */
  public static BackendFailure degraded(String reason, String message, Throwable cause) {
    return new BackendFailure(reason, message, false, cause);
  }

  /** Waiting for something expected to appear; retried soon. */
  public static BackendFailure progressing(String reason, String message) {
    return new BackendFailure(reason, message, true, null);
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
