package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ExhaustedRetriesTest {

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private final MovingClock clock = new MovingClock();
  private final ExhaustedRetries retries = new ExhaustedRetries(clock);

  private static EcsService service(String uid) {
    EcsService s = new EcsService();
    s.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("a").withUid(uid).build());
    return s;
  }

  private static Optional<RetryInfo> attempt(int count, boolean last) {
    return Optional.of(
        new RetryInfo() {
          @Override
          public int getAttemptCount() {
            return count;
          }

          @Override
          public boolean isLastAttempt() {
            return last;
          }
        });
  }

  /** One exhausted round of retries of the service {@code uid}: the delay it was given. */
  private Optional<Long> exhaust(String uid) {
    return retries
        .afterError(ErrorStatusUpdateControl.noStatusUpdate(), service(uid), attempt(5, true))
        .getScheduleDelay();
  }

  @Test
  void aFailureBeforeTheLastRetryIsLeftToTheOperatorSdksRetry() {
    var control =
        retries.afterError(
            ErrorStatusUpdateControl.<EcsService>noStatusUpdate(), service("u"), attempt(2, false));

    assertThat(control.isNoRetry()).isFalse();
    assertThat(control.getScheduleDelay()).isEmpty();
  }

  @Test
  void theLastRetryIsRescheduledKeepingTheStatusItRecords() {
    EcsService withStatus = service("u");
    var control =
        retries.afterError(
            ErrorStatusUpdateControl.patchStatus(withStatus), withStatus, attempt(5, true));

    assertThat(control.getScheduleDelay()).contains(Duration.ofSeconds(30).toMillis());
    assertThat(control.getResource()).containsSame(withStatus);
  }

  @Test
  void roundsThatKeepRunningOutBackOffUpToFiveMinutes() {
    List<Long> delays = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long delay = exhaust("u").orElseThrow();
      delays.add(delay / 1000);
      // the rescheduled reconcile and its five retries (about 26 s) fail again
      clock.advance(Duration.ofMillis(delay).plusSeconds(26));
    }

    assertThat(delays).containsExactly(30L, 60L, 120L, 240L, 300L, 300L);
  }

  @Test
  void aRescheduledReconcileThatFailsAgainIsNotGivenAnotherRoundOfRetries() {
    exhaust("u");
    clock.advance(Duration.ofSeconds(30));

    // the rescheduled reconcile is the SDK's first attempt of a new round: it fails again
    var control =
        retries.afterError(
            ErrorStatusUpdateControl.<EcsService>noStatusUpdate(), service("u"), attempt(0, false));

    assertThat(control.getScheduleDelay()).contains(60_000L);
    // another resource's first failure is still the SDK's to retry
    assertThat(
            retries
                .afterError(
                    ErrorStatusUpdateControl.<EcsService>noStatusUpdate(),
                    service("other"),
                    attempt(0, false))
                .getScheduleDelay())
        .isEmpty();
  }

  @Test
  void aResourceThatRecoveredStartsAgainAtTheFirstDelay() {
    exhaust("u");
    clock.advance(Duration.ofSeconds(56));
    assertThat(exhaust("u")).contains(60_000L);

    clock.advance(Duration.ofHours(2));

    assertThat(exhaust("u")).contains(30_000L);
  }

  @Test
  void eachResourceHasItsOwnBackoff() {
    exhaust("u");
    clock.advance(Duration.ofSeconds(56));
    exhaust("u");

    assertThat(exhaust("other")).contains(30_000L);
  }

  @Test
  void aControlThatAlreadyEndsTheRetriesIsKept() {
    var control =
        retries.afterError(
            ErrorStatusUpdateControl.<EcsService>noStatusUpdate().withNoRetry(),
            service("u"),
            attempt(5, true));

    assertThat(control.getScheduleDelay()).isEmpty();
  }

  /**
   * Every controller's failed reconcile reaches {@link ExhaustedRetries}: the controllers with a
   * status override {@code updateErrorStatus} (StatusRecorder.recordError ends there); the cleanup
   * controllers, whose failures happen in {@code cleanup} where that hook is not called, have a
   * max-reconciliation-interval instead of the Operator SDK's 10 hours.
   */
  @Test
  void everyControllerIsRescheduledAfterItsRetriesRunOut() throws Exception {
    Path classes = Path.of("target/classes/dev/tidewater/controller");
    List<Class<?>> controllers;
    try (Stream<Path> files = Files.list(classes)) {
      controllers =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".class") && !n.contains("$"))
              .<Class<?>>map(n -> load("dev.tidewater.controller." + n.replace(".class", "")))
              .filter(c -> c.isAnnotationPresent(ControllerConfiguration.class))
              .toList();
    }
    String properties;
    try {
      properties = Files.readString(Path.of("src/main/resources/application.properties"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(controllers).hasSizeGreaterThanOrEqualTo(9);
    for (Class<?> c : controllers) {
      String name = c.getAnnotation(ControllerConfiguration.class).name();
      if (name.endsWith("-cleanup")) {
        assertThat(properties)
            .as("%s has a max-reconciliation-interval", name)
            .contains("quarkus.operator-sdk.controllers." + name + ".max-reconciliation-interval=");
      } else {
        var method =
            c.getMethod(
                "updateErrorStatus",
                io.fabric8.kubernetes.api.model.HasMetadata.class,
                io.javaoperatorsdk.operator.api.reconciler.Context.class,
                Exception.class);
        assertThat(method.getDeclaringClass())
            .as("%s overrides updateErrorStatus", c.getSimpleName())
            .isNotEqualTo(Reconciler.class);
      }
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
