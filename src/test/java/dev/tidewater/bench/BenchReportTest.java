package dev.tidewater.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static BenchReport.Convergence run(String system, int n, Double seconds, int converged) {
    return new BenchReport.Convergence(
        system,
        n,
        "all",
        1.0,
        seconds,
        converged,
        0,
        BenchReport.Latency.of(List.of(100.0, 200.0)),
        null,
        null,
        Map.of(),
        2.0,
        Map.of("kube-apiserver", seconds == null ? 1.0 : seconds / 2, "operator", 0.5));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
    BenchReport.Latency l = BenchReport.Latency.of(hundred);
    assertThat(l.p50()).isEqualTo(50.0);
    assertThat(l.p99()).isEqualTo(99.0);
    assertThat(l.max()).isEqualTo(100.0);
    assertThat(BenchReport.Latency.of(List.of(7.0)).p99()).isEqualTo(7.0);
    assertThat(BenchReport.Latency.of(List.of()).samples()).isZero();
  }

  @Test
  void theRatioIsTidewaterOverTheBaselineOnlyWhenBothConvergedFully() {
    BenchReport report = new BenchReport();
    report.convergence.add(run("baseline", 100, 10.0, 100));
    report.convergence.add(run("tidewater", 100, 15.0, 100));
    report.convergence.add(run("baseline", 1000, 50.0, 1000));
    report.convergence.add(run("tidewater", 1000, null, 990));
    assertThat(report.ratio(100, "all")).contains(1.5);
    assertThat(report.ratio(1000, "all")).isEmpty();
    assertThat(report.table()).contains("1.50").contains("990/1000");
    assertThat(report.table())
        .contains("CPU seconds by process")
        .containsPattern("100 +all tidewater +\\| +7\\.5 \\| +0\\.5 \\| +8\\.0");
  }
}
