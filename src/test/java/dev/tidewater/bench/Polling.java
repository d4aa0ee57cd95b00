package dev.tidewater.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The driver's waits: polls a condition with Awaitility until it holds or {@code atMost} passed.
 * Unlike a test, a benchmark records a timeout (a note, a partial count) instead of failing.
 */
final class Polling {

  private Polling() {}

  /** Whether {@code done} held within {@code atMost}, looking every {@code every}. */
  static boolean until(Duration atMost, Duration every, Callable<Boolean> done) {
    try {
      await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(every).until(done);
      return true;
    } catch (ConditionTimeoutException timedOut) {
      return false;
    }
  }

  /**
   * Watches {@code holds} for the whole {@code window} (every second): a steady-state measurement
   * window, which ends early, with false, when the condition stops holding (the operator died).
   */
  static boolean throughout(Duration window, Callable<Boolean> holds) {
    try {
      await()
          .during(window)
          .atMost(window.plusSeconds(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(holds);
      return true;
    } catch (ConditionTimeoutException stopped) {
      return false;
    }
  }
}
