package dev.tidewater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  private static final ObjectMapper STRICT_JSON = new ObjectMapper();

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

  /**
   * Renders one template of the Helm chart ({@code templates/...}) for {@code release} with default
   * values and applies it server-side as the admin, into {@code dir} (a test's temporary folder).
   */
  public void applyChartTemplate(String release, String template, Path dir) throws IOException {
    Path rendered = dir.resolve(Path.of(template).getFileName());
    Files.writeString(
        rendered,
        Command.ok(
            List.of(
                helm().toString(),
                "template",
                release,
                "helm/tidewater",
                "--show-only",
                template)));
    Command.ok(kubectlArgv("apply", "--server-side", "-f", rendered.toString()));
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

  /**
   * The AWS context tests use to look into moto (us-east-1, moto's static test keys): the strict
   * layer's admin, unrestricted by policies but still held to the AWS service models.
   */
  public AwsContext motoContext() {
    return awsContext(ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY);
  }

  /**
   * The AWS context of the operator's own credentials: the strict layer allows them exactly what
   * {@code deploy/iam-policy.json} allows.
   */
  public AwsContext operatorAwsContext() {
    return awsContext(OPERATOR_ACCESS_KEY_ID, OPERATOR_SECRET_ACCESS_KEY);
  }

  /** An AWS context on the strict layer with the given keys (e.g. a registered test principal). */
  public AwsContext awsContext(String accessKeyId, String secretAccessKey) {
    return new AwsContext(
        "us-east-1",
        Optional.of(motoEndpoint()),
        new AwsCredentialsSource.Static(accessKeyId, secretAccessKey, Optional.empty()),
        Optional.empty(),
        Optional.empty());
  }

  /** The strict layer's admin keys (moto's static test keys). */
  public static final String ADMIN_ACCESS_KEY_ID = "testing";

  public static final String ADMIN_SECRET_ACCESS_KEY = "testing";

  /** The operator's keys on the strict layer, limited to {@code deploy/iam-policy.json}. */
  public static final String OPERATOR_ACCESS_KEY_ID = "TIDEWATEROPERATOR";

  public static final String OPERATOR_SECRET_ACCESS_KEY = "tidewater-operator-secret";

  /**
   * The AWS keys an operator process of the ITs gets: the operator's own (its IAM policy enforced)
   * unless {@code -Dtidewater.strict.operatorCredentials=admin} runs it unrestricted (model
   * validation and AWS behaviours only).
   */
  public static Map<String, String> operatorAwsKeys() {
    boolean admin =
        "admin".equals(System.getProperty("tidewater.strict.operatorCredentials", "operator"));
    return Map.of(
        "AWS_ACCESS_KEY_ID",
        admin ? ADMIN_ACCESS_KEY_ID : OPERATOR_ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY",
        admin ? ADMIN_SECRET_ACCESS_KEY : OPERATOR_SECRET_ACCESS_KEY);
  }

  /**
   * Merges {@code switches} into the strict layer's configuration ({@code throttleEvery}, {@code
   * iamPropagationSeconds}, {@code enforcePolicies}, {@code ecsScheduler}); {@link #resetMoto}
   * clears them.
   */
  public void strictConfig(Map<String, ?> switches) {
    strictApi("POST", "/strict-api/config", STRICT_JSON.valueToTree(switches).toString());
  }

  /**
   * Registers a principal with the strict layer: requests signed with {@code accessKeyId} are
   * allowed what {@code policies} (IAM policy documents as JSON) allow; {@link #resetMoto} forgets
   * it.
   */
  public void strictPrincipal(
      String name, String accessKeyId, String secretAccessKey, List<String> policies) {
    ObjectNode body = STRICT_JSON.createObjectNode();
    body.put("name", name);
    body.put("accessKeyId", accessKeyId);
    body.put("secretAccessKey", secretAccessKey);
    ArrayNode docs = body.putArray("policies");
    for (String p : policies) {
      try {
        docs.add(STRICT_JSON.readTree(p));
      } catch (IOException e) {
        throw new IllegalArgumentException("not a JSON policy: " + p, e);
      }
    }
    strictApi("POST", "/strict-api/principals", body.toString());
  }

  /**
   * Pins the health DescribeTargetHealth reports for a registered target ({@code state}: {@code
   * initial}, {@code unhealthy}, {@code unused}, {@code draining}, {@code unavailable}; null or
   * {@code healthy} unpins: moto reports every registered target healthy); {@link #resetMoto}
   * forgets the pins.
   */
  public void pinTargetHealth(String targetGroupArn, String id, int port, String state) {
    ObjectNode body = STRICT_JSON.createObjectNode();
    body.put("targetGroupArn", targetGroupArn);
    body.put("id", id);
    body.put("port", port);
    if (state == null) {
      body.putNull("state");
    } else {
      body.put("state", state);
    }
    strictApi("POST", "/strict-api/target-health", body.toString());
  }

  /** One request the strict layer (or moto behind it) refused since the last reset. */
  public record Refusal(
      String service, String operation, String principal, String code, String message, String by) {
    @Override
    public String toString() {
      return service + ":" + operation + " [" + principal + "] " + code + ": " + message;
    }
  }

  /** Every request refused since the last {@link #resetMoto}, oldest first. */
  public List<Refusal> refusals() {
    JsonNode list;
    try {
      list = STRICT_JSON.readTree(strictApi("GET", "/strict-api/refusals", null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Refusal> out = new ArrayList<>();
    for (JsonNode r : list) {
      out.add(
          new Refusal(
              r.path("service").asText(),
              r.path("operation").asText(),
              r.path("principal").asText(),
              r.path("code").asText(),
              r.path("message").asText(),
              r.path("by").asText()));
    }
    return out;
  }

  /**
   * How many DescribeTasks calls an ECS task of moto takes from RUNNING to STOPPED (one state a
   * call; moto's default is 4): a large number keeps tasks running. Global to moto, like its reset:
   * set it back with {@link #forgetMotoTaskTransitions} when done.
   */
  public void motoTaskTransitions(int describesPerState) {
    strictApi(
        "POST",
        "/moto-api/state-manager/set-transition",
        "{\"model_name\": \"ecs::task\", \"transition\": {\"progression\": \"manual\","
            + " \"times\": "
            + describesPerState
            + "}}");
  }

  /** moto's own pace of ECS tasks again (one state per DescribeTasks). */
  public void forgetMotoTaskTransitions() {
    strictApi(
        "POST", "/moto-api/state-manager/unset-transition", "{\"model_name\": \"ecs::task\"}");
  }

  private String strictApi(String method, String path, String json) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(motoEndpoint().resolve(path))
              .header("Content-Type", "application/json");
      b =
          json == null
              ? b.method(method, HttpRequest.BodyPublishers.noBody())
              : b.method(method, HttpRequest.BodyPublishers.ofString(json));
      HttpResponse<String> r =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "strict layer "
                + method
                + " "
                + path
                + " answered "
                + r.statusCode()
                + ": "
                + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
   * Deletes what a test's chart release left cluster-wide (its ClusterRoles and bindings, its
   * admission policy and binding, by the chart's instance label) and its namespace.
   */
  public void deleteRelease(String release, String namespace) {
    Command.run(
        kubectlArgv(
            "delete",
            "clusterrole,clusterrolebinding,validatingadmissionpolicy,validatingadmissionpolicybinding",
            "-l",
            "app.kubernetes.io/instance=" + release,
            "--ignore-not-found"));
    deleteNamespace(namespace);
  }

  /**
   * An outage of one of the ground's processes ({@code etcd} or {@code kube-apiserver}): stopped
   * now, started again as {@code hack/testground.sh up} started it (same ports, data directory and
   * certificates) and healthy when closed. Use it in try-with-resources: the ITs after the test
   * share the ground, so it must come back even when the test fails.
   */
  public Outage outage(String component) {
    groundCommand("stop", component);
    return new Outage(component);
  }

  /** A stopped component of the ground; {@link #close} starts it again and waits until healthy. */
  public final class Outage implements AutoCloseable {
    private final String component;
    private boolean ended;
    // a JVM that ends mid-outage (a failsafe timeout, an interrupt) still leaves the ground up
    private final Thread restoreOnExit;

    private Outage(String component) {
      this.component = component;
      this.restoreOnExit = new Thread(() -> groundCommand("start", component), "restore-ground");
      Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    /** Starts the component again (once) and waits until it is healthy. */
    @Override
    public synchronized void close() {
      if (ended) return;
      ended = true;
      try {
        Runtime.getRuntime().removeShutdownHook(restoreOnExit);
      } catch (IllegalStateException shuttingDown) {
        return; // the hook starts it
      }
      groundCommand("start", component);
    }
  }

  private void groundCommand(String verb, String component) {
    Command.ok(List.of("env", "TIDEWATER_RUN=" + runDir(), "hack/testground.sh", verb, component));
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

  /**
   * Clears every moto backend and the strict layer's switches, client tokens, refusal log and test
   * principals (the reset is global: ITs using moto run serially).
   */
  public void resetMoto() {
    strictApi("POST", "/strict-api/reset", null);
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
