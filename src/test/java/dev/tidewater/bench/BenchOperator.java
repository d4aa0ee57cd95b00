package dev.tidewater.bench;

import dev.tidewater.testing.OperatorProcess;
import dev.tidewater.testing.TestGround;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as a user runs it ({@code java -jar target/quarkus-app/quarkus-run.jar}) in its own
 * JVM with a fixed heap, the test ground's operator credential (so the audit log attributes its
 * writes) and moto as its AWS endpoint; and what the benchmark reads of it: Prometheus metrics, CPU
 * time and RSS from {@code /proc}, heap after a full GC through {@code jcmd}.
 */
final class BenchOperator implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern HEAP_USED =
      Pattern.compile("heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  /** How the process came up: milliseconds from the launch to readiness and first reconcile. */
  record Startup(long firstReconcileMillis, long readyMillis) {}

  private final Process process;
  private final int port;
  private final Path log;
  private final Startup startup;

  private BenchOperator(Process process, int port, Path log, Startup startup) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.startup = startup;
  }

  /**
   * Launches the packaged operator and waits until it has reconciled something (the caller creates
   * a resource first) and is ready; the clock starts just before the process is launched.
   */
  static BenchOperator start(
      TestGround ground, Path app, String heap, List<String> jvmArgs, Path log)
      throws IOException, InterruptedException {
    Path jar = app.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first");
    }
    int port = OperatorProcess.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", ground.operatorKubeconfig().toString());
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    env.put("TIDEWATER_AWS_ENDPOINT", ground.motoEndpoint().toString());
    // the operator's own keys: the strict layer allows them what deploy/iam-policy.json allows
    env.putAll(TestGround.operatorAwsKeys());
    long t0 = System.nanoTime();
    Process process = pb.start();
    BenchOperator op = new BenchOperator(process, port, log, null);
    long[] firstReconcile = {-1};
    long[] ready = {-1};
    boolean started =
        Polling.until(
            Duration.ofSeconds(120),
            Duration.ofMillis(20),
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "the operator exited with " + process.exitValue() + "; log: " + log);
              }
              try {
                if (firstReconcile[0] < 0 && op.sum("tidewater_reconciles_total", "") > 0) {
                  firstReconcile[0] = System.nanoTime();
                }
                if (ready[0] < 0 && op.get("/q/health/ready").statusCode() == 200) {
                  ready[0] = System.nanoTime();
                }
              } catch (IOException notListeningYet) {
                // the HTTP server is not up yet
              }
              return firstReconcile[0] >= 0 && ready[0] >= 0;
            });
    if (!started) {
      op.close();
      throw new IllegalStateException("the operator did not start in 120 s; log: " + log);
    }
    return new BenchOperator(
        process,
        port,
        log,
        new Startup(
            TimeUnit.NANOSECONDS.toMillis(firstReconcile[0] - t0),
            TimeUnit.NANOSECONDS.toMillis(ready[0] - t0)));
  }

  Startup startup() {
    return startup;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample of the Prometheus metric {@code name}: label text to value. */
  Map<String, Double> samples(String name) throws IOException, InterruptedException {
    Map<String, Double> out = new TreeMap<>();
    for (String line : get("/q/metrics").body().lines().toList()) {
      if (line.startsWith(name + "{")) {
        int close = line.lastIndexOf('}');
        out.merge(
            line.substring(name.length() + 1, close),
            Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)),
            Double::sum);
      }
    }
    return out;
  }

  /** The sum of a metric's samples whose labels contain {@code labels}. */
  double sum(String name, String labels) throws IOException, InterruptedException {
    return samples(name).entrySet().stream()
        .filter(e -> e.getKey().contains(labels))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /** {@code tidewater_aws_calls_total} by API name. */
  Map<String, Double> awsCalls() throws IOException, InterruptedException {
    Map<String, Double> out = new TreeMap<>();
    Pattern api = Pattern.compile("api=\"([^\"]+)\"");
    samples("tidewater_aws_calls_total")
        .forEach(
            (labels, v) -> {
              Matcher m = api.matcher(labels);
              if (m.find()) out.merge(m.group(1), v, Double::sum);
            });
    return out;
  }

  /** User plus system CPU time of the process so far, in seconds. */
  double cpuSeconds() throws IOException {
    return ProcessCpu.seconds(pid());
  }

  /** Resident set size in MiB (VmRSS of /proc/PID/status). */
  double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid());
  }

  /** Runs a full GC ({@code jcmd PID GC.run}) and returns the heap in use after it, in MiB. */
  double heapAfterFullGcMiB() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) throw new IllegalStateException("unexpected GC.heap_info output: " + info);
    return Long.parseLong(m.group(2)) / 1024.0;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(pid()), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    OperatorProcess.stop(process);
  }
}
