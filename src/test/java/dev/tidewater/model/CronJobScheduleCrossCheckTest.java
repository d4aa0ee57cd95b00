package dev.tidewater.model;

import static dev.tidewater.model.CronJobScheduleTranslator.DST_CHANGE_MISSTEPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Outcome;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Writes the input of hack/cron-crosscheck.sh, which compares the Java reference evaluators with
 * robfig/cron itself; skipped unless {@code -Dtidewater.cron.crosscheck=<file prefix>} is given.
 */
class CronJobScheduleCrossCheckTest {

  private static final int SCHEDULES = 6000;
  private static final int RUNS = 40;

  @Test
  void writeCases() throws IOException {
    String prefix = System.getProperty("tidewater.cron.crosscheck");
    assumeTrue(prefix != null && !prefix.isBlank(), "run through hack/cron-crosscheck.sh");
    CronJobScheduleEquivalenceTest generators = new CronJobScheduleEquivalenceTest();
    List<String> crons = generators.crons().sampleStream().limit(SCHEDULES).toList();
    List<String> zones = generators.zones().sampleStream().limit(SCHEDULES).toList();
    List<Instant> starts = generators.starts().sampleStream().limit(SCHEDULES).toList();
    int exact = 0;
    int approximated = 0;
    try (PrintWriter eventBridge = new PrintWriter(prefix + ".eventbridge");
        PrintWriter kubernetes = new PrintWriter(prefix + ".kubernetes")) {
      for (int i = 0; i < SCHEDULES; i++) {
        Translation t =
            CronJobScheduleTranslator.translate(
                crons.get(i), zones.get(i), Optional.empty(), "s", "z");
        if (t.cronJob().isEmpty()) {
          continue;
        }
        CronJobSchedule c = t.cronJob().get();
        ZoneId zone = ZoneId.of(c.timeZone());
        if (t.warnings().stream().noneMatch(w -> w.reason().equals(DST_CHANGE_MISSTEPPED))) {
          List<Instant> runs =
              new KubernetesCronReference(c.schedule()).next(starts.get(i), zone, RUNS);
          kubernetes.println(line(c, starts.get(i), runs));
          // a schedule that never runs (30 February) is a case too, but compares no times
          if (runs.size() == RUNS) approximated++;
        }
        if (t.outcome() == Outcome.EXACT) {
          List<Instant> runs =
              new EventBridgeCronReference(crons.get(i)).next(starts.get(i), zone, RUNS);
          eventBridge.println(line(c, starts.get(i), runs));
          if (runs.size() == RUNS) exact++;
        }
      }
    }
    // both files must give the cross-check run times to compare, not only schedules that never run
    assertThat(exact).as("exact translations with %d runs written", RUNS).isPositive();
    assertThat(approximated)
        .as("Kubernetes reference cases with %d runs written", RUNS)
        .isPositive();
  }

  private static String line(CronJobSchedule c, Instant start, List<Instant> runs) {
    return c.schedule()
        + "|"
        + c.timeZone()
        + "|"
        + start.getEpochSecond()
        + "|"
        + runs.stream()
            .map(r -> String.valueOf(r.getEpochSecond()))
            .collect(Collectors.joining(","));
  }
}
