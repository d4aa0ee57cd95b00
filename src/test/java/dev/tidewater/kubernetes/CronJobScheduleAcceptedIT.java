package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.model.CronJobScheduleTranslator;
import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rendered is accepted (DESIGN rule 12) for schedules: the API server accepts a CronJob with every
 * schedule and time zone the translator produces — for the documented expressions, every rate form,
 * and every zone id of the JVM the parser lets through.
 */
class CronJobScheduleAcceptedIT {

  private static TestGround ground;
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void setUp() {
    ground = TestGround.get();
    client = ground.admin();
    ns = ground.createNamespace("cron-accepted");
  }

  @AfterAll
  static void tearDown() {
    if (ns != null) ground.deleteNamespace(ns);
  }

  private static List<String> expressions() {
    List<String> e =
        new ArrayList<>(
            List.of(
                "cron(0 10 * * ? *)",
                "cron(0 18 ? * MON-FRI *)",
                "cron(0/15 * * * ? *)",
                "cron(1/10 * * * ? *)",
                "cron(0/5 8-17 ? * MON-FRI *)",
                "cron(0/30 20-2 ? * MON-FRI *)",
                "cron(5,35 14 * * ? *)",
                "cron(0 0 1/7 * ? *)",
                "cron(0 0 ? * FRI-MON *)",
                "cron(0 0 ? * L *)",
                "cron(30 14 10,20 * ? 2026-2030)",
                "at(2027-03-01T09:30:00)"));
    for (int n : new int[] {1, 2, 5, 7, 13, 30, 45, 59, 60, 120}) {
      e.add("rate(" + n + (n == 1 ? " minute)" : " minutes)"));
    }
    for (int n : new int[] {1, 2, 5, 12, 23}) {
      e.add("rate(" + n + (n == 1 ? " hour)" : " hours)"));
    }
    for (int n = 1; n <= 31; n++) {
      e.add("rate(" + n + (n == 1 ? " day)" : " days)"));
    }
    return e;
  }

  private static CronJob cronJob(String name, CronJobSchedule schedule) {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withSchedule(schedule.schedule())
        .withTimeZone(schedule.timeZone())
        .withConcurrencyPolicy("Allow")
        .withNewJobTemplate()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("task")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .endJobTemplate()
        .endSpec()
        .build();
  }

  private static Translation translate(String expression, String zone) {
    return CronJobScheduleTranslator.translate(
        expression, zone, Optional.of(Instant.parse("2027-01-01T10:07:00Z")), "s", "z");
  }

  @Test
  void everyTranslatedScheduleIsAccepted() {
    int i = 0;
    for (String expression : expressions()) {
      Translation t = translate(expression, "Europe/Paris");
      if (t.cronJob().isEmpty()) {
        continue;
      }
      CronJob accepted = client.resource(cronJob("s" + i++, t.cronJob().get())).dryRun().create();
      assertThat(accepted.getSpec().getSchedule())
          .as(expression)
          .isEqualTo(t.cronJob().get().schedule());
    }
    assertThat(i).isGreaterThan(40);
  }

  @Test
  void everyZoneTheParserAcceptsIsAccepted() {
    List<String> zones =
        Stream.concat(ZoneId.getAvailableZoneIds().stream(), Stream.of("UTC")).sorted().toList();
    int i = 0;
    List<String> refused = new ArrayList<>();
    for (String zone : zones) {
      Translation t = translate("cron(0 10 * * ? *)", zone);
      if (t.cronJob().isEmpty()) {
        continue;
      }
      try {
        client.resource(cronJob("z" + i++, t.cronJob().get())).dryRun().create();
      } catch (KubernetesClientException e) {
        refused.add(zone + ": " + e.getStatus().getMessage());
      }
    }
    assertThat(refused).isEmpty();
    assertThat(i).isGreaterThan(500);
  }
}
