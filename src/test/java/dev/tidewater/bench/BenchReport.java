package dev.tidewater.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What one benchmark run measured, and its text table; serialised as the JSON results file. */
final class BenchReport {

  /** The machine and the settings both systems ran with. */
  record Setup(
      int cores,
      long memoryMiB,
      String java,
      String operatorHeap,
      int resyncSeconds,
      int controlPlaneQps,
      int controlPlaneBurst,
      List<String> corpusRotation,
      String startedAt) {}

  /** p50 / p99 / max of a sample, in milliseconds, and its size. */
  record Latency(double p50, double p99, double max, int samples) {
    static Latency of(List<Double> millis) {
      if (millis.isEmpty()) return new Latency(Double.NaN, Double.NaN, Double.NaN, 0);
      List<Double> sorted = millis.stream().sorted().toList();
      return new Latency(
          nearestRank(sorted, 50),
          nearestRank(sorted, 99),
          sorted.get(sorted.size() - 1),
          sorted.size());
    }

    /** The nearest-rank percentile of a sorted sample. */
    static double nearestRank(List<Double> sorted, int percentile) {
      int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
      return sorted.get(Math.max(0, rank - 1));
    }
  }

  /**
   * One convergence run: {@code system} is tidewater or baseline; {@code rate} is "all" or pairs
   * per second; times in seconds from the first create request; {@code converged} workloads of
   * {@code n}; latency only for tidewater; the CPU seconds each process on the machine used from
   * the first create until convergence.
   */
  record Convergence(
      String system,
      int n,
      String rate,
      double submitSeconds,
      Double convergeSeconds,
      int converged,
      int failedCreates,
      Latency createToDeployment,
      Double operatorCpuSeconds,
      Integer operatorWrites,
      Map<String, Integer> operatorWritesByKind,
      double cleanupSeconds,
      Map<String, Double> cpuSecondsByProcess) {}

  /** Operator memory with {@code n} converged workloads: heap in use after a full GC, and RSS. */
  record Memory(int n, double heapAfterGcMiB, double rssMiB) {}

  /**
   * Steady state after convergence of {@code n} workloads, over {@code windowSeconds} (two resync
   * periods): the operator's writes as the audit log recorded them, by verb and resource, its
   * reconciles (from its metrics) and CPU time.
   */
  record Steady(
      int n,
      double windowSeconds,
      int writes,
      Map<String, Integer> writesByKind,
      double reconciles,
      double cpuSeconds,
      Map<String, Double> awsCalls) {}

  /** The ecs backend on moto. */
  record Ecs(
      int n,
      Double convergeSeconds,
      int converged,
      Map<String, Double> callsToConverge,
      double windowSeconds,
      Map<String, Double> callsInWindow,
      double describeServicesPerResync,
      int expectedDescribeServicesPerResync,
      double awsWritesInWindow,
      int apiServerWritesInWindow,
      double cleanupSeconds) {}

  /** Process launch to first reconcile and to readiness, in milliseconds. */
  record Startup(long firstReconcileMillis, long readyMillis) {}

  Setup setup;
  Startup startup;
  final List<Convergence> convergence = new ArrayList<>();
  final List<Memory> memory = new ArrayList<>();
  final List<Steady> steady = new ArrayList<>();
  Ecs ecs;
  final List<String> notes = new ArrayList<>();

  // Jackson reads the fields through getters
  public Setup getSetup() {
    return setup;
  }

  public Startup getStartup() {
    return startup;
  }

  public List<Convergence> getConvergence() {
    return convergence;
  }

  public List<Memory> getMemory() {
    return memory;
  }

  public List<Steady> getSteady() {
    return steady;
  }

  public Ecs getEcs() {
    return ecs;
  }

  public List<String> getNotes() {
    return notes;
  }

  /** Tidewater's convergence time over the baseline's at the same N and rate, when both exist. */
  Optional<Double> ratio(int n, String rate) {
    Optional<Double> tw = seconds("tidewater", n, rate);
    Optional<Double> base = seconds("baseline", n, rate);
    return tw.isPresent() && base.isPresent() && base.get() > 0
        ? Optional.of(tw.get() / base.get())
        : Optional.empty();
  }

  private Optional<Double> seconds(String system, int n, String rate) {
    return convergence.stream()
        .filter(c -> c.system().equals(system) && c.n() == n && c.rate().equals(rate))
        .filter(c -> c.converged() == c.n())
        .map(Convergence::convergeSeconds)
        .findFirst();
  }

  /** The results as the table the command prints. */
  String table() {
    StringBuilder out = new StringBuilder();
    if (setup != null) {
      out.append(
          fmt(
              "machine: %d cores, %d MiB; %s; operator -Xmx%s, resync %d s;"
                  + " kube-controller-manager / kube-scheduler --kube-api-qps %d --kube-api-burst %d%n",
              setup.cores(),
              setup.memoryMiB(),
              setup.java(),
              setup.operatorHeap(),
              setup.resyncSeconds(),
              setup.controlPlaneQps(),
              setup.controlPlaneBurst()));
    }
    if (startup != null) {
      out.append(
          fmt(
              "startup: launch -> first reconcile %d ms, -> ready %d ms%n",
              startup.firstReconcileMillis(), startup.readyMillis()));
    }
    out.append(
        fmt(
            "%nconvergence, kubernetes backend (seconds from the first create until every workload"
                + " converged)%n"));
    out.append(
        fmt(
            "%6s %5s | %10s %7s | %10s %7s %6s | %8s | %25s | %7s | %9s%n",
            "N",
            "rate",
            "baseline s",
            "ok",
            "tidewater s",
            "ok",
            "fails",
            "tw/base",
            "svc->Deployment p50/p99/max ms",
            "op CPU s",
            "op writes"));
    Map<String, List<Convergence>> byKey = new TreeMap<>();
    for (Convergence c : convergence) {
      byKey
          .computeIfAbsent(
              // all at once first, then the rates
              String.format(Locale.ROOT, "%08d/%s", c.n(), c.rate().equals("all") ? "" : c.rate()),
              k -> new ArrayList<>())
          .add(c);
    }
    byKey.forEach(
        (k, list) -> {
          Convergence base =
              list.stream().filter(c -> c.system().equals("baseline")).findFirst().orElse(null);
          Convergence tw =
              list.stream().filter(c -> c.system().equals("tidewater")).findFirst().orElse(null);
          Convergence any = base != null ? base : tw;
          out.append(
              fmt(
                  "%6d %5s | %10s %7s | %10s %7s %6s | %8s | %25s | %7s | %9s%n",
                  any.n(),
                  any.rate(),
                  base == null ? "-" : secs(base.convergeSeconds()),
                  base == null ? "-" : base.converged() + "/" + base.n(),
                  tw == null ? "-" : secs(tw.convergeSeconds()),
                  tw == null ? "-" : tw.converged() + "/" + tw.n(),
                  tw == null ? "-" : String.valueOf(tw.failedCreates()),
                  ratio(any.n(), any.rate()).map(r -> fmt("%.2f", r)).orElse("-"),
                  tw == null || tw.createToDeployment().samples() == 0
                      ? "-"
                      : fmt(
                          "%.0f / %.0f / %.0f",
                          tw.createToDeployment().p50(),
                          tw.createToDeployment().p99(),
                          tw.createToDeployment().max()),
                  tw == null || tw.operatorCpuSeconds() == null
                      ? "-"
                      : fmt("%.1f", tw.operatorCpuSeconds()),
                  tw == null || tw.operatorWrites() == null
                      ? "-"
                      : String.valueOf(tw.operatorWrites())));
        });
    out.append(cpuTable());
    if (!memory.isEmpty()) {
      out.append(fmt("%noperator memory with N converged Services (after a full GC)%n"));
      out.append(fmt("%6s | %14s | %8s%n", "N", "heap used MiB", "RSS MiB"));
      for (Memory m : memory) {
        out.append(fmt("%6d | %14.1f | %8.1f%n", m.n(), m.heapAfterGcMiB(), m.rssMiB()));
      }
    }
    if (!steady.isEmpty()) {
      out.append(
          fmt(
              "%nsteady state after convergence (two resync periods; writes from the audit log)%n"));
      out.append(
          fmt(
              "%6s | %8s | %7s | %10s | %9s | %9s | %s%n",
              "N",
              "window s",
              "writes",
              "reconciles",
              "CPU s",
              "AWS calls",
              "writes by verb/resource"));
      for (Steady s : steady) {
        out.append(
            fmt(
                "%6d | %8.0f | %7d | %10.0f | %9.2f | %9.0f | %s%n",
                s.n(),
                s.windowSeconds(),
                s.writes(),
                s.reconciles(),
                s.cpuSeconds(),
                s.awsCalls().values().stream().mapToDouble(Double::doubleValue).sum(),
                s.writesByKind()));
      }
    }
    if (ecs != null) {
      out.append(fmt("%necs backend on moto, N = %d Services%n", ecs.n()));
      out.append(
          fmt(
              "  converged %d/%d in %s s; AWS calls to converge: %s%n",
              ecs.converged(), ecs.n(), secs(ecs.convergeSeconds()), ecs.callsToConverge()));
      out.append(
          fmt(
              "  steady window %.0f s (two resync periods): calls %s; DescribeServices per resync %.1f"
                  + " (expected %d); AWS writes %.0f; API-server writes %d%n",
              ecs.windowSeconds(),
              ecs.callsInWindow(),
              ecs.describeServicesPerResync(),
              ecs.expectedDescribeServicesPerResync(),
              ecs.awsWritesInWindow(),
              ecs.apiServerWritesInWindow()));
    }
    for (String note : notes) {
      out.append(fmt("note: %s%n", note));
    }
    return out.toString();
  }

  /** Where the machine's CPU went in each convergence run, process by process. */
  private String cpuTable() {
    List<String> names =
        convergence.stream()
            .filter(c -> c.cpuSecondsByProcess() != null)
            .flatMap(c -> c.cpuSecondsByProcess().keySet().stream())
            .distinct()
            .sorted()
            .toList();
    if (names.isEmpty()) return "";
    StringBuilder out = new StringBuilder();
    out.append(fmt("%nCPU seconds by process, first create until converged (2 cores)%n"));
    out.append(fmt("%6s %5s %-9s", "N", "rate", "system"));
    for (String n : names) out.append(fmt(" | %9s", abbreviate(n)));
    out.append(fmt(" | %7s%n", "total"));
    for (Convergence c : convergence) {
      if (c.cpuSecondsByProcess() == null) continue;
      out.append(fmt("%6d %5s %-9s", c.n(), c.rate(), c.system()));
      for (String n : names) {
        Double v = c.cpuSecondsByProcess().get(n);
        out.append(fmt(" | %9s", v == null ? "-" : fmt("%.1f", v)));
      }
      out.append(
          fmt(
              " | %7.1f%n",
              c.cpuSecondsByProcess().values().stream().mapToDouble(Double::doubleValue).sum()));
    }
    return out.toString();
  }

  private static String abbreviate(String process) {
    return process
        .replace("kube-controller-manager", "kcm")
        .replace("kube-apiserver", "apiserver")
        .replace("kube-scheduler", "scheduler");
  }

  private static String secs(Double s) {
    return s == null ? "-" : fmt("%.1f", s);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
