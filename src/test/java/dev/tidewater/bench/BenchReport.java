package dev.tidewater.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

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

  /** Where the processes ran: all on every CPU, or the operator on CPUs of its own. */
  static final String SHARED = "shared";

  static final String PINNED = "pinned";

  /**
   * One convergence run: {@code system} is tidewater, baseline or floor; {@code rate} is "all" or
   * workloads per second; {@code cores} is shared (every process on every CPU) or pinned (the
   * operator on CPUs of its own, see {@link Pinning}); times in seconds from the first create
   * request; {@code converged} workloads of {@code n}; latency only for tidewater; the operator's
   * write requests in the run's namespace from the audit log (Events included), by verb and
   * resource; the CPU seconds each process on the machine used from the first create until
   * convergence.
   */
  record Convergence(
      String system,
      int n,
      String rate,
      String cores,
      double submitSeconds,
      Double convergeSeconds,
      int converged,
      int failedCreates,
      Latency createToDeployment,
      Double operatorCpuSeconds,
      Integer operatorWrites,
      Map<String, Integer> operatorWritesByKind,
      double cleanupSeconds,
      Map<String, Double> cpuSecondsByProcess) {

    /** The operator's Event writes (any verb on {@code events}), when its writes were counted. */
    @JsonProperty
    Integer operatorEvents() {
      if (operatorWrites == null || operatorWritesByKind == null) return null;
      return operatorWritesByKind.entrySet().stream()
          .filter(e -> isEvent(e.getKey()))
          .mapToInt(Map.Entry::getValue)
          .sum();
    }

    /** The operator's writes other than Events per workload of the run (divided by N). */
    @JsonProperty
    Double operatorWritesPerWorkload() {
      Integer events = operatorEvents();
      return events == null || n == 0 ? null : (operatorWrites - events) / (double) n;
    }

    /** The operator's Event writes per workload of the run (divided by N). */
    @JsonProperty
    Double eventsPerWorkload() {
      Integer events = operatorEvents();
      return events == null || n == 0 ? null : events / (double) n;
    }

    /** The operator's CPU milliseconds over the workloads that converged. */
    @JsonProperty
    Double operatorCpuMillisPerConvergedWorkload() {
      return operatorCpuSeconds == null || converged == 0
          ? null
          : operatorCpuSeconds * 1000 / converged;
    }

    /** The operator's writes by verb and resource, each divided by N. */
    @JsonProperty
    Map<String, Double> operatorWritesPerWorkloadByKind() {
      if (operatorWritesByKind == null || n == 0) return null;
      Map<String, Double> out = new TreeMap<>();
      operatorWritesByKind.forEach((k, v) -> out.put(k, v / (double) n));
      return out;
    }

    /** The column heading of this run in the per-workload table: N, rate and, pinned, the cores. */
    String label() {
      return n + " " + rate + (cores.equals(SHARED) ? "" : " " + cores);
    }
  }

  /** Whether a writes-by-kind key ("verb resource[/subresource][ -> code]") is an Event write. */
  static boolean isEvent(String kind) {
    String[] words = kind.split(" ");
    return words.length >= 2 && words[1].split("/")[0].equals("events");
  }

  /** Operator memory with {@code n} workloads: heap in use after a full GC, and RSS. */
  record Memory(int n, double heapAfterGcMiB, double rssMiB) {}

  /**
   * Memory per workload at one point: heap / N, and the heap each workload above the smallest N
   * measured adds, (heap(N) − heap(N0)) / (N − N0); null for the smallest N itself.
   */
  record MemoryPerWorkload(
      int n, double heapKiBPerWorkload, Integer fromN, Double kibPerAddedWorkload) {}

  /**
   * The memory point: {@code n} workloads made in batches of {@code batch} (each converged before
   * the next), how many converged and how long that took, and the operator's -Xmx.
   */
  record MemoryPoint(
      int n, int batch, int converged, int failedCreates, Double seconds, String operatorHeap) {}

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

  /**
   * LoadBalancerRoutes on the ecs backend: {@code routes} routes spread over {@code listeners}
   * listeners of one load balancer in moto, each forwarding to one of {@code services} ECS
   * services; how long until all were Ready and the AWS calls that took; then, once the operator
   * was quiet, the calls over a window of {@code resyncs} resync periods, and among them the
   * DescribeRules calls ({@code describeRulesApi} is the metric's api label).
   */
  record Routes(
      int routes,
      int listeners,
      int services,
      Double readySeconds,
      int ready,
      Map<String, Double> callsToReady,
      double windowSeconds,
      int resyncs,
      Map<String, Double> callsInWindow,
      String describeRulesApi,
      double describeRulesInWindow,
      double awsWritesInWindow,
      int apiServerWritesInWindow) {

    /** DescribeRules calls per listener per resync period (the design's read budget: 1). */
    @JsonProperty
    double describeRulesPerListenerPerResync() {
      return listeners == 0 || resyncs == 0 ? 0 : describeRulesInWindow / listeners / resyncs;
    }

    /** DescribeRules calls per route per resync period. */
    @JsonProperty
    double describeRulesPerRoutePerResync() {
      return routes == 0 || resyncs == 0 ? 0 : describeRulesInWindow / routes / resyncs;
    }
  }

  /**
   * The separate-cores runs: the control plane, kwok, moto and the driver on {@code
   * controlPlaneCpus}, the operator on {@code operatorCpus}; each process's Cpus_allowed_list as
   * read back from /proc during the runs, and any threads found elsewhere.
   */
  record Pinning(
      String controlPlaneCpus,
      String operatorCpus,
      Map<String, String> cpusAllowedList,
      List<String> threadsElsewhere) {}

  /** Process launch to first reconcile and to readiness, in milliseconds. */
  record Startup(long firstReconcileMillis, long readyMillis) {}

  Setup setup;
  Pinning pinning;
  Startup startup;
  final List<Convergence> convergence = new ArrayList<>();
  final List<Memory> memory = new ArrayList<>();
  MemoryPoint memoryPoint;
  final List<Steady> steady = new ArrayList<>();
  Ecs ecs;
  Routes routes;
  final List<String> notes = new ArrayList<>();

  // Jackson reads the fields through getters
  public Setup getSetup() {
    return setup;
  }

  public Pinning getPinning() {
    return pinning;
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

  public List<MemoryPerWorkload> getMemoryPerWorkload() {
    return memory.stream().map(this::perWorkload).toList();
  }

  public MemoryPoint getMemoryPoint() {
    return memoryPoint;
  }

  public List<Steady> getSteady() {
    return steady;
  }

  public Ecs getEcs() {
    return ecs;
  }

  public Routes getRoutes() {
    return routes;
  }

  public List<String> getNotes() {
    return notes;
  }

  /**
   * Tidewater's convergence time over {@code system}'s (baseline or floor) at the same N, rate and
   * cores, when both converged fully.
   */
  Optional<Double> ratio(String system, int n, String rate, String cores) {
    Optional<Double> tw = seconds("tidewater", n, rate, cores);
    Optional<Double> other = seconds(system, n, rate, cores);
    return tw.isPresent() && other.isPresent() && other.get() > 0
        ? Optional.of(tw.get() / other.get())
        : Optional.empty();
  }

  private Optional<Double> seconds(String system, int n, String rate, String cores) {
    return run(system, n, rate, cores)
        .filter(c -> c.converged() == c.n())
        .map(Convergence::convergeSeconds);
  }

  private Optional<Convergence> run(String system, int n, String rate, String cores) {
    return convergence.stream()
        .filter(
            c ->
                c.system().equals(system)
                    && c.n() == n
                    && c.rate().equals(rate)
                    && c.cores().equals(cores))
        .findFirst();
  }

  /** Heap per workload at {@code m}, and per workload added above the smallest N measured. */
  MemoryPerWorkload perWorkload(Memory m) {
    Memory smallest =
        memory.stream()
            .min(Comparator.comparingInt(Memory::n))
            .filter(s -> s.n() < m.n())
            .orElse(null);
    return new MemoryPerWorkload(
        m.n(),
        m.heapAfterGcMiB() * 1024 / m.n(),
        smallest == null ? null : smallest.n(),
        smallest == null
            ? null
            : (m.heapAfterGcMiB() - smallest.heapAfterGcMiB()) * 1024 / (m.n() - smallest.n()));
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
    if (pinning != null) {
      out.append(
          fmt(
              "pinned runs: control plane, kwok, moto and driver on CPU %s, operator on CPU %s;"
                  + " Cpus_allowed_list read back: %s%s%n",
              pinning.controlPlaneCpus(),
              pinning.operatorCpus(),
              new TreeMap<>(pinning.cpusAllowedList())
                  .entrySet().stream()
                      .map(e -> abbreviate(e.getKey()) + " " + e.getValue())
                      .collect(Collectors.joining(", ")),
              pinning.threadsElsewhere().isEmpty()
                  ? ""
                  : "; NOT pinned: " + String.join("; ", pinning.threadsElsewhere())));
    }
    if (startup != null) {
      out.append(
          fmt(
              "startup: launch -> first reconcile %d ms, -> ready %d ms%n",
              startup.firstReconcileMillis(), startup.readyMillis()));
    }
    out.append(convergenceTable());
    out.append(perWorkloadTable());
    out.append(cpuTable());
    out.append(memoryTable());
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
    if (routes != null) {
      out.append(
          fmt(
              "%nlistener rules on moto (ecs backend): %d LoadBalancerRoutes over %d listeners of one"
                  + " load balancer, each forwarding to one of %d ECS services%n",
              routes.routes(), routes.listeners(), routes.services()));
      out.append(
          fmt(
              "  Ready %d/%d in %s s; AWS calls until Ready: %s%n",
              routes.ready(), routes.routes(), secs(routes.readySeconds()), routes.callsToReady()));
      out.append(
          fmt(
              "  steady window %.0f s (%d resync periods): calls %s; AWS writes %.0f; API-server"
                  + " writes %d%n",
              routes.windowSeconds(),
              routes.resyncs(),
              routes.callsInWindow(),
              routes.awsWritesInWindow(),
              routes.apiServerWritesInWindow()));
      out.append(
          fmt(
              "  DescribeRules (%s): %.0f in the window = %.2f per listener per resync (%.2f per"
                  + " route per resync)%n",
              routes.describeRulesApi(),
              routes.describeRulesInWindow(),
              routes.describeRulesPerListenerPerResync(),
              routes.describeRulesPerRoutePerResync()));
    }
    for (String note : notes) {
      out.append(fmt("note: %s%n", note));
    }
    return out.toString();
  }

  /** One line per N, rate and cores: floor, baseline and Tidewater side by side. */
  private String convergenceTable() {
    StringBuilder out = new StringBuilder();
    out.append(
        fmt(
            "%nconvergence, kubernetes backend (seconds from the first create until every workload"
                + " converged)%n"));
    String line =
        "%6s %5s %6s | %8s %9s | %10s %9s | %11s %9s %5s | %7s | %8s | %25s | %8s | %9s%n";
    out.append(
        fmt(
            line,
            "N",
            "rate",
            "cores",
            "floor s",
            "ok",
            "baseline s",
            "ok",
            "tidewater s",
            "ok",
            "fails",
            "tw/base",
            "tw/floor",
            "svc->Deployment p50/p99/max ms",
            "op CPU s",
            "op writes"));
    for (List<Convergence> group : groups()) {
      Convergence any = group.get(0);
      Convergence floor = find(group, "floor");
      Convergence base = find(group, "baseline");
      Convergence tw = find(group, "tidewater");
      out.append(
          fmt(
              line,
              any.n(),
              any.rate(),
              any.cores(),
              floor == null ? "-" : secs(floor.convergeSeconds()),
              floor == null ? "-" : floor.converged() + "/" + floor.n(),
              base == null ? "-" : secs(base.convergeSeconds()),
              base == null ? "-" : base.converged() + "/" + base.n(),
              tw == null ? "-" : secs(tw.convergeSeconds()),
              tw == null ? "-" : tw.converged() + "/" + tw.n(),
              tw == null ? "-" : String.valueOf(tw.failedCreates()),
              ratio("baseline", any.n(), any.rate(), any.cores())
                  .map(r -> fmt("%.2f", r))
                  .orElse("-"),
              ratio("floor", any.n(), any.rate(), any.cores()).map(r -> fmt("%.2f", r)).orElse("-"),
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
    }
    return out.toString();
  }

  /**
   * Each per-workload figure of the Tidewater runs as a row of its own, a column per run: writes
   * other than Events, Events, operator CPU, then every verb/resource the operator wrote.
   */
  private String perWorkloadTable() {
    List<Convergence> runs =
        groups().stream().map(g -> find(g, "tidewater")).filter(c -> c != null).toList();
    if (runs.isEmpty()) return "";
    List<String> kinds =
        runs.stream()
            .filter(c -> c.operatorWritesByKind() != null)
            .flatMap(c -> c.operatorWritesByKind().keySet().stream())
            .distinct()
            .sorted()
            .toList();
    int first =
        Math.max(
            "operator CPU ms / converged workload".length(),
            kinds.stream().mapToInt(k -> k.length() + 2).max().orElse(0));
    List<Integer> widths = runs.stream().map(c -> Math.max(9, c.label().length())).toList();
    StringBuilder out = new StringBuilder();
    out.append(
        fmt(
            "%nper workload, Tidewater runs (the operator's writes in the run's namespace from the"
                + " audit log / N; its CPU / converged workloads)%n"));
    out.append(pad("", first));
    for (int i = 0; i < runs.size(); i++)
      out.append(" | ").append(padLeft(runs.get(i).label(), widths.get(i)));
    out.append(fmt("%n"));
    row(
        out,
        "operator writes (Events aside)",
        first,
        runs,
        widths,
        c -> c.operatorWritesPerWorkload(),
        "%.2f");
    row(out, "Events", first, runs, widths, c -> c.eventsPerWorkload(), "%.2f");
    row(
        out,
        "operator CPU ms / converged workload",
        first,
        runs,
        widths,
        c -> c.operatorCpuMillisPerConvergedWorkload(),
        "%.1f");
    for (String kind : kinds) {
      row(
          out,
          "  " + kind,
          first,
          runs,
          widths,
          c ->
              c.operatorWritesPerWorkloadByKind() == null
                  ? null
                  : c.operatorWritesPerWorkloadByKind().getOrDefault(kind, 0.0),
          "%.2f");
    }
    return out.toString();
  }

  private static void row(
      StringBuilder out,
      String name,
      int first,
      List<Convergence> runs,
      List<Integer> widths,
      Function<Convergence, Double> value,
      String format) {
    out.append(pad(name, first));
    for (int i = 0; i < runs.size(); i++) {
      Double v = value.apply(runs.get(i));
      out.append(" | ").append(padLeft(v == null ? "-" : fmt(format, v), widths.get(i)));
    }
    out.append(fmt("%n"));
  }

  /** The runs grouped by N, rate and cores: N ascending, all at once before rates, shared first. */
  private List<List<Convergence>> groups() {
    Map<String, List<Convergence>> byKey = new TreeMap<>();
    for (Convergence c : convergence) {
      byKey
          .computeIfAbsent(
              String.format(
                  Locale.ROOT,
                  "%s/%08d/%s",
                  c.cores().equals(SHARED) ? "0" : "1" + c.cores(),
                  c.n(),
                  c.rate().equals("all") ? "" : c.rate()),
              k -> new ArrayList<>())
          .add(c);
    }
    return List.copyOf(byKey.values());
  }

  private static Convergence find(List<Convergence> group, String system) {
    return group.stream().filter(c -> c.system().equals(system)).findFirst().orElse(null);
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
    out.append(
        fmt(
            "%nCPU seconds by process, first create until converged (%s cores)%n",
            setup == null ? "?" : String.valueOf(setup.cores())));
    out.append(fmt("%6s %5s %6s %-9s", "N", "rate", "cores", "system"));
    for (String n : names) out.append(fmt(" | %9s", abbreviate(n)));
    out.append(fmt(" | %7s%n", "total"));
    for (List<Convergence> group : groups()) {
      for (String system : List.of("floor", "baseline", "tidewater")) {
        Convergence c = find(group, system);
        if (c == null || c.cpuSecondsByProcess() == null) continue;
        out.append(fmt("%6d %5s %6s %-9s", c.n(), c.rate(), c.cores(), c.system()));
        for (String n : names) {
          Double v = c.cpuSecondsByProcess().get(n);
          out.append(fmt(" | %9s", v == null ? "-" : fmt("%.1f", v)));
        }
        out.append(
            fmt(
                " | %7.1f%n",
                c.cpuSecondsByProcess().values().stream().mapToDouble(Double::doubleValue).sum()));
      }
    }
    return out.toString();
  }

  private String memoryTable() {
    if (memory.isEmpty()) return "";
    StringBuilder out = new StringBuilder();
    out.append(fmt("%noperator memory with N workloads (heap in use after a full GC)%n"));
    out.append(
        fmt(
            "%6s | %14s | %8s | %13s | %s%n",
            "N",
            "heap used MiB",
            "RSS MiB",
            "heap/N KiB",
            "KiB per workload above the smallest N"));
    for (Memory m : memory.stream().sorted(Comparator.comparingInt(Memory::n)).toList()) {
      MemoryPerWorkload p = perWorkload(m);
      out.append(
          fmt(
              "%6d | %14.1f | %8.1f | %13.1f | %s%n",
              m.n(),
              m.heapAfterGcMiB(),
              m.rssMiB(),
              p.heapKiBPerWorkload(),
              p.fromN() == null
                  ? "-"
                  : fmt("%.1f (from N = %d)", p.kibPerAddedWorkload(), p.fromN())));
    }
    if (memoryPoint != null) {
      MemoryPoint p = memoryPoint;
      out.append(
          fmt(
              "memory point: %d/%d workloads converged in %s s (batches of %d, each converged before"
                  + " the next; %d create(s) failed), operator -Xmx%s%n",
              p.converged(),
              p.n(),
              secs(p.seconds()),
              p.batch(),
              p.failedCreates(),
              p.operatorHeap()));
    }
    return out.toString();
  }

  private static String abbreviate(String process) {
    return process
        .replace("kube-controller-manager", "kcm")
        .replace("kube-apiserver", "apiserver")
        .replace("kube-scheduler", "scheduler");
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String padLeft(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  private static String secs(Double s) {
    return s == null ? "-" : fmt("%.1f", s);
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
