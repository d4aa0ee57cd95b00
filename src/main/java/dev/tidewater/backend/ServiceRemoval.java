package dev.tidewater.backend;

import java.time.Duration;

/**
 * How far removing a deleted Service's backend objects got.
 *
 * @param finished nothing is left to remove: the finalizer may go
 * @param retryAfter when not done, when to look again (e.g. after scaling to zero)
 * @param message what is still in the way, for the log and an Event
 */
public record ServiceRemoval(boolean finished, Duration retryAfter, String message) {

  /** Everything is gone (or retained on purpose). */
  public static ServiceRemoval complete() {
    return new ServiceRemoval(true, null, null);
  }

  /** Not yet: look again after {@code retryAfter}. */
  public static ServiceRemoval waiting(Duration retryAfter, String message) {
    return new ServiceRemoval(false, retryAfter, message);
  }
}
