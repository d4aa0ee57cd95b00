package dev.tidewater.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
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
      int ecsServices,
      String heap,
      Duration phaseTimeout,
      Path app) {

    static final String USAGE =
        "usage: Benchmark [--sizes 100,1000,3000|none] [--rate all,50] [--out FILE]"
            + " [--resync SECONDS] [--steady all|none|N,...] [--ecs N|0] [--heap 512m]"
            + " [--timeout SECONDS]";

    static Options parse(String... args) {
      List<Integer> sizes = List.of(100, 1000, 3000);
      List<Integer> rates = List.of(0, 50);
      Path out = Path.of("target", "bench", "results.json");
      int resync = 60;
      String steady = "all";
      int ecs = 200;
      String heap = "512m";
      int timeout = 900;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        if (v == null) throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
        switch (a) {
          case "--sizes" -> sizes = v.equals("none") ? List.of() : ints(v);
          case "--rate", "--rates" ->
              rates =
                  List.of(v.split(",")).stream()
                      .map(r -> r.equals("all") ? 0 : Integer.parseInt(r))
                      .toList();
          case "--out" -> out = Path.of(v);
          case "--resync" -> resync = Integer.parseInt(v.replaceAll("s$", ""));
          case "--steady" -> steady = v;
          case "--ecs" -> ecs = Integer.parseInt(v);
          case "--heap" -> heap = v;
          case "--timeout" -> timeout = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
        }
        i++;
      }
      Set<Integer> steadySizes =
          switch (steady) {
            case "all" -> new LinkedHashSet<>(sizes);
            case "none" -> Set.of();
            default -> new LinkedHashSet<>(ints(steady));
          };
      return new Options(
          sizes,
          rates,
          out,
          resync,
          steadySizes,
          ecs,
          heap,
          Duration.ofSeconds(timeout),
          Path.of(System.getProperty("tidewater.app.dir", "target/quarkus-app")));
    }

    private static List<Integer> ints(String csv) {
      return List.of(csv.split(",")).stream().map(String::trim).map(Integer::parseInt).toList();
    }
  }

  private final Options options;
  private final TestGround ground = TestGround.get();
  private final KubernetesClient admin = ground.admin();
  private final BenchReport report = new BenchReport();
  private final String run = UUID.randomUUID().toString().substring(0, 4);
  private BenchWorkloads workloads;
  private BenchOperator operator;

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
    // a stopped driver stops its operator too
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
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
    startOperator();
    // the ecs phase first: it is short and independent of the kubernetes sizes, so a run stopped
    // during the largest size still has it
    if (options.ecsServices() > 0) {
      guarded("ecs N=" + options.ecsServices(), () -> ecs(options.ecsServices()));
    }
    for (int n : options.sizes()) {
      for (int i = 0; i < options.rates().size(); i++) {
        int rate = options.rates().get(i);
        guarded("baseline N=" + n + " rate=" + rateName(rate), () -> baseline(n, rate));
        boolean first = i == 0;
        guarded(
            "tidewater N=" + n + " rate=" + rateName(rate),
            () -> tidewater(n, rate, first, first && options.steadySizes().contains(n)));
        write();
      }
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

  private void baseline(int n, int rate) throws Exception {
    String ns = namespace("bench-base-" + n + "-" + nsRate(rate));
    try (Convergence watch = Convergence.ofDeployments(admin, ns)) {
      Map<String, Double> cpu0 = cpuSnapshot();
      long t0 = System.nanoTime();
      Submitted sub =
          submit(
              n,
              rate,
              i ->
                  admin
                      .resource(workloads.baseline(i))
                      .inNamespace(ns)
                      .fieldManager("bench-baseline")
                      .forceConflicts()
                      .serverSideApply());
      int ok = watch.await(n - sub.failed.get(), options.phaseTimeout());
      Map<String, Double> cpu = ProcessCpu.since(cpu0, cpuSnapshot());
      Double seconds = ok == n ? (watch.lastConverged() - t0) / 1e9 : null;
      log("baseline N=" + n + ": " + ok + "/" + n + " available after " + seconds + " s");
      double cleanup = deleteNamespace(ns);
      report.convergence.add(
          new BenchReport.Convergence(
              "baseline",
              n,
              rateName(rate),
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

  private void tidewater(int n, int rate, boolean memory, boolean steady) throws Exception {
    String ns = namespace("bench-tw-" + n + "-" + nsRate(rate));
    BenchReport.Convergence result;
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
              + ": "
              + ok
              + "/"
              + n
              + " converged after "
              + seconds
              + " s; create->Deployment "
              + latency);
      result =
          new BenchReport.Convergence(
              "tidewater",
              n,
              rateName(rate),
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

  /** Two resync periods after the operator went quiet: its writes, reconciles and CPU. */
  private BenchReport.Steady steady(int n) throws Exception {
    awaitQuiet();
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    double cpu0 = operator.cpuSeconds();
    double reconciles0 = operator.sum("tidewater_reconciles_total", "");
    Map<String, Double> aws0 = operator.awsCalls();
    long t0 = System.nanoTime();
    // the measurement window itself: two resync periods, the operator watched for all of it
    if (!Polling.throughout(Duration.ofSeconds(2L * options.resyncSeconds()), operator::alive)) {
      throw new IllegalStateException("the operator exited during the steady-state window");
    }
    double window = (System.nanoTime() - t0) / 1e9;
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

  /** Until the operator has sent no API-server write for five seconds (at most two minutes). */
  private void awaitQuiet() throws Exception {
    double[] last = {operator.sum("tidewater_kubernetes_writes_total", "")};
    long[] quietSince = {System.nanoTime()};
    boolean quiet =
        Polling.until(
            Duration.ofMinutes(2),
            Duration.ofMillis(500),
            () -> {
              double now = operator.sum("tidewater_kubernetes_writes_total", "");
              if (now != last[0]) {
                last[0] = now;
                quietSince[0] = System.nanoTime();
              }
              return System.nanoTime() - quietSince[0] > TimeUnit.SECONDS.toNanos(5);
            });
    if (!quiet) {
      report.notes.add("the operator did not go quiet before a steady-state window");
    }
  }

  // ---- ecs backend -------------------------------------------------------------------------

  private void ecs(int n) throws Exception {
    String ns = namespace("bench-ecs");
    List<String> subnets = new ArrayList<>();
    String securityGroup;
    try (Ec2Client ec2 =
        Ec2Client.builder()
            .endpointOverride(ground.motoEndpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
      for (String cidr : List.of("10.0.1.0/24", "10.0.2.0/24")) {
        subnets.add(ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr)).subnet().subnetId());
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
    awaitQuiet();
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();
    Map<String, Double> calls1 = operator.awsCalls();
    long t0 = System.nanoTime();
    // the measurement window itself: two resync periods, the operator watched for all of it
    if (!Polling.throughout(Duration.ofSeconds(2L * options.resyncSeconds()), operator::alive)) {
      throw new IllegalStateException("the operator exited during the steady-state window");
    }
    double window = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> inWindow = delta(calls1, operator.awsCalls());
    int apiWrites = audit.writesSince(mark, ground.operatorUser()).size();
    double awsWrites =
        inWindow.entrySet().stream()
            .filter(e -> !isRead(e.getKey()))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    double describes = inWindow.getOrDefault("Ecs:DescribeServices", 0.0) / 2;
    log("ecs steady: " + inWindow + " in " + window + " s; API-server writes " + apiWrites);
    double cleanup = deleteNamespace(ns);
    report.ecs =
        new BenchReport.Ecs(
            n,
            seconds,
            ok,
            toConverge,
            window,
            inWindow,
            describes,
            (n + 9) / 10,
            awsWrites,
            apiWrites,
            cleanup);
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
