package dev.tidewater.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BenchReportTest {

  private static BenchReport.Convergence run(String system, int n, Double seconds, int converged) {
    return run(system, n, seconds, converged, BenchReport.SHARED, null, null, null);
  }

  private static BenchReport.Convergence run(
      String system,
      int n,
      Double seconds,
      int converged,
      String cores,
      Double operatorCpu,
      Integer writes,
      Map<String, Integer> byKind) {
    return new BenchReport.Convergence(
        system,
        n,
        "all",
        cores,
        1.0,
        seconds,
        converged,
        0,
        BenchReport.Latency.of(List.of(100.0, 200.0)),
        operatorCpu,
        writes,
        byKind,
        2.0,
        Map.of("kube-apiserver", seconds == null ? 1.0 : seconds / 2, "operator", 0.5));
  }

  /** A Tidewater run of 100 workloads: 590 writes, of which 100 Event creates and 10 patches. */
  private static BenchReport.Convergence tidewater100(String cores, Double seconds) {
    return run(
        "tidewater",
        100,
        seconds,
        100,
        cores,
        6.3,
        700,
        Map.of(
            "create controllerrevisions", 100,
            "patch deployments", 100,
            "patch taskdefinitions/status", 100,
            "patch services/status", 290,
            "create events", 100,
            "patch events", 10));
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
    assertThat(report.ratio("baseline", 100, "all", BenchReport.SHARED)).contains(1.5);
    assertThat(report.ratio("baseline", 1000, "all", BenchReport.SHARED)).isEmpty();
    assertThat(report.table()).contains("1.50").contains("990/1000");
    assertThat(report.table())
        .contains("CPU seconds by process")
        .containsPattern("100 +all +shared +tidewater +\\| +7\\.5 \\| +0\\.5 \\| +8\\.0");
  }

  @Test
  void theFloorHasItsOwnColumnsAndRatioBesideTheBaseline() {
    BenchReport report = new BenchReport();
    report.convergence.add(run("floor", 1000, 40.0, 1000));
    report.convergence.add(run("baseline", 1000, 30.0, 1000));
    report.convergence.add(run("tidewater", 1000, 60.0, 1000));
    assertThat(report.ratio("floor", 1000, "all", BenchReport.SHARED)).contains(1.5);
    assertThat(report.ratio("baseline", 1000, "all", BenchReport.SHARED)).contains(2.0);
    // floor s, ok, baseline s, ok, tidewater s, ok, fails, tw/base, tw/floor on one line
    assertThat(report.table())
        .containsPattern(
            "1000 +all +shared \\| +40\\.0 +1000/1000 \\| +30\\.0 +1000/1000 \\| +60\\.0 +1000/1000"
                + " +0 \\| +2\\.00 \\| +1\\.50 \\|");
    // the floor's CPU row, before the baseline's and Tidewater's
    assertThat(report.table())
        .containsPattern("(?s)1000 +all +shared floor .*1000 +all +shared baseline .*tidewater");
  }

  @Test
  void pinnedRunsAreComparedOnlyWithPinnedRunsAndListedAfterTheSharedOnes() {
    BenchReport report = new BenchReport();
    report.convergence.add(run("baseline", 1000, 30.0, 1000, BenchReport.PINNED, null, null, null));
    report.convergence.add(
        run("tidewater", 1000, 36.0, 1000, BenchReport.PINNED, null, null, null));
    report.convergence.add(run("baseline", 1000, 30.0, 1000));
    report.convergence.add(run("tidewater", 1000, 60.0, 1000));
    assertThat(report.ratio("baseline", 1000, "all", BenchReport.PINNED))
        .hasValueSatisfying(r -> assertThat(r).isCloseTo(1.2, within(1e-9)));
    assertThat(report.ratio("baseline", 1000, "all", BenchReport.SHARED)).contains(2.0);
    assertThat(report.ratio("floor", 1000, "all", BenchReport.PINNED)).isEmpty();
    assertThat(report.table()).containsPattern("(?s)1000 +all +shared .*1000 +all +pinned");

    report.pinning =
        new BenchReport.Pinning(
            "0", "1", Map.of("kube-apiserver", "0", "operator", "1"), List.of());
    assertThat(report.table())
        .contains(
            "pinned runs: control plane, kwok, moto and driver on CPU 0, operator on CPU 1;"
                + " Cpus_allowed_list read back: apiserver 0, operator 1")
        .doesNotContain("NOT pinned");
    report.pinning =
        new BenchReport.Pinning(
            "0", "1", Map.of("operator", "1"), List.of("operator: 1 of 40 threads not on 1"));
    assertThat(report.table()).contains("NOT pinned: operator: 1 of 40 threads not on 1");
  }

  @Test
  void writesPerWorkloadCountEventsApartAndCpuPerConvergedWorkload() {
    BenchReport.Convergence tw = tidewater100(BenchReport.SHARED, 8.0);
    assertThat(tw.operatorEvents()).isEqualTo(110);
    assertThat(tw.operatorWritesPerWorkload()).isEqualTo(5.9);
    assertThat(tw.eventsPerWorkload()).isEqualTo(1.1);
    assertThat(tw.operatorCpuMillisPerConvergedWorkload()).isCloseTo(63.0, within(1e-9));
    assertThat(tw.operatorWritesPerWorkloadByKind()).containsEntry("patch services/status", 2.9);

    BenchReport.Convergence half =
        run("tidewater", 100, null, 50, BenchReport.SHARED, 6.3, null, null);
    assertThat(half.operatorCpuMillisPerConvergedWorkload()).isCloseTo(126.0, within(1e-9));
    // writes not counted (the audit log rotated): no per-workload figure rather than a wrong one
    assertThat(half.operatorWritesPerWorkload()).isNull();
    assertThat(half.eventsPerWorkload()).isNull();
    assertThat(run("baseline", 100, 3.0, 100).operatorCpuMillisPerConvergedWorkload()).isNull();

    assertThat(BenchReport.isEvent("create events")).isTrue();
    assertThat(BenchReport.isEvent("patch events -> 404")).isTrue();
    assertThat(BenchReport.isEvent("patch services/status")).isFalse();
    assertThat(BenchReport.isEvent("create eventsources")).isFalse();
  }

  @Test
  void eachPerWorkloadFigureIsARowWithAColumnPerTidewaterRun() {
    BenchReport report = new BenchReport();
    report.convergence.add(tidewater100(BenchReport.SHARED, 8.0));
    report.convergence.add(tidewater100(BenchReport.PINNED, 7.0));
    report.convergence.add(run("baseline", 100, 3.0, 100));
    String table = report.table();
    assertThat(table).containsPattern("\\| +100 all \\| +100 all pinned\n");
    assertThat(table)
        .containsPattern("operator writes \\(Events aside\\) +\\| +5\\.90 \\| +5\\.90\n");
    assertThat(table).containsPattern("Events +\\| +1\\.10 \\| +1\\.10\n");
    assertThat(table)
        .containsPattern("operator CPU ms / converged workload \\| +63\\.0 \\| +63\\.0\n");
    assertThat(table).containsPattern("  patch services/status +\\| +2\\.90 \\| +2\\.90\n");
    assertThat(table).containsPattern("  create controllerrevisions +\\| +1\\.00 \\| +1\\.00\n");
  }

  @Test
  void theJsonCarriesThePerWorkloadFiguresAndDescribeRulesPerListener() throws Exception {
    BenchReport report = new BenchReport();
    report.convergence.add(tidewater100(BenchReport.SHARED, 8.0));
    report.memory.add(new BenchReport.Memory(100, 50.0, 400.0));
    report.memory.add(new BenchReport.Memory(10_100, 1050.0, 1600.0));
    report.routes =
        new BenchReport.Routes(
            40,
            2,
            200,
            12.0,
            40,
            Map.of(),
            60.0,
            2,
            Map.of("ElasticLoadBalancingV2:DescribeRules", 80.0),
            "ElasticLoadBalancingV2:DescribeRules",
            80.0,
            0,
            0);
    JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(report));
    JsonNode c = json.path("convergence").get(0);
    assertThat(c.path("cores").asText()).isEqualTo("shared");
    assertThat(c.path("operatorWritesPerWorkload").asDouble()).isEqualTo(5.9);
    assertThat(c.path("eventsPerWorkload").asDouble()).isEqualTo(1.1);
    assertThat(c.path("operatorEvents").asInt()).isEqualTo(110);
    assertThat(c.path("operatorCpuMillisPerConvergedWorkload").asDouble())
        .isCloseTo(63.0, within(1e-9));
    assertThat(c.path("operatorWritesPerWorkloadByKind").path("create events").asDouble())
        .isEqualTo(1.0);
    assertThat(json.path("routes").path("describeRulesPerListenerPerResync").asDouble())
        .isEqualTo(20.0);
    assertThat(json.path("routes").path("describeRulesPerRoutePerResync").asDouble())
        .isEqualTo(1.0);
    JsonNode mem = json.path("memoryPerWorkload");
    assertThat(mem.get(0).path("kibPerAddedWorkload").isNull()).isTrue();
    assertThat(mem.get(1).path("fromN").asInt()).isEqualTo(100);
    assertThat(mem.get(1).path("kibPerAddedWorkload").asDouble()).isCloseTo(102.4, within(1e-9));
  }

  @Test
  void memoryPerWorkloadIsTheHeapAddedAboveTheSmallestNAndThePlainQuotient() {
    BenchReport report = new BenchReport();
    report.memory.add(new BenchReport.Memory(1000, 125.0, 600.0));
    report.memory.add(new BenchReport.Memory(100, 50.0, 400.0));
    report.memory.add(new BenchReport.Memory(10_000, 1040.0, 1600.0));
    BenchReport.MemoryPerWorkload small = report.perWorkload(report.memory.get(1));
    assertThat(small.fromN()).isNull();
    assertThat(small.kibPerAddedWorkload()).isNull();
    assertThat(small.heapKiBPerWorkload()).isEqualTo(512.0);
    BenchReport.MemoryPerWorkload big = report.perWorkload(report.memory.get(2));
    assertThat(big.fromN()).isEqualTo(100);
    // (1040 - 50) MiB over 9900 workloads
    assertThat(big.kibPerAddedWorkload()).isCloseTo(990.0 * 1024 / 9900, within(1e-9));
    assertThat(big.heapKiBPerWorkload()).isCloseTo(1040.0 * 1024 / 10_000, within(1e-9));

    report.memoryPoint = new BenchReport.MemoryPoint(10_000, 1000, 10_000, 0, 800.0, "2g");
    String table = report.table();
    // rows by N, the smallest without a figure above itself
    assertThat(table)
        .containsPattern("(?s)\n +100 \\| +50\\.0 .*\n +1000 \\| .*\n +10000 \\| +1040\\.0");
    assertThat(table).containsPattern("\n +100 \\| +50\\.0 \\| +400\\.0 \\| +512\\.0 \\| -\n");
    assertThat(table).contains("102.4 (from N = 100)");
    assertThat(table)
        .contains("memory point: 10000/10000 workloads converged in 800.0 s (batches of 1000");
  }

  @Test
  void routesReportDescribeRulesPerListenerPerResync() {
    BenchReport report = new BenchReport();
    report.routes =
        new BenchReport.Routes(
            10,
            2,
            5,
            null,
            9,
            Map.of(),
            60.0,
            2,
            Map.of("ElasticLoadBalancingV2:DescribeRules", 24.0),
            "ElasticLoadBalancingV2:DescribeRules",
            24.0,
            1,
            0);
    assertThat(report.routes.describeRulesPerListenerPerResync()).isEqualTo(6.0);
    assertThat(report.routes.describeRulesPerRoutePerResync()).isEqualTo(1.2);
    assertThat(report.table())
        .contains("10 LoadBalancerRoutes over 2 listeners")
        .contains("Ready 9/10 in - s")
        .contains("24 in the window = 6.00 per listener per resync (1.20 per route per resync)")
        .contains("AWS writes 1;");
  }
}
