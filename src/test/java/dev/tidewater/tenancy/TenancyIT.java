package dev.tidewater.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A namespace's Cluster cannot loosen the TenancyPolicy that governs it: guardrails beyond the
 * policy do not reach its workloads, and an endpoint the policy does not grant gets no request (the
 * operator's signed requests never leave for it). Each test's policy names only its own namespace;
 * the ground's policy (which grants everything) governs it too, and every governing policy must
 * allow.
 */
class TenancyIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("tenancy", Map.of(), List.of("-Dtidewater.resync-period=5s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  @AfterEach
  void deletePolicy() {
    admin.resources(TenancyPolicy.class).withName(ns).delete();
  }

  /** A policy named after the namespace, governing only it, with {@code spec} (YAML). */
  private void policy(String spec) {
    Resources.apply(
        admin,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TenancyPolicy
        metadata:
          name: %s
        spec:
          namespaces: [%s]
        %s
        """
            .formatted(ns, ns, spec.indent(2)),
        null);
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private static Condition condition(TidewaterStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private void awaitDegraded(
      Supplier<TidewaterStatus> status, String reason, String... messageParts) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> {
              Condition c = condition(status.get(), "Degraded");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo(reason);
              assertThat(c.getMessage()).contains(messageParts);
            });
  }

  private void awaitReady(Supplier<TidewaterStatus> status) {
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> assertThat(condition(status.get(), "Ready").getStatus()).isEqualTo("True"));
  }

  private Supplier<TidewaterStatus> cluster(String name) {
    return () -> admin.resources(Cluster.class).inNamespace(ns).withName(name).get().getStatus();
  }

  private Supplier<TidewaterStatus> taskDefinition(String name) {
    return () ->
        admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get().getStatus();
  }

  @Test
  void aClusterThatAllowsPrivilegedCannotLetItsTasksBePrivilegedBeyondThePolicy() {
    policy("guardrails: {allowHostNetwork: true}");
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: default}
        spec:
          backend: kubernetes
          guardrails: {allowPrivileged: true, allowHostNetwork: true}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata: {name: root}
        spec:
          containerDefinitions:
            - {name: web, image: public.ecr.aws/nginx/nginx:1.27, memory: 256, privileged: true}
        """);
    awaitDegraded(
        cluster("default"),
        TenancyCeiling.EXCEEDS,
        "spec.guardrails.allowPrivileged",
        "TenancyPolicy " + ns);
    assertThat(condition(cluster("default").get(), "Degraded").getMessage())
        .as("what the policy allows is not refused")
        .doesNotContain("allowHostNetwork");
    awaitDegraded(
        taskDefinition("root"), "GuardrailViolation", "spec.containerDefinitions[0].privileged");
    assertThat(
            admin.apps().controllerRevisions().inNamespace(ns).list().getItems().stream()
                .filter(r -> r.getMetadata().getName().startsWith("root")))
        .as("no revision of the refused TaskDefinition")
        .isEmpty();

    // the platform team loosens the policy: the Cluster and its workload follow without an edit
    policy("guardrails: {allowHostNetwork: true, allowPrivileged: true}");
    awaitReady(cluster("default"));
    awaitReady(taskDefinition("root"));
  }

  /** A loopback HTTP server that records every request and answers an AWS JSON error. */
  private static HttpServer collector(List<String> received) throws IOException {
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              "{\"__type\":\"Collected\",\"message\":\"thanks for the keys\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(400, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    collector.start();
    return collector;
  }

  @Test
  void theErrorTextOfAGrantedEndpointThatIsNotAwsNeverReachesStatus() throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = collector(received);
    try {
      String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
      policy("aws: {allowedEndpoints: [\"%s\"]}".formatted(endpoint));
      apply(
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata: {name: default}
          spec:
            backend: ecs
            aws: {region: us-east-1, endpoint: "%s"}
            ecs: {create: true}
          """
              .formatted(endpoint));
      awaitDegraded(
          cluster("default"), "InvalidParameter", "HTTP 400 Collected", "not an AWS endpoint");
      assertThat(received).as("the granted endpoint was called").isNotEmpty();
      assertThat(condition(cluster("default").get(), "Degraded").getMessage())
          .doesNotContain("thanks for the keys");
      assertThat(
              Resources.events(admin, ns, "default", "InvalidParameter").stream()
                  .map(e -> e.getMessage()))
          .allSatisfy(m -> assertThat(m).doesNotContain("thanks for the keys"));
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void anEndpointThePolicyDoesNotGrantReceivesNoRequest() throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = collector(received);
    try {
      // the ground's policy grants every loopback endpoint; this namespace's grants only moto's
      policy("aws: {allowedEndpoints: [\"%s\"]}".formatted(ground.motoEndpoint()));
      String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
      apply(
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Cluster
          metadata: {name: default}
          spec:
            backend: ecs
            aws: {region: us-east-1, endpoint: "%s"}
            ecs: {create: true}
          ---
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: TaskDefinition
          metadata: {name: web}
          spec:
            containerDefinitions:
              - {name: web, image: public.ecr.aws/nginx/nginx:1.27, memory: 256}
          """
              .formatted(endpoint));
      awaitDegraded(
          cluster("default"),
          TenancyCeiling.EXCEEDS,
          "spec.aws.endpoint",
          endpoint,
          "TenancyPolicy " + ns);
      awaitDegraded(
          taskDefinition("web"),
          TenancyCeiling.EXCEEDS,
          "Cluster default: spec.aws.endpoint",
          "TenancyPolicy " + ns);
      assertThat(
              Resources.events(admin, ns, "default", TenancyCeiling.EXCEEDS).stream()
                  .map(e -> e.getMessage()))
          .anySatisfy(m -> assertThat(m).contains("spec.aws.endpoint"));
      assertThat(condition(cluster("default").get(), "Degraded").getMessage())
          .doesNotContain("thanks for the keys");
      assertThat(received)
          .as("requests that reached the endpoint the policy does not grant")
          .isEmpty();
    } finally {
      collector.stop(0);
    }
  }
}
