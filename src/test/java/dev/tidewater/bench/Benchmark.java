package dev.tidewater.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;

/**
 * The benchmark of issue 9, run by {@code hack/bench/run.sh} against a test ground of its own:
 * convergence of N TaskDefinition + Service pairs on the kubernetes backend beside a baseline of
 * the same workloads' rendered Deployments applied directly, create → Deployment latency, steady
 * state writes (audit log) and CPU, memory after a full GC, start-up, and the ecs backend on moto.
 * Prints a table and writes the results as JSON (after every phase, so a stopped run keeps what it
 * measured).
 */
public final class Benchmark {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The command line. */
  record Options(
      List<Integer> sizes,
      List<Integer> rates,
      Path out,
      int resyncSeconds,
      Set<Integer> steadySizes,
      Set<Integer> floorSizes,
      int ecsServices,
      int routes,
      int listeners,
      String pin,
      List<Integer> pinSizes,
      int memoryPoint,
      int memoryBatch,
      String heap,
      Duration phaseTimeout,
      Path app) {

    /**
     * The size at which a run counts as a full one: pinned runs and the memory point default on.
     */
    static final int FULL_RUN_SIZE = 1000;

    static final String USAGE =
        "usage: Benchmark [--sizes 100,1000,3000|none] [--rate all,20] [--out FILE]"
            + " [--resync SECONDS] [--steady all|none|N,...] [--floor all|none|N,...]"
            + " [--ecs N|0] [--routes R|0] [--listeners L] [--pin auto|none|CP_CPUS:OP_CPUS]"
            + " [--pin-sizes N,...|none] [--memory-point N|0] [--memory-batch N] [--heap 2g]"
            + " [--timeout SECONDS]";

    static Options parse(String... args) {
      List<Integer> sizes = List.of(100, 1000, 3000);
      List<Integer> rates = List.of(0, 20);
      Path out = Path.of("target", "bench", "results.json");
      int resync = 60;
      String steady = "all";
      String floor = "all";
      int ecs = 200;
      int routes = 40;
      int listeners = 2;
      String pin = "auto";
      String pinSizes = null;
      Integer memoryPoint = null;
      int memoryBatch = 1000;
      String heap = "2g";
      int timeout = 900;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null) throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
        switch (a) {
          case "--sizes" -> sizes = v.equals("none") ? List.of() : ints(a, v);
          case "--rate", "--rates" ->
              rates =
                  List.of(v.split(",")).stream()
                      .map(r -> r.trim().equals("all") ? 0 : positive(a, r.trim()))
                      .toList();
          case "--out" -> out = Path.of(v);
          case "--resync" -> resync = positive(a, v.replaceAll("s$", ""));
          case "--steady" -> steady = v;
          case "--floor" -> floor = v;
          case "--ecs" -> ecs = atLeastZero(a, v);
          case "--routes" -> routes = atLeastZero(a, v);
          case "--listeners" -> listeners = positive(a, v);
          case "--pin" -> pin = v;
          case "--pin-sizes" -> pinSizes = v;
          case "--memory-point" -> memoryPoint = atLeastZero(a, v);
          case "--memory-batch" -> memoryBatch = positive(a, v);
          case "--heap" -> heap = v;
          case "--timeout" -> timeout = positive(a, v);
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
        }
        i++;
      }
      if (!pin.equals("auto") && !pin.equals("none")) CpuPinning.Split.parse(pin);
      if (!heap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException(
            "--heap " + heap + ": expected a JVM -Xmx size such as 2g or 1536m");
      }
      if (ecs > 0 && routes > 0 && listeners > routes) {
        throw new IllegalArgumentException(
            "--listeners " + listeners + ": more listeners than routes (--routes " + routes + ")");
      }
      boolean full = sizes.contains(FULL_RUN_SIZE);
      return new Options(
          sizes,
          rates,
          out,
          resync,
          subset("--steady", steady, sizes),
          subset("--floor", floor, sizes),
          ecs,
          ecs > 0 ? routes : 0,
          listeners,
          pin,
          pinSizes == null
              ? (full ? List.of(FULL_RUN_SIZE) : List.of())
              : pinSizes.equals("none") ? List.of() : ints("--pin-sizes", pinSizes),
          memoryPoint == null ? (full ? 10_000 : 0) : memoryPoint,
          memoryBatch,
          heap,
          Duration.ofSeconds(timeout),
          Path.of(System.getProperty("tidewater.app.dir", "target/quarkus-app")));
    }

    /** {@code all} (every size), {@code none} or a list of sizes. */
    private static Set<Integer> subset(String option, String value, List<Integer> sizes) {
      return switch (value) {
        case "all" -> new LinkedHashSet<>(sizes);
        case "none" -> Set.of();
        default -> new LinkedHashSet<>(ints(option, value));
      };
    }

    private static List<Integer> ints(String option, String csv) {
      return List.of(csv.split(",")).stream().map(v -> positive(option, v.trim())).toList();
    }

    private static int positive(String option, String value) {
      int v = atLeastZero(option, value);
      if (v == 0) throw new IllegalArgumentException(option + " " + value + ": must be above 0");
      return v;
    }

    private static int atLeastZero(String option, String value) {
      try {
        int v = Integer.parseInt(value);
        if (v < 0) throw new NumberFormatException("negative");
        return v;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            option + " " + value + ": expected a whole number of at least 0\n" + USAGE);
      }
    }
  }

  private final Options options;
  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private final BenchReport report = new BenchReport();
  private final String run = UUID.randomUUID().toString().substring(0, 4);
  private BenchWorkloads workloads;
  private volatile BenchOperator operator;
  private final CpuPinning pinning = new CpuPinning();

  private Benchmark(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Benchmark b = new Benchmark(options);
    // a stopped driver stops its operator too, and gives the ground back all CPUs
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  b.pinning.close();
                  if (b.operator != null) b.operator.close();
                  if (!b.printed) {
                    b.report.notes.add("the run was stopped before it ended");
                    b.print();
                  }
                }));
    int exit = 0;
    try {
      b.run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      b.report.notes.add("the run stopped: " + e);
      exit = 1;
    } finally {
      b.pinning.close();
      if (b.operator != null) b.operator.close();
      b.print();
      b.admin.close();
    }
    // informer and client threads would keep the JVM alive
    System.exit(exit);
  }

  private void run() throws Exception {
    Files.createDirectories(options.out().toAbsolutePath().getParent());
    workloads = BenchWorkloads.fromCorpus();
    report.setup =
        new BenchReport.Setup(
            Runtime.getRuntime().availableProcessors(),
            memoryMiB(),
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            options.heap(),
            options.resyncSeconds(),
            envInt("TIDEWATER_KCM_QPS", 100),
            envInt("TIDEWATER_KCM_BURST", 200),
            workloads.rotation().stream().map(BenchWorkloads.Template::file).toList(),
            Instant.now().toString());
    log("corpus rotation: " + report.setup.corpusRotation());
    Crds.apply(admin);
    leftovers();
    benchNodes();
    CpuPinning.Split split = split();
    // the floor first, before the operator starts: no operator may act on its objects, and
    // stopping a running one for it would leave the Tidewater runs after it with a cold JIT
    boolean floors =
        options.sizes().stream().anyMatch(options.floorSizes()::contains)
            || (split != null && !options.floorSizes().isEmpty());
    if (floors) {
      // unmeasured: warms this driver's JIT and the API server's handling of the two custom
      // resources, as the startup and ecs phases do before the first baseline run
      guarded(
          "floor warm-up N=" + FLOOR_WARM_UP + " (not measured)",
          () -> deployments("floor", FLOOR_WARM_UP, 0, "warm-up"));
    }
    for (int n : options.sizes()) {
      if (!options.floorSizes().contains(n)) continue;
      for (int rate : options.rates()) {
        guarded(
            "floor N=" + n + " rate=" + rateName(rate),
            () -> deployments("floor", n, rate, BenchReport.SHARED));
      }
    }
    if (split != null && !options.floorSizes().isEmpty()) {
      for (int n : options.pinSizes()) {
        guarded(
            "floor N=" + n + " rate=all, pinned",
            () -> pinned(split, () -> deployments("floor", n, 0, BenchReport.PINNED)));
      }
    }
    startOperator();
    // the ecs phase first: it is short and independent of the kubernetes sizes, so a run stopped
    // during the largest size still has it
    if (options.ecsServices() > 0) {
      guarded("ecs N=" + options.ecsServices(), () -> ecs(options.ecsServices()));
    }
    for (int n : options.sizes()) {
      for (int i = 0; i < options.rates().size(); i++) {
        int rate = options.rates().get(i);
        guarded(
            "baseline N=" + n + " rate=" + rateName(rate),
            () -> deployments("baseline", n, rate, BenchReport.SHARED));
        boolean first = i == 0;
        guarded(
            "tidewater N=" + n + " rate=" + rateName(rate),
            () ->
                tidewater(
                    n,
                    rate,
                    BenchReport.SHARED,
                    first,
                    first && options.steadySizes().contains(n)));
        write();
      }
    }
    if (split != null) {
      for (int n : options.pinSizes()) {
        guarded(
            "baseline N=" + n + " rate=all, pinned",
            () -> pinned(split, () -> deployments("baseline", n, 0, BenchReport.PINNED)));
        guarded(
            "tidewater N=" + n + " rate=all, pinned",
            () -> pinned(split, () -> tidewater(n, 0, BenchReport.PINNED, false, false)));
      }
    }
    if (options.memoryPoint() > 0) {
      guarded("memory point N=" + options.memoryPoint(), () -> memoryPoint(options.memoryPoint()));
    }
  }

  /** Workloads of the unmeasured floor run before the first measured one. */
  private static final int FLOOR_WARM_UP = 50;

  /** The CPUs of the pinned runs, or null when there are none. */
  private CpuPinning.Split split() throws IOException {
    if (options.pinSizes().isEmpty() || options.pin().equals("none")) return null;
    if (!options.pin().equals("auto")) return CpuPinning.Split.parse(options.pin());
    List<Integer> cpus = CpuPinning.ownCpus();
    CpuPinning.Split split = CpuPinning.Split.halves(cpus).orElse(null);
    if (split == null) {
      report.notes.add(
          "no pinned runs: this machine lets the benchmark use CPU "
              + CpuPinning.format(cpus)
              + " only");
    }
    return split;
  }

  /**
   * Runs {@code phase} with the test ground's processes, this driver and (when running) the
   * operator pinned to their CPUs, read back from /proc after pinning and again at the end; puts
   * every process back on the CPUs it had afterwards.
   */
  private void pinned(CpuPinning.Split split, Phase phase) throws Exception {
    try {
      for (var e : ProcessCpu.groundPids(ground.runDir()).entrySet()) {
        pinning.pin(e.getKey(), e.getValue(), split.controlPlane());
      }
      pinning.pin("driver", ProcessHandle.current().pid(), split.controlPlane());
      if (operator != null) pinning.pin("operator", operator.pid(), split.operator());
      CpuPinning.Seen before = pinning.verify();
      log("pinned: " + before.mainThread() + " " + before.elsewhere());
      phase.run();
      CpuPinning.Seen after = pinning.verify();
      Map<String, String> seen =
          new TreeMap<>(report.pinning == null ? Map.of() : report.pinning.cpusAllowedList());
      seen.putAll(after.mainThread());
      List<String> elsewhere =
          new ArrayList<>(report.pinning == null ? List.of() : report.pinning.threadsElsewhere());
      elsewhere.addAll(before.elsewhere());
      elsewhere.addAll(after.elsewhere());
      report.pinning =
          new BenchReport.Pinning(
              split.controlPlaneList(), split.operatorList(), seen, List.copyOf(elsewhere));
    } finally {
      pinning.close();
    }
  }

  /** A phase that fails is noted in the results; the run goes on. */
  private interface Phase {
    void run() throws Exception;
  }

  private void guarded(String name, Phase phase) {
    log("--- " + name);
    try {
      phase.run();
    } catch (Exception | AssertionError e) {
      log(name + " failed: " + e);
      report.notes.add(name + " failed: " + e);
    }
    write();
  }

  // ---- the operator ------------------------------------------------------------------------

  /**
   * Starts the packaged operator with one workload waiting for it, so the time to its first
   * reconcile is measured; the workload goes away again.
   */
  private void startOperator() throws Exception {
    String ns = namespace("bench-startup");
    create(ns, 0);
    Path log = options.out().toAbsolutePath().getParent().resolve("operator.log");
    List<String> jvmArgs = new ArrayList<>();
    jvmArgs.add("-Dtidewater.resync-period=" + options.resyncSeconds() + "s");
    // e.g. -XX:StartFlightRecording=filename=target/bench/operator.jfr to profile the operator
    String extra = System.getenv("TIDEWATER_BENCH_OPERATOR_OPTS");
    if (extra != null && !extra.isBlank()) jvmArgs.addAll(List.of(extra.trim().split("\\s+")));
    try {
      operator = BenchOperator.start(ground, options.app(), options.heap(), jvmArgs, log);
    } catch (IllegalStateException exited) {
      // a watch closed by a freshly started API server can end the operator at start-up (it exits
      // rather than run half-watching), as the ITs' OperatorProcess knows: one more start
      log(exited.getMessage() + "; starting it once more");
      report.notes.add(
          "the operator's first start failed (" + exited.getMessage() + "); started again");
      Files.move(
          log, log.resolveSibling("operator-first-start.log"), StandardCopyOption.REPLACE_EXISTING);
      operator = BenchOperator.start(ground, options.app(), options.heap(), jvmArgs, log);
    }
    report.startup =
        new BenchReport.Startup(
            operator.startup().firstReconcileMillis(), operator.startup().readyMillis());
    log(
        "operator pid "
            + operator.pid()
            + " first reconcile after "
            + report.startup.firstReconcileMillis()
            + " ms, ready after "
            + report.startup.readyMillis()
            + " ms; log "
            + log);
    deleteNamespace(ns);
  }

  // ---- kubernetes backend ------------------------------------------------------------------

  private void create(String ns, int i) {
    admin.resource(workloads.taskDefinition(i)).inNamespace(ns).create();
    admin.resource(workloads.service(i)).inNamespace(ns).create();
  }

  private Map<String, Double> cpuSnapshot() {
    return ProcessCpu.snapshot(ground.runDir(), operator == null ? null : operator.pid());
  }

  /**
   * A run converged when every Deployment is available, as seen by the driver's informer: the
   * baseline (the rendered Deployments alone) or the floor (each workload's TaskDefinition and
   * Service as in a Tidewater run, and its rendered Deployment, all written by the driver; it runs
   * only while no operator runs, so nothing acts on them).
   */
  private void deployments(String system, int n, int rate, String cores) throws Exception {
    boolean floor = system.equals("floor");
    if (floor && operator != null && operator.alive()) {
      throw new IllegalStateException("the floor runs only while no operator runs");
    }
    String ns =
        namespace(
            "bench-"
                + (floor ? "floor" : "base")
                + "-"
                + n
                + "-"
                + nsRate(rate)
                + (cores.equals(BenchReport.SHARED) ? "" : "-" + cores));
    settle(system + " N=" + n);
    try (Convergence watch = Convergence.ofDeployments(admin, ns)) {
      Map<String, Double> cpu0 = cpuSnapshot();
      long t0 = System.nanoTime();
      Submitted sub =
          submit(
              n,
              rate,
              i -> {
                if (floor) create(ns, i);
                admin
                    .resource(workloads.baseline(i))
                    .inNamespace(ns)
                    .fieldManager("bench-" + system)
                    .forceConflicts()
                    .serverSideApply();
              });
      int ok = watch.await(n - sub.failed.get(), options.phaseTimeout());
      Map<String, Double> cpu = ProcessCpu.since(cpu0, cpuSnapshot());
      Double seconds = ok == n ? (watch.lastConverged() - t0) / 1e9 : null;
      log(
          system
              + " N="
              + n
              + " "
              + cores
              + ": "
              + ok
              + "/"
              + n
              + " available after "
              + seconds
              + " s");
      double cleanup = deleteNamespace(ns);
      if (cores.equals("warm-up")) return;
      report.convergence.add(
          new BenchReport.Convergence(
              system,
              n,
              rateName(rate),
              cores,
              sub.seconds(t0),
              seconds,
              ok,
              sub.failed.get(),
              BenchReport.Latency.of(List.of()),
              null,
              null,
              null,
              cleanup,
              cpu));
    }
  }

  private void tidewater(int n, int rate, String cores, boolean memory, boolean steady)
      throws Exception {
    String ns =
        namespace(
            "bench-tw-"
                + n
                + "-"
                + nsRate(rate)
                + (cores.equals(BenchReport.SHARED) ? "" : "-" + cores));
    BenchReport.Convergence result;
    settle("tidewater N=" + n);
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    try (Convergence watch = Convergence.ofServices(admin, ns)) {
      Map<String, Double> cpu0 = cpuSnapshot();
      long t0 = System.nanoTime();
      Submitted sub = submit(n, rate, i -> create(ns, i));
      int ok = watch.await(n - sub.failed.get(), options.phaseTimeout());
      Map<String, Double> cpu = ProcessCpu.since(cpu0, cpuSnapshot());
      Double seconds = ok == n ? (watch.lastConverged() - t0) / 1e9 : null;
      BenchReport.Latency latency = BenchReport.Latency.of(watch.serviceToDeploymentMillis());
      List<AuditLog.Write> writes = writesIn(audit, mark, ns);
      log(
          "tidewater N="
              + n
              + " "
              + cores
              + ": "
              + ok
              + "/"
              + n
              + " converged after "
              + seconds
              + " s; create->Deployment "
              + latency
              + "; operator writes "
              + (writes == null ? null : byKind(writes)));
      result =
          new BenchReport.Convergence(
              "tidewater",
              n,
              rateName(rate),
              cores,
              sub.seconds(t0),
              seconds,
              ok,
              sub.failed.get(),
              latency,
              cpu.get("operator"),
              writes == null ? null : writes.size(),
              writes == null ? null : byKind(writes),
              0,
              cpu);
    }
    if (memory) {
      double heap = operator.heapAfterFullGcMiB();
      double rss = operator.rssMiB();
      report.memory.add(new BenchReport.Memory(n, heap, rss));
      log("memory N=" + n + ": heap after GC " + heap + " MiB, RSS " + rss + " MiB");
    }
    if (steady) {
      report.steady.add(steady(n));
    }
    double cleanup = deleteNamespace(ns);
    report.convergence.add(
        new BenchReport.Convergence(
            result.system(),
            result.n(),
            result.rate(),
            result.cores(),
            result.submitSeconds(),
            result.convergeSeconds(),
            result.converged(),
            result.failedCreates(),
            result.createToDeployment(),
            result.operatorCpuSeconds(),
            result.operatorWrites(),
            result.operatorWritesByKind(),
            cleanup,
            result.cpuSecondsByProcess()));
  }

  /**
   * The memory point: {@code n} workloads on the kubernetes backend, made in batches (all of a
   * batch at once, each batch converged before the next, so the API server is never handed
   * thousands of pods at once), then the operator's heap after a full GC and its RSS.
   */
  private void memoryPoint(int n) throws Exception {
    settle("memory point");
    String ns = namespace("bench-mem-" + n);
    int batch = options.memoryBatch();
    int failed = 0;
    int ok;
    Double seconds;
    try (Convergence watch = Convergence.ofServices(admin, ns)) {
      long t0 = System.nanoTime();
      for (int from = 0; from < n; from += batch) {
        int start = from;
        int count = Math.min(batch, n - from);
        Submitted sub = submit(count, 0, i -> create(ns, start + i));
        failed += sub.failed.get();
        int want = start + count - failed;
        // given up when nothing converges for --timeout, not after a fixed time for all of them
        int got = watch.awaitProgress(want, options.phaseTimeout());
        log(
            "memory point: "
                + got
                + "/"
                + (start + count)
                + " converged after "
                + Math.round((System.nanoTime() - t0) / 1e9)
                + " s");
        if (got < want) {
          report.notes.add(
              "memory point: "
                  + got
                  + " of "
                  + want
                  + " converged, none more in "
                  + options.phaseTimeout().toSeconds()
                  + " s; measured as it was");
          break;
        }
      }
      ok = watch.convergedCount();
      seconds = ok == n ? (watch.lastConverged() - t0) / 1e9 : null;
    }
    double heap = operator.heapAfterFullGcMiB();
    double rss = operator.rssMiB();
    log("memory N=" + n + ": heap after GC " + heap + " MiB, RSS " + rss + " MiB");
    report.memory.add(new BenchReport.Memory(n, heap, rss));
    report.memoryPoint = new BenchReport.MemoryPoint(n, batch, ok, failed, seconds, options.heap());
    write();
    deleteNamespace(ns);
  }

  /**
   * Before a run, until a running operator has finished with the runs before it (a deleted
   * namespace's resources can keep its reconcilers busy after the namespace is gone), so that its
   * leftover work does not take CPU from the run measured next.
   */
  private void settle(String run) throws Exception {
    if (operator != null && operator.alive()) awaitQuiet("the " + run + " run");
  }

  /** Two resync periods after the operator went quiet: its writes, reconciles and CPU. */
  private BenchReport.Steady steady(int n) throws Exception {
    awaitQuiet();
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    double cpu0 = operator.cpuSeconds();
    double reconciles0 = operator.sum("tidewater_reconciles_total", "");
    Map<String, Double> aws0 = operator.awsCalls();
    double window = steadyWindow();
    double cpu = operator.cpuSeconds() - cpu0;
    Map<String, Double> aws = delta(aws0, operator.awsCalls());
    double reconciles = operator.sum("tidewater_reconciles_total", "") - reconciles0;
    List<AuditLog.Write> writes = audit.writesSince(mark, ground.operatorUser());
    Map<String, Integer> byKind = byKind(writes);
    log(
        "steady N="
            + n
            + ": "
            + writes.size()
            + " writes "
            + byKind
            + ", "
            + reconciles
            + " reconciles, CPU "
            + cpu
            + " s in "
            + window
            + " s");
    return new BenchReport.Steady(n, window, writes.size(), byKind, reconciles, cpu, aws);
  }

  /**
   * The operator's writes in {@code ns} since {@code mark}, or null when the log was rotated since
   * (the API server's log rotates at --audit-log-maxsize; a mark is a position in one file).
   */
  private List<AuditLog.Write> writesIn(AuditLog audit, AuditLog.Mark mark, String ns) {
    try {
      return audit.writesSince(mark, ground.operatorUser()).stream()
          .filter(w -> ns.equals(w.namespace()))
          .toList();
    } catch (RuntimeException rotated) {
      report.notes.add("writes in " + ns + " not counted: " + rotated);
      return null;
    }
  }

  /** Writes counted by verb, resource (/subresource) and, when not a success, response code. */
  private static Map<String, Integer> byKind(List<AuditLog.Write> writes) {
    Map<String, Integer> out = new TreeMap<>();
    for (AuditLog.Write w : writes) {
      out.merge(
          w.verb()
              + " "
              + w.resource()
              + (w.subresource() == null ? "" : "/" + w.subresource())
              + (w.code() < 300 ? "" : " -> " + w.code()),
          1,
          Integer::sum);
    }
    return out;
  }

  /**
   * Until the operator has sent no API-server write and no AWS write for five seconds (at most two
   * minutes).
   */
  private void awaitQuiet() throws Exception {
    awaitQuiet("a steady-state window");
  }

  private void awaitQuiet(String before) throws Exception {
    double[] last = {writesSoFar()};
    long[] quietSince = {System.nanoTime()};
    boolean quiet =
        Polling.until(
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            () -> {
              double now = writesSoFar();
              if (now != last[0]) {
                last[0] = now;
                quietSince[0] = System.nanoTime();
              }
              return System.nanoTime() - quietSince[0] > TimeUnit.SECONDS.toNanos(5);
            });
    if (!quiet) {
      report.notes.add("the operator did not go quiet (2 min) before " + before);
    }
  }

  private double writesSoFar() throws Exception {
    return operator.sum("tidewater_kubernetes_writes_total", "") + awsWrites(operator.awsCalls());
  }

  private static double awsWrites(Map<String, Double> calls) {
    return calls.entrySet().stream()
        .filter(e -> !isRead(e.getKey()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  // ---- ecs backend -------------------------------------------------------------------------

  private static final AwsBasicCredentials MOTO_ADMIN =
      AwsBasicCredentials.create(
          TestGround.ADMIN_ACCESS_KEY_ID, TestGround.ADMIN_SECRET_ACCESS_KEY);

  private void ecs(int n) throws Exception {
    String ns = namespace("bench-ecs");
    List<String> subnets = new ArrayList<>();
    String securityGroup;
    try (Ec2Client ec2 =
        Ec2Client.builder()
            .endpointOverride(ground.motoEndpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(MOTO_ADMIN))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      // two zones: the routes phase puts a load balancer on these subnets, which needs two
      for (String zone : List.of("a", "b")) {
        String cidr = "10.0." + (zone.equals("a") ? 1 : 2) + ".0/24";
        subnets.add(
            ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone("us-east-1" + zone))
                .subnet()
                .subnetId());
      }
      securityGroup =
          ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("bench tasks"))
              .groupId();
    }
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            create: true
        """,
        ns);
    // not ready in time: the services below then stay unconverged, which the report shows
    Polling.until(Duration.ofSeconds(120), Duration.ofMillis(200), () -> clusterReady(ns));
    Map<String, Double> calls0 = operator.awsCalls();
    int ok;
    Double seconds;
    try (Convergence watch = Convergence.ofServices(admin, ns)) {
      long t0 = System.nanoTime();
      Submitted sub = submit(n, 0, i -> createEcs(ns, i, subnets, securityGroup));
      ok = watch.await(n - sub.failed.get(), options.phaseTimeout());
      seconds = ok == n ? (watch.lastConverged() - t0) / 1e9 : null;
    }
    Map<String, Double> toConverge = delta(calls0, operator.awsCalls());
    log("ecs N=" + n + ": " + ok + "/" + n + " converged after " + seconds + " s; " + toConverge);
    SteadyAws steady = steadyAws("ecs");
    Map<String, Double> inWindow = steady.calls();
    double describes = inWindow.getOrDefault("Ecs:DescribeServices", 0.0) / 2;
    report.ecs =
        new BenchReport.Ecs(
            n,
            seconds,
            ok,
            toConverge,
            steady.window(),
            inWindow,
            describes,
            (n + 9) / 10,
            awsWrites(inWindow),
            steady.apiWrites(),
            0);
    write();
    if (options.routes() > 0) {
      guarded(
          "routes R=" + options.routes() + " L=" + options.listeners(),
          () -> routes(ns, n, subnets));
    }
    double cleanup = deleteNamespace(ns);
    BenchReport.Ecs e = report.ecs;
    report.ecs =
        new BenchReport.Ecs(
            e.n(),
            e.convergeSeconds(),
            e.converged(),
            e.callsToConverge(),
            e.windowSeconds(),
            e.callsInWindow(),
            e.describeServicesPerResync(),
            e.expectedDescribeServicesPerResync(),
            e.awsWritesInWindow(),
            e.apiServerWritesInWindow(),
            cleanup);
  }

  /** A quiet operator's AWS calls and API-server writes over two resync periods. */
  private record SteadyAws(double window, Map<String, Double> calls, int apiWrites) {}

  private SteadyAws steadyAws(String phase) throws Exception {
    awaitQuiet();
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    Map<String, Double> calls0 = operator.awsCalls();
    double window = steadyWindow();
    Map<String, Double> inWindow = delta(calls0, operator.awsCalls());
    int apiWrites = audit.writesSince(mark, ground.operatorUser()).size();
    log(phase + " steady: " + inWindow + " in " + window + " s; API-server writes " + apiWrites);
    return new SteadyAws(window, inWindow, apiWrites);
  }

  /** Two resync periods with the operator watched for all of them; the seconds they took. */
  private double steadyWindow() {
    long t0 = System.nanoTime();
    if (!Polling.throughout(Duration.ofSeconds(2L * options.resyncSeconds()), operator::alive)) {
      throw new IllegalStateException("the operator exited during the steady-state window");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The listener-rule reads: one application load balancer in moto with {@code --listeners} HTTP
   * listeners (ports 80, 81, ...), made by the driver as a user's infrastructure would be, and
   * {@code --routes} LoadBalancerRoutes, route j on listener j mod L at priority 1 + j / L with
   * path /bench-j/*, forwarding to ECS Service bench-(j mod services) of the ecs phase. Once all
   * are Ready and the operator is quiet: every AWS call over two resync periods, and DescribeRules
   * per listener per resync.
   */
  private void routes(String ns, int services, List<String> subnets) throws Exception {
    int r = options.routes();
    int l = options.listeners();
    String lbName = ("bench-" + run + "-rules").toLowerCase(Locale.ROOT);
    try (ElasticLoadBalancingV2Client elb =
        ElasticLoadBalancingV2Client.builder()
            .endpointOverride(ground.motoEndpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(MOTO_ADMIN))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      String albArn =
          elb.createLoadBalancer(x -> x.name(lbName).subnets(subnets))
              .loadBalancers()
              .get(0)
              .loadBalancerArn();
      for (int k = 0; k < l; k++) {
        int port = 80 + k;
        elb.createListener(
            x ->
                x.loadBalancerArn(albArn)
                    .port(port)
                    .protocol("HTTP")
                    .defaultActions(
                        a ->
                            a.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(f -> f.statusCode("404"))));
      }
    }
    Map<String, Double> calls0 = operator.awsCalls();
    long t0 = System.nanoTime();
    Submitted sub =
        submit(
            r,
            0,
            j ->
                Resources.apply(
                    admin, BenchWorkloads.route(j, lbName, 80 + j % l, 1 + j / l, services), ns));
    long[] readyAt = {-1};
    Polling.until(
        options.phaseTimeout(),
        Duration.ofMillis(500),
        () -> {
          if (routesReady(ns) >= r - sub.failed.get()) {
            readyAt[0] = System.nanoTime();
            return true;
          }
          return false;
        });
    int ready = routesReady(ns);
    Double readySeconds = ready == r && readyAt[0] > 0 ? (readyAt[0] - t0) / 1e9 : null;
    Map<String, Double> toReady = delta(calls0, operator.awsCalls());
    log("routes: " + ready + "/" + r + " Ready after " + readySeconds + " s; " + toReady);
    SteadyAws steady = steadyAws("routes");
    Map<String, Double> inWindow = steady.calls();
    // the metric's api label is Service:Operation, the service as the AWS SDK names it
    String api =
        inWindow.keySet().stream()
            .filter(k -> k.endsWith(":DescribeRules"))
            .findFirst()
            .orElse("ElasticLoadBalancingV2:DescribeRules");
    report.routes =
        new BenchReport.Routes(
            r,
            l,
            services,
            readySeconds,
            ready,
            toReady,
            steady.window(),
            2,
            inWindow,
            api,
            inWindow.getOrDefault(api, 0.0),
            awsWrites(inWindow),
            steady.apiWrites());
  }

  private int routesReady(String ns) {
    return (int)
        admin.resources(LoadBalancerRoute.class).inNamespace(ns).list().getItems().stream()
            .filter(
                x ->
                    x.getStatus() != null
                        && x.getStatus().getConditions().stream()
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
            .count();
  }

  private static boolean isRead(String api) {
    String action = api.substring(api.indexOf(':') + 1);
    return action.startsWith("Describe") || action.startsWith("List") || action.startsWith("Get");
  }

  private boolean clusterReady(String ns) {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c != null
        && c.getStatus() != null
        && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  /** Workload {@code i} on the ecs backend (see {@link BenchWorkloads#ecsTaskDefinition}). */
  private void createEcs(String ns, int i, List<String> subnets, String securityGroup) {
    admin
        .resource(
            Resources.fromYaml(
                BenchWorkloads.ecsTaskDefinition(i), GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
    admin
        .resource(
            Resources.fromYaml(
                BenchWorkloads.ecsService(i, subnets, securityGroup),
                GenericKubernetesResource.class))
        .inNamespace(ns)
        .create();
  }

  private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (k, v) -> {
          double d = v - before.getOrDefault(k, 0.0);
          if (d != 0) out.put(k, d);
        });
    return out;
  }

  // ---- shared ------------------------------------------------------------------------------

  /** How the creates of one phase went: when the last request returned, how many failed. */
  private static final class Submitted {
    final AtomicInteger failed = new AtomicInteger();
    final AtomicReference<String> firstFailure = new AtomicReference<>();
    volatile long done;

    double seconds(long t0) {
      return (done - t0) / 1e9;
    }
  }

  private interface Create {
    void create(int i);
  }

  /**
   * Sends the creates of workloads 0..n-1: all at once ({@code rate} 0: as fast as 32 client
   * threads go) or {@code rate} workloads per second on a fixed schedule.
   */
  private Submitted submit(int n, int rate, Create create) throws InterruptedException {
    Submitted s = new Submitted();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (rate > 0) {
        long due = t0 + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
      }
      int index = i;
      pool.execute(
          () -> {
            try {
              create.create(index);
            } catch (RuntimeException e) {
              s.failed.incrementAndGet();
              if (s.firstFailure.compareAndSet(null, e.toString())) {
                log("create " + index + " failed: " + e);
              }
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.HOURS);
    s.done = System.nanoTime();
    if (s.failed.get() > 0) {
      report.notes.add(s.failed.get() + " create(s) failed, first: " + s.firstFailure.get());
    }
    return s;
  }

  private String namespace(String prefix) {
    String name = (prefix + "-" + run).toLowerCase(Locale.ROOT);
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  /** Namespaces an earlier, stopped run of the benchmark left on this ground. */
  private void leftovers() throws InterruptedException {
    for (var ns : admin.namespaces().list().getItems()) {
      String name = ns.getMetadata().getName();
      if (name.startsWith("bench-")) {
        log("deleting the earlier run's namespace " + name);
        admin.namespaces().withName(name).delete();
      }
    }
  }

  /** Deletes a namespace and waits until it is gone; the seconds that took. */
  private double deleteNamespace(String ns) throws InterruptedException {
    long t0 = System.nanoTime();
    admin.namespaces().withName(ns).delete();
    if (!Polling.until(
        options.phaseTimeout(),
        Duration.ofMillis(500),
        () -> admin.namespaces().withName(ns).get() == null)) {
      report.notes.add("namespace " + ns + " was not gone after " + options.phaseTimeout());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Kwok nodes of the benchmark's own, with room for thousands of pods whatever the corpus tasks
   * request (the test ground's nodes are sized for tests); linux amd64 and arm64, no taints.
   */
  private void benchNodes() throws InterruptedException {
    List<String> names = new ArrayList<>();
    for (String arch : List.of("amd64", "arm64")) {
      for (int i = 0; i < 4; i++) {
        String name = "bench-" + arch + "-" + i;
        names.add(name);
        String yaml =
            """
            apiVersion: v1
            kind: Node
            metadata:
              name: %s
              annotations:
                kwok.x-k8s.io/node: fake
                node.alpha.kubernetes.io/ttl: "0"
              labels:
                type: kwok
                tidewater.dev/bench: "true"
                kubernetes.io/hostname: %s
                kubernetes.io/os: linux
                kubernetes.io/arch: %s
            status:
              capacity:
                cpu: "100000"
                memory: 100000Gi
                pods: "3000"
            """
                .formatted(name, name, arch);
        Node node = Resources.fromYaml(yaml, Node.class);
        admin.nodes().resource(node).fieldManager("bench").forceConflicts().serverSideApply();
      }
    }
    boolean ready =
        Polling.until(
            Duration.ofSeconds(60),
            Duration.ofMillis(200),
            () ->
                names.stream()
                    .map(n -> admin.nodes().withName(n).get())
                    .allMatch(
                        n ->
                            n != null
                                && n.getStatus() != null
                                && n.getStatus().getConditions().stream()
                                    .anyMatch(
                                        c ->
                                            "Ready".equals(c.getType())
                                                && "True".equals(c.getStatus()))));
    if (ready) return;
    throw new IllegalStateException("the benchmark's kwok nodes did not become Ready");
  }

  private volatile boolean printed;

  private synchronized void print() {
    write();
    System.out.println();
    System.out.println(report.table());
    System.out.println("results: " + options.out().toAbsolutePath());
    printed = true;
  }

  private synchronized void write() {
    try {
      JSON.writeValue(options.out().toFile(), report);
    } catch (IOException e) {
      log("could not write " + options.out() + ": " + e);
    }
  }

  private static String rateName(int rate) {
    return rate == 0 ? "all" : rate + "/s";
  }

  private static String nsRate(int rate) {
    return rate == 0 ? "all" : rate + "ps";
  }

  private static int envInt(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
  }

  private static long memoryMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    } catch (IOException e) {
      // reported as 0
    }
    return 0;
  }

  static void log(String message) {
    System.err.printf("[%s] %s%n", java.time.LocalTime.now().withNano(0).toString(), message);
  }
}
