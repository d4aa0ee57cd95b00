package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.taskrole.TaskRoleStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IamDriftChecksTest {

  private static final String ARN = "arn:aws:iam::123456789012:role/ns-web";

  /** A clock the test moves. */
  private static final class Ticking extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
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
  }

  private static TaskRole role(long generation, String statusArn) {
    TaskRole role = new TaskRole();
    role.setMetadata(
        new ObjectMetaBuilder()
            .withName("web")
            .withNamespace("ns")
            .withUid("u-1")
            .withGeneration(generation)
            .build());
    TaskRoleStatus status = new TaskRoleStatus();
    status.roleArn = statusArn;
    role.setStatus(status);
    return role;
  }

  private final Ticking clock = new Ticking();
  private final IamDriftChecks checks = new IamDriftChecks(Duration.ofHours(1), clock);

  @Test
  void aCheckedRoleIsNotReadAgainWithinThePeriod() {
    assertThat(checks.due(role(1, null), "c1")).as("never checked").isTrue();
    checks.checked(role(1, null), "c1", ARN);
    clock.now = clock.now.plus(Duration.ofMinutes(59));
    assertThat(checks.due(role(1, ARN), "c1")).isFalse();
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    assertThat(checks.due(role(1, ARN), "c1")).as("the slow pass").isTrue();
  }

  @Test
  void aChangeOfTheTaskRoleItsClusterOrItsStatusIsCheckedAtOnce() {
    checks.checked(role(1, null), "c1", ARN);
    assertThat(checks.due(role(2, ARN), "c1")).as("new generation").isTrue();
    assertThat(checks.due(role(1, ARN), "c2")).as("Cluster spec changed").isTrue();
    assertThat(checks.due(role(1, null), "c1")).as("status lost its role ARN").isTrue();
    assertThat(checks.due(role(1, ARN), "c1")).isFalse();
    checks.forget(role(1, ARN));
    assertThat(checks.due(role(1, ARN), "c1")).as("after a failure").isTrue();
  }
}
