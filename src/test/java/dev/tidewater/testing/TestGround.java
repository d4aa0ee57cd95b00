package dev.tidewater.testing;

import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsCredentialsSource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The running test ground of {@code hack/testground.sh up}: kubeconfigs of the admin and of the
 * operator's own user, the API server's audit log, kubectl and the moto endpoint. Read from the env
 * file that script writes.
 */
public final class TestGround {

  private static TestGround instance;

  private final Map<String, String> env;
  private KubernetesClient admin;
  private KubernetesClient operator;

  private TestGround(Map<String, String> env) {
    this.env = env;
  }

  /** The test ground, or a failure telling how to start it. */
  public static synchronized TestGround get() {
    if (instance == null) {
      Path file = envFile();
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(
            "no test ground at "
                + file
                + ": run `hack/testground.sh up` (or the README's test command) first");
      }
      instance = new TestGround(parse(file));
    }
    return instance;
  }

  static Path envFile() {
    String explicit = System.getenv("TIDEWATER_ENV");
    if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
    String run = System.getenv("TIDEWATER_RUN");
    if (run != null && !run.isBlank()) return Path.of(run, "env");
    String cache = System.getenv("TIDEWATER_CACHE");
    Path base =
        cache != null && !cache.isBlank()
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "tidewater");
    return base.resolve("run").resolve("default").resolve("env");
  }

  private static Map<String, String> parse(Path file) {
    try {
      Map<String, String> out = new HashMap<>();
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) out.put(line.substring(0, eq), line.substring(eq + 1));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String require(String key) {
    String v = env.get(key);
    if (v == null) throw new IllegalStateException(key + " missing from " + envFile());
    return v;
  }

  /** The ground's run directory (its env file, logs, and {@code pids/<component>.pid}). */
  public Path runDir() {
    return Path.of(require("TIDEWATER_RUN"));
  }

  public Path adminKubeconfig() {
    return Path.of(require("TIDEWATER_KUBECONFIG"));
  }

  public Path operatorKubeconfig() {
    return Path.of(require("TIDEWATER_OPERATOR_KUBECONFIG"));
  }

  /**
   * The namespace of the operator's ServiceAccount and Lease: the chart's release namespace, named
   * like the release.
   */
  public String operatorNamespace() {
    return require("TIDEWATER_OPERATOR_NAMESPACE");
  }

  /** The leader-election Lease {@code name} in the operator's namespace, or null. */
  public Lease operatorLease(String name) {
    return admin().leases().inNamespace(operatorNamespace()).withName(name).get();
  }

  /** Deletes the leader-election Lease {@code name} of a test's operators. */
  public void deleteOperatorLease(String name) {
    admin().leases().inNamespace(operatorNamespace()).withName(name).delete();
  }

  /** The user name the operator's credential (the chart's ServiceAccount) authenticates as. */
  public String operatorUser() {
    return require("TIDEWATER_OPERATOR_USER");
  }

  public Path kubectl() {
    return Path.of(require("TIDEWATER_KUBECTL"));
  }

  /** The helm binary {@code hack/build-helm.sh} built for this test ground. */
  public Path helm() {
    return Path.of(require("TIDEWATER_HELM"));
  }

  /** The argv of kubectl with the admin's kubeconfig and {@code args}. */
  public List<String> kubectlArgv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(kubectl().toString());
    argv.add("--kubeconfig");
    argv.add(adminKubeconfig().toString());
    argv.addAll(List.of(args));
    return argv;
  }

  public URI motoEndpoint() {
    return URI.create(require("TIDEWATER_MOTO_ENDPOINT"));
  }

  /** The AWS context tests use to look into moto (us-east-1, moto's static test keys). */
  public AwsContext motoContext() {
    return new AwsContext(
        "us-east-1",
        Optional.of(motoEndpoint()),
        new AwsCredentialsSource.Static("testing", "testing", Optional.empty()),
        Optional.empty(),
        Optional.empty());
  }

  /** A client with the admin's credential (tests' own writes). */
  public synchronized KubernetesClient admin() {
    if (admin == null) admin = client(adminKubeconfig());
    return admin;
  }

  /**
   * A client with the operator's credential, the chart's ServiceAccount (writes the audit counter
   * attributes to it).
   */
  public synchronized KubernetesClient operator() {
    if (operator == null) operator = client(operatorKubeconfig());
    return operator;
  }

  public AuditLog auditLog() {
    return new AuditLog(Path.of(require("TIDEWATER_AUDIT_LOG")), admin());
  }

  /** Creates a namespace of its own for one test; delete it with {@link #deleteNamespace}. */
  public String createNamespace(String prefix) {
    String name =
        (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    admin()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    return name;
  }

  public void deleteNamespace(String name) {
    admin().namespaces().withName(name).delete();
  }

  /**
   * Deletes what a test's chart release left cluster-wide (its ClusterRoles and bindings, by the
   * chart's instance label) and its namespace.
   */
  public void deleteRelease(String release, String namespace) {
    Command.run(
        kubectlArgv(
            "delete",
            "clusterrole,clusterrolebinding",
            "-l",
            "app.kubernetes.io/instance=" + release,
            "--ignore-not-found"));
    deleteNamespace(namespace);
  }

  /** The External Secrets Operator's ExternalSecret CRD, which the ground has installed. */
  public static final String EXTERNAL_SECRET_CRD = "externalsecrets.external-secrets.io";

  /**
   * Installs the External Secrets Operator's real ExternalSecret CRD (hack/external-crds.sh) and
   * waits until it is established: the ground's default, which {@code hack/testground.sh up} sets
   * up and an IT that removes the CRD puts back.
   */
  public void installExternalSecretCrd() {
    String out = Command.ok(List.of("hack/external-crds.sh")).strip();
    Path crd =
        Path.of(
            out.substring(out.lastIndexOf('\n') + 1),
            "eso",
            "external-secrets.io_externalsecrets.yaml");
    Command.ok(kubectlArgv("apply", "--server-side", "--force-conflicts", "-f", crd.toString()));
    Command.ok(
        kubectlArgv(
            "wait",
            "--for",
            "condition=Established",
            "--timeout",
            "60s",
            "crd/" + EXTERNAL_SECRET_CRD));
  }

  /** Removes the ExternalSecret CRD (a cluster without the External Secrets Operator). */
  public void removeExternalSecretCrd() {
    Command.ok(
        kubectlArgv(
            "delete", "crd", EXTERNAL_SECRET_CRD, "--ignore-not-found", "--wait", "--timeout=60s"));
  }

  /** Clears every moto backend (moto's reset is global: ITs using moto run serially). */
  public void resetMoto() {
    try {
      HttpResponse<Void> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(motoEndpoint().resolve("/moto-api/reset"))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("moto reset answered " + r.statusCode());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static KubernetesClient client(Path kubeconfig) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
