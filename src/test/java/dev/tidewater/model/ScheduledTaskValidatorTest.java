package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schedule of a ScheduledTask: AWS's rules everywhere, the CronJob's on kubernetes only. */
class ScheduledTaskValidatorTest {

  private static final ValidationContext KUBERNETES = ValidationContext.forCluster(null);
  private static final ValidationContext ECS = ValidationContext.forCluster(ecsCluster());

  private static ClusterSpec ecsCluster() {
    ClusterSpec c = new ClusterSpec();
    c.backend = "ecs";
    return c;
  }

  private static ScheduledTaskSpec spec(String expression) {
    ScheduledTaskSpec s = new ScheduledTaskSpec();
    s.scheduleExpression = expression;
    return s;
  }

  @Test
  void whatOnlyKubernetesCannotRunIsRefusedOnKubernetesOnly() {
    ScheduledTaskSpec lastFriday = spec("cron(15 10 ? * 6L *)");
    assertOnly(
        ScheduledTaskValidator.validate(lastFriday, KUBERNETES, Optional.empty()),
        "scheduleExpression",
        CronJobScheduleTranslator.SCHEDULE_NOT_TRANSLATABLE,
        "6L");
    assertThat(ScheduledTaskValidator.validate(lastFriday, ECS, Optional.empty())).isEmpty();
    // The CLI without a Cluster checks what AWS checks.
    assertThat(
            ScheduledTaskValidator.validate(lastFriday, ValidationContext.NONE, Optional.empty()))
        .isEmpty();
  }

  @Test
  void whatAwsRefusesIsRefusedEverywhere() {
    for (ValidationContext context :
        new ValidationContext[] {KUBERNETES, ECS, ValidationContext.NONE}) {
      assertOnly(
          ScheduledTaskValidator.validate(spec("cron(0 10 * * * *)"), context, Optional.empty()),
          "scheduleExpression",
          EventBridgeScheduleParser.INVALID_SCHEDULE_EXPRESSION,
          "exactly one");
      ScheduledTaskSpec zone = spec("rate(1 day)");
      zone.scheduleExpressionTimezone = "+02:00";
      assertOnly(
          ScheduledTaskValidator.validate(zone, context, Optional.empty()),
          "scheduleExpressionTimezone",
          EventBridgeScheduleParser.INVALID_SCHEDULE_EXPRESSION_TIMEZONE,
          "+02:00");
    }
  }

  @Test
  void datesAreTimestampsInOrder() {
    ScheduledTaskSpec s = spec("rate(1 day)");
    s.startDate = "2027-01-02T00:00:00Z";
    s.endDate = "2027-01-01T00:00:00Z";
    assertOnly(
        ScheduledTaskValidator.validate(s, ECS, Optional.empty()),
        "endDate",
        ScheduledTaskValidator.START_DATE_NOT_BEFORE_END_DATE,
        "2027-01-01T00:00:00Z");
    s.endDate = "tomorrow";
    assertOnly(
        ScheduledTaskValidator.validate(s, ECS, Optional.empty()),
        "endDate",
        ScheduledTaskValidator.INVALID_TIMESTAMP,
        "\"tomorrow\"");
  }

  @Test
  void aRateIsPhasedByTheStartDateElseTheCreation() {
    ScheduledTaskSpec s = spec("rate(15 minutes)");
    Optional<Instant> created = Optional.of(Instant.parse("2027-01-01T08:04:00Z"));
    assertThat(ScheduledTaskValidator.translate(s, created).cronJob().orElseThrow().schedule())
        .isEqualTo("4-49/15 * * * *");
    s.startDate = "2027-01-01T10:07:00+01:00";
    assertThat(ScheduledTaskValidator.translate(s, created).cronJob().orElseThrow().schedule())
        .isEqualTo("7-52/15 * * * *");
  }

  @Test
  void warningsOnKubernetesOnly() {
    ScheduledTaskSpec s = spec("rate(7 minutes)");
    assertThat(ScheduledTaskValidator.warnings(s, KUBERNETES, Optional.empty()))
        .extracting(StatusWarning::reason)
        .containsExactly(CronJobScheduleTranslator.RATE_APPROXIMATED);
    assertThat(ScheduledTaskValidator.warnings(s, ECS, Optional.empty())).isEmpty();
  }
}
