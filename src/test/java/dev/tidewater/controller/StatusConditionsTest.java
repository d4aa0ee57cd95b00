package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final StatusConditions conditions =
      new StatusConditions(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now;
            }
          });

  private boolean apply(TidewaterStatus status, long generation, boolean ready, String reason) {
    return conditions.apply(
        status,
        generation,
        List.of(StatusConditions.condition("Ready", ready, reason, "msg " + reason)),
        List.of());
  }

  @Test
  void firstApplyChangesAndStampsEverything() {
    TidewaterStatus status = new TidewaterStatus();

    assertThat(apply(status, 3, true, "Ok")).isTrue();

    assertThat(status.getObservedGeneration()).isEqualTo(3);
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getObservedGeneration()).isEqualTo(3);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
            });
  }

  @Test
  void sameConditionsLaterAreNoChange() {
    TidewaterStatus status = new TidewaterStatus();
    apply(status, 3, true, "Ok");
    now = now.plusSeconds(600);

    assertThat(apply(status, 3, true, "Ok")).isFalse();
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void reasonChangeKeepsTransitionTimeStatusChangeMovesIt() {
    TidewaterStatus status = new TidewaterStatus();
    apply(status, 1, true, "Ok");
    now = now.plusSeconds(60);

    assertThat(apply(status, 1, true, "StillOk")).isTrue();
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-01-01T00:00:00Z");

    assertThat(apply(status, 2, false, "Broken")).isTrue();
    assertThat(status.getConditions().get(0).getLastTransitionTime())
        .isEqualTo("2026-01-01T00:01:00Z");
  }

  @Test
  void warningsAreAChange() {
    TidewaterStatus status = new TidewaterStatus();
    apply(status, 1, true, "Ok");

    boolean changed =
        conditions.apply(
            status,
            1,
            List.of(StatusConditions.condition("Ready", true, "Ok", "msg Ok")),
            List.of(new StatusWarning("spec.x", "NotSupported", "ignored")));

    assertThat(changed).isTrue();
    assertThat(status.getWarnings()).hasSize(1);
  }
}
