package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What happens to a reconcile that failed on the Operator SDK's last retry: it is rescheduled with
 * a backoff of its own (30 s, doubling per exhausted round of retries, at most 5 minutes) instead
 * of being left for a later event.
 *
 * <p>Left to the SDK, an exhausted reconcile waits for the max-reconciliation-interval (10 minutes,
 * 10 hours for a controller without one) or an event; after an API-server outage no event may come,
 * and a TaskDefinition and its Service reported revision 1 for minutes while their Deployment ran
 * revision 2. Every reconciler's {@code updateErrorStatus} ends here ({@code ExhaustedRetriesTest}
 * checks that none is missed).
 */
public final class ExhaustedRetries {

  /** The first delay after a round of retries ran out. */
  static final Duration FIRST = Duration.ofSeconds(30);

  /** The longest delay: a resource that keeps failing is still looked at this often. */
  static final Duration LONGEST = Duration.ofMinutes(5);

  /** Episodes not seen for this long are forgotten (the resource recovered or went). */
  private static final Duration FORGET = Duration.ofHours(1);

  /** The operator's one instance: the backoff of a resource is shared by all its failures. */
  public static final ExhaustedRetries SHARED = new ExhaustedRetries(Clock.systemUTC());

  /** How many rounds of retries of one resource ran out in a row, and when the last one did. */
  private record Episode(int rounds, Instant last, Duration delay) {}

  private final Clock clock;
  private final Map<String, Episode> episodes = new ConcurrentHashMap<>();

  ExhaustedRetries(Clock clock) {
    this.clock = clock;
  }

  /**
   * {@code control} as it is, unless this was the last retry of {@code resource}: then the same
   * control, rescheduled after the resource's next backoff (which also ends the SDK's retry round,
   * so the next failure starts a new one).
   */
  public <P extends HasMetadata> ErrorStatusUpdateControl<P> afterError(
      ErrorStatusUpdateControl<P> control, P resource, Optional<RetryInfo> retry) {
    if (control.isNoRetry() || retry.isEmpty()) {
      return control;
    }
    String key = key(resource);
    // a rescheduled reconcile starts a fresh round of the SDK's retries; while the resource is
    // still failing in the same episode, its first failure goes straight to the next backoff, so a
    // permanent error costs one reconcile per backoff, not a round of retries each time
    if (!retry.get().isLastAttempt() && !failingStill(key)) {
      return control;
    }
    return control.rescheduleAfter(nextDelay(key));
  }

  /** Whether {@code key} is in an episode of exhausted rounds that has not ended. */
  boolean failingStill(String key) {
    Episode before = episodes.get(key);
    return before != null && sameEpisode(before, clock.instant());
  }

  private static boolean sameEpisode(Episode before, Instant now) {
    return !before.last().plus(before.delay().multipliedBy(2)).plus(FIRST).isBefore(now);
  }

  /** The delay before the next round of {@code key}, counting this exhausted round. */
  Duration nextDelay(String key) {
    Instant now = clock.instant();
    episodes.values().removeIf(e -> e.last().plus(FORGET).isBefore(now));
    Episode before = episodes.get(key);
    // a round that ran out long after the previous one's delay starts a new episode: the resource
    // recovered in between (a successful reconcile is not seen here)
    int rounds = before != null && sameEpisode(before, now) ? before.rounds() + 1 : 1;
    Duration delay = FIRST.multipliedBy(1L << Math.min(rounds - 1, 10));
    if (delay.compareTo(LONGEST) > 0) delay = LONGEST;
    episodes.put(key, new Episode(rounds, now, delay));
    return delay;
  }

  private static String key(HasMetadata resource) {
    String uid = resource.getMetadata().getUid();
    return uid != null
        ? uid
        : resource.getKind()
            + "/"
            + resource.getMetadata().getNamespace()
            + "/"
            + resource.getMetadata().getName();
  }
}
