package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * crds/ and one valid example of each kind apply to the real API server, and {@code kubectl get
 * ecs} (the category) lists every kind with its printer columns.
 */
class KubectlGetEcsIT {

  private final TestGround ground = TestGround.get();
  private String ns;
  private Path cacheDir;

  @BeforeEach
  void namespace() throws IOException {
    Crds.apply(ground.admin());
    ns = ground.createNamespace("kubectl");
    cacheDir = Files.createTempDirectory("kubectl-cache");
  }

  @AfterEach
  void cleanUp() {
    ground.deleteNamespace(ns);
  }

  @Test
  void kubectlGetEcsListsEveryKindWithItsColumns() throws Exception {
    List<Path> examples;
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      examples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path example : examples) {
      Resources.applyFile(ground.admin(), example, ns);
    }

    // discovery picks up new CRDs (and their category) a moment after they are Established
    String out =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> kubectl("get", "ecs", "-n", ns), o -> o.contains("loadbalancerroute"));

    assertThat(out)
        .containsPattern("NAME\\s+BACKEND\\s+READY\\s+REASON\\s+AGE")
        .containsPattern("cluster.ecs.tidewater.dev/default\\s")
        .containsPattern("NAME\\s+ROLE\\s+SERVICEACCOUNT\\s+READY\\s+REASON\\s+AGE")
        .containsPattern("taskrole.ecs.tidewater.dev/web\\s")
        .containsPattern("NAME\\s+FAMILY\\s+REVISION\\s+READY\\s+REASON\\s+AGE")
        .containsPattern("taskdefinition.ecs.tidewater.dev/web\\s")
        .containsPattern(
            "NAME\\s+DESIRED\\s+RUNNING\\s+PENDING\\s+REVISION\\s+ROLLOUT\\s+BACKEND\\s+MIGRATION\\s+READY\\s+REASON\\s+AGE")
        .containsPattern("service.ecs.tidewater.dev/web\\s")
        .containsPattern(
            "NAME\\s+LOADBALANCER\\s+SERVICE\\s+PORT\\s+ADDRESS\\s+READY\\s+REASON\\s+AGE")
        .containsPattern("loadbalancerroute.ecs.tidewater.dev/web\\s+public\\s+web\\s+8080\\s");
    assertThat(kubectl("get", "ecssvc", "-n", ns, "-o", "name"))
        .contains("service.ecs.tidewater.dev/web");
    assertThat(kubectl("get", "td", "-n", ns, "-o", "name"))
        .contains("taskdefinition.ecs.tidewater.dev/web");
  }

  /** What docs/troubleshooting.md tells users to type: it must find our kinds and explain them. */
  @Test
  void describeFindsOurServiceAndExplainDescribesEveryKind() throws Exception {
    Resources.applyFile(ground.admin(), Path.of("examples/service.yaml"), ns);

    String described =
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> kubectl("describe", "ecssvc", "web", "-n", ns), o -> o.contains("web"));
    assertThat(described)
        .containsPattern("API Version:\\s+ecs.tidewater.dev/v1alpha1")
        .containsPattern("Kind:\\s+Service");
    assertThat(kubectl("describe", "service.ecs.tidewater.dev", "web", "-n", ns))
        .containsPattern("API Version:\\s+ecs.tidewater.dev/v1alpha1");
    // the documented event query is one the API server accepts
    kubectl(
        "get",
        "events",
        "-n",
        ns,
        "--field-selector",
        "involvedObject.apiVersion=ecs.tidewater.dev/v1alpha1,involvedObject.name=web");

    for (String kind :
        List.of("ecscluster", "taskdef", "ecssvc", "taskrole", "lbroute", "ecstask")) {
      for (String path : List.of(kind, kind + ".spec", kind + ".status")) {
        // the OpenAPI of a new CRD is published a moment after it is Established
        String explained =
            await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> kubectl("explain", path), o -> o.contains("DESCRIPTION"));
        assertThat(explained).as("kubectl explain %s", path).doesNotContain("<empty>");
      }
    }
  }

  private String kubectl(String... args) throws IOException, InterruptedException {
    List<String> cmd = ground.kubectlArgv("--cache-dir", cacheDir.toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
