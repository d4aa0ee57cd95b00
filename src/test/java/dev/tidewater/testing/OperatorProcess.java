package dev.tidewater.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The operator as packaged ({@code target/quarkus-app}), in its own JVM: against the test ground as
 * the Helm chart installs it (the chart's ServiceAccount and RBAC, the chart's environment: profile
 * {@code cluster} with leader election) and moto as its AWS endpoint, or against any kubeconfig.
 * Closing it fails when the operator was ever refused by RBAC: a permission the chart lacks is a
 * defect, whichever test meets it.
 */
public final class OperatorProcess implements AutoCloseable {

  // HTTP/1.1, as the kubelet's probes and Prometheus speak it: the JDK client's default h2c upgrade
  // against the operator's Vert.x server once garbled a large /q/metrics body ("Frame type(95)
  // length(7234675) exceeds MAX_FRAME_SIZE") in a full run.
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final Process process;
  private final int port;
  private final Path log;

  private OperatorProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  // an RBAC denial as the API server words it, and the Operator SDK's own lease-permission check
  private static final Pattern RBAC_DENIAL =
      Pattern.compile(
          "forbidden: User \"[^\"]+\" cannot [a-z]+ resource|No permission to lease resource");

  /** Starts the operator and waits until its readiness endpoint says UP. */
  public static OperatorProcess start(TestGround ground, Map<String, String> extraEnv) {
    return start(ground, extraEnv, List.of());
  }

  /**
   * Starts the operator with extra environment and JVM arguments (e.g. {@code
   * -Dtidewater.resync-period=3s}) and waits until its readiness endpoint says UP.
   */
  public static OperatorProcess start(
      TestGround ground, Map<String, String> extraEnv, List<String> jvmArgs) {
    return ready(launch(ground, extraEnv, jvmArgs));
  }

  /**
   * Starts the operator as {@link #start(TestGround, Map, List)} does, without waiting for it to
   * become ready ({@link #awaitReady}).
   */
  public static OperatorProcess launch(
      TestGround ground, Map<String, String> extraEnv, List<String> jvmArgs) {
    Map<String, String> env = new LinkedHashMap<>(ChartEnvironment.of(ground));
    // a Lease of its own: ITs run one operator after another, and one killed on purpose must not
    // make the next wait out its lease (LeaderElectionIT shares one Lease between replicas)
    env.put(
        "TIDEWATER_LEADER_ELECTION_LEASE_NAME",
        "tidewater-it-" + UUID.randomUUID().toString().substring(0, 8));
    env.put("TIDEWATER_AWS_ENDPOINT", ground.motoEndpoint().toString());
    // the operator's own keys: the strict layer allows them what deploy/iam-policy.json allows
    env.putAll(TestGround.operatorAwsKeys());
    env.putAll(extraEnv);
    return launch(ground.operatorKubeconfig(), env, jvmArgs);
  }

  /**
   * Starts the operator against the cluster of {@code kubeconfig} (e.g. a k3s container's), with no
   * AWS endpoint of its own, and waits until its readiness endpoint says UP.
   */
  public static OperatorProcess start(
      Path kubeconfig, Map<String, String> extraEnv, List<String> jvmArgs) {
    return ready(launch(kubeconfig, extraEnv, jvmArgs));
  }

  private static OperatorProcess ready(OperatorProcess op) {
    try {
      op.awaitReady();
    } catch (RuntimeException e) {
      stop(op.process);
      throw new IllegalStateException("operator did not become ready; log: " + op.log(), e);
    }
    return op;
  }

  private static OperatorProcess launch(
      Path kubeconfig, Map<String, String> extraEnv, List<String> jvmArgs) {
    Path app = Path.of(System.getProperty("tidewater.app.dir", "target/quarkus-app"));
    Path jar = app.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` first");
    }
    int port = freePort();
    try {
      Path log = Files.createTempFile(Path.of("target"), "operator-", ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx256m");
      cmd.addAll(jvmArgs);
      cmd.add("-jar");
      cmd.add(jar.toString());
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.put("KUBECONFIG", kubeconfig.toString());
      env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
      env.putAll(extraEnv);
      return new OperatorProcess(pb.start(), port, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the readiness endpoint says UP; fails when the operator exits first. */
  public void awaitReady() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("operator exited with " + process.exitValue());
              }
              return isReady();
            });
  }

  /** Whether the readiness endpoint answers UP now (false while the HTTP server is not up). */
  public boolean isReady() {
    try {
      return health("ready").statusCode() == 200;
    } catch (UncheckedIOException notListeningYet) {
      return false;
    }
  }

  /** GET {@code /q/health/<which>}. */
  public HttpResponse<String> health(String which) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/" + which))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sum of a Prometheus counter over all its label sets whose text contains {@code labels}. */
  public double counter(String name, String labels) {
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          .filter(l -> l.startsWith(name + "{") && l.contains(labels))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the operator printed so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of the log in which the API server refused the operator for lack of RBAC. */
  public List<String> rbacDenials() {
    return log().lines().filter(l -> RBAC_DENIAL.matcher(l).find()).toList();
  }

  /** The operator's process (to signal it, or to see whether it still runs). */
  public Process process() {
    return process;
  }

  /** Stops the operator, then fails if RBAC ever refused it. */
  @Override
  public void close() {
    stop(process);
    List<String> denials = rbacDenials();
    if (!denials.isEmpty()) {
      throw new AssertionError(
          "the operator was refused by the chart's RBAC ("
              + denials.size()
              + " lines, log "
              + log
              + "), e.g.:\n"
              + String.join("\n", denials.subList(0, Math.min(5, denials.size()))));
    }
  }

  /** Ends an operator process: politely, then forcibly after 20 s. */
  public static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** A TCP port nobody listens on now, for an operator's HTTP server. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
