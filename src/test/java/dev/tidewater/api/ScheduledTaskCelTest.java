package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.model.EventBridgeScheduleParser;
import dev.tidewater.model.Problem;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CEL rules on scheduleExpression never refuse what the validator accepts, and refuse what they
 * are there to refuse: each rule has the form {@code !startsWith(prefix) || matches(re) || ...},
 * evaluated here with the rule's own regular expressions (RE2 and java.util.regex agree on the
 * constructs they use). The rules were also applied to a real API server by hand.
 */
class ScheduledTaskCelTest {

  private static final Pattern STARTS_WITH = Pattern.compile("startsWith\\('([^']*)'\\)");
  private static final Pattern MATCHES = Pattern.compile("matches\\('((?:[^'\\\\]|\\\\.)*)'\\)");

  /** Whether every expression rule of ScheduledTaskSpec accepts {@code expression}. */
  private static boolean celAccepts(String expression) {
    List<String> refusedBy = new ArrayList<>();
    for (ValidationRule rule : ScheduledTaskSpec.class.getAnnotationsByType(ValidationRule.class)) {
      if (!rule.value().startsWith("!self.scheduleExpression.startsWith(")) {
        continue;
      }
      Matcher prefix = STARTS_WITH.matcher(rule.value());
      assertThat(prefix.find()).isTrue();
      if (!expression.startsWith(prefix.group(1))) {
        continue;
      }
      Matcher m = MATCHES.matcher(rule.value());
      boolean any = false;
      while (m.find()) {
        // A CEL single-quoted string: \\ is one backslash.
        any |= Pattern.compile(m.group(1).replace("\\\\", "\\")).matcher(expression).find();
      }
      if (!any) {
        refusedBy.add(rule.message());
      }
    }
    return refusedBy.isEmpty();
  }

  private static boolean validatorAccepts(String expression) {
    List<Problem> problems = new ArrayList<>();
    return EventBridgeScheduleParser.parse(expression, "scheduleExpression", problems).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cron(0 10 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0/30 20-2 ? * MON-FRI *)",
        "cron(15 10 ? * 6L 2019-2022)",
        "cron(0 5 L * ? *)",
        "cron(0 5 ? * 3#2 *)",
        "cron(0  10  *  *  ?  *)",
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(12 hours)",
        "rate(1 day)",
        "rate(100 days)",
        "rate(01 minute)",
        "at(2027-03-01T09:30:00)",
      })
  void acceptsWhatTheValidatorAccepts(String expression) {
    assertThat(validatorAccepts(expression)).as("validator").isTrue();
    assertThat(celAccepts(expression)).as("CEL").isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cron(0 10 * * * *)",
        "cron(0 10 ? * ? *)",
        "cron(0 10 * * ?)",
        "cron(0 10 * * ? * *)",
        "rate(1 hours)",
        "rate(5 hour)",
        "rate(0 minutes)",
        "rate(01 minutes)",
      })
  void refusesWhatTheValidatorRefuses(String expression) {
    assertThat(validatorAccepts(expression)).as("validator").isFalse();
    assertThat(celAccepts(expression)).as("CEL").isFalse();
  }
}
