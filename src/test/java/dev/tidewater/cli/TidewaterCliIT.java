package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher {@code hack/tidewater} as users run it: a real process on the packaged app (runs
 * after {@code package}; the build check is skipped so the test never starts a nested Maven).
 */
class TidewaterCliIT {

  private static final Path REPO = Path.of("").toAbsolutePath();
  private static final Path LAUNCHER = REPO.resolve("hack/tidewater");
  private static final Path CORPUS =
      dev.tidewater.testing.EcsCorpus.TASK_DEFINITIONS.toAbsolutePath().normalize();

  @TempDir Path tmp;

  /** What the process printed and returned. */
  record Result(int exitCode, String out, String err) {}

  private Result tidewater(Path workingDirectory, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(LAUNCHER.toString());
    command.addAll(List.of(args));
    File out = tmp.resolve("out").toFile();
    File err = tmp.resolve("err").toFile();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDirectory.toFile())
            .redirectOutput(out)
            .redirectError(err);
    builder.environment().put("TIDEWATER_CLI_NO_BUILD", "1");
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("hack/tidewater did not finish in 120 s: " + command);
    }
    return new Result(process.exitValue(), read(out), read(err));
  }

  private static String read(File file) throws IOException {
    return Files.readString(file.toPath());
  }

  @Test
  void importPrintsYamlOnStdoutAndNothingOnStderr() throws Exception {
    Result result =
        tidewater(
            REPO, "import", CORPUS.resolve("021-firelens-appmesh-envoy-fargate.json").toString());

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    TaskDefinition td = new YAMLMapper().readValue(result.out(), TaskDefinition.class);
    assertThat(td.getMetadata().getName()).isEqualTo("appmesh-firelens-colorteller-black");
    assertThat(td.getSpec().containerDefinitions).hasSize(3);
  }

  @Test
  void aBrokenFileExitsWithOneAndOneCleanLine() throws Exception {
    Path broken = CORPUS.resolve("014-ecs-agent-container-health-template.json");
    Result result = tidewater(REPO, "import", broken.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines().toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        broken
                            + ": containerDefinitions[0].healthCheck: not valid JSON at line 14,"
                            + " column 13"));
    assertThat(result.err())
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain("SLF4J");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "examples/",
        "examples/worker",
        "examples/gpu",
        "examples/daemon",
        "examples/tasks"
      })
  void renderedExamplesAreAcceptedByTheApiServer(String example) throws Exception {
    Result rendered = tidewater(REPO, "render", "-f", example);
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();

    var ground = dev.tidewater.testing.TestGround.get();
    String ns = ground.createNamespace("render");
    try {
      var items =
          ground.admin().load(new java.io.ByteArrayInputStream(rendered.out().getBytes())).items();
      assertThat(items)
          .extracting(i -> i.getKind())
          .containsAnyOf("Deployment", "DaemonSet", "Job", "CronJob");
      for (var item : items) {
        item.getMetadata().setNamespace(ns);
        // server-side dry run: the API server validates and defaults, nothing is stored
        ground.admin().resource(item).dryRun().create();
      }
    } finally {
      ground.deleteNamespace(ns);
    }
  }

  @Test
  void validateAcceptsTheExamples() throws Exception {
    Result result =
        tidewater(
            REPO,
            "validate",
            "examples/",
            "examples/worker",
            "examples/gpu",
            "examples/daemon",
            "examples/ecs",
            "examples/tasks");

    assertThat(result.err()).isEmpty();
    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().toList())
        .hasSize(16)
        .allSatisfy(l -> assertThat(l).startsWith("examples/").endsWith(": valid"));
  }

  @Test
  void fileArgumentsResolveAgainstTheCallersDirectory() throws Exception {
    Result result = tidewater(REPO.resolve("examples"), "validate", "taskdefinition.yaml");

    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("taskdefinition.yaml: TaskDefinition/web: valid\n");
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void migratePlanPreviewsTheExamplesFlipInBothDirections() throws Exception {
    Result toEcs = tidewater(REPO, "migrate-plan", "--to", "ecs", "examples/");

    assertThat(toEcs.err()).isEmpty();
    assertThat(toEcs.exitCode()).isZero();
    assertThat(toEcs.out())
        .contains("Service web (Cluster default): kubernetes -> ecs")
        .contains("2 -> 1 -> 0")
        .contains("stops before Shift: LoadBalancerRoute web");

    Result toKubernetes =
        tidewater(
            REPO,
            "migrate-plan",
            "--to",
            "kubernetes",
            "examples/ecs/cluster.yaml",
            "examples/taskdefinition.yaml",
            "examples/taskrole.yaml",
            "examples/service.yaml",
            "examples/loadbalancerroute.yaml");
    assertThat(toKubernetes.err()).isEmpty();
    assertThat(toKubernetes.exitCode()).isZero();
    assertThat(toKubernetes.out()).contains("Service web (Cluster default): ecs -> kubernetes");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    Result result = tidewater(tmp, "import");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).contains("Missing required parameter").doesNotContain("Exception");
  }
}
