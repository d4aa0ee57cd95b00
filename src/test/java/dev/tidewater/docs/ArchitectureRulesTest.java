package dev.tidewater.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, checked on the sources: reconcilers hold no backend
 * branch and no AWS SDK code, backends and the CLI never reach into controllers, backends never see
 * the Operator SDK. A line that breaks one fails with its file and line.
 */
class ArchitectureRulesTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/tidewater");

  @Test
  void reconcilersHoldNoBackendBranchAndNoAwsSdkCode() throws IOException {
    assertThat(offending("controller", Pattern.compile("BackendKind\\.|software\\.amazon\\.")))
        .isEmpty();
  }

  @Test
  void backendsAndTheCliNeverUseControllers() throws IOException {
    Pattern controller = Pattern.compile("^import dev\\.tidewater\\.controller\\.");
    assertThat(offending("backend", controller)).isEmpty();
    assertThat(offending("cli", controller)).isEmpty();
    assertThat(offending("model", controller)).isEmpty();
  }

  @Test
  void backendsGetExplicitInputsNotTheOperatorSdksContext() throws IOException {
    assertThat(offending("backend", Pattern.compile("^import io\\.javaoperatorsdk\\."))).isEmpty();
  }

  /**
   * The kinds with one shared informer (controller/SharedInformers) are never watched by an
   * informer of a controller's own beside it (docs/architecture.md, "One watch and one cache per
   * kind").
   */
  @Test
  void sharedKindsGetNoInformerOfTheirOwn() throws IOException {
    assertThat(
            offending(
                "controller",
                Pattern.compile(
                    "InformerEventSourceConfiguration\\.from\\((Cluster|TaskDefinition"
                        + "|ControllerRevision|TaskRole|EcsService|LoadBalancerRoute|Task"
                        + "|ScheduledTask)\\.class|owned\\(ControllerRevision\\.class")))
        .isEmpty();
  }

  /**
   * A reconciler that is not {@code ShardNamespaces.Sharded} watches every namespace when the
   * operator is sharded (docs/install.md, "Sharding"): each one must be.
   */
  @Test
  void everyReconcilerFollowsItsShardsNamespaces() throws IOException {
    List<String> unsharded = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve("controller"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        if (text.contains("@ControllerConfiguration")
            && !text.contains("ShardNamespaces.Sharded<")) {
          unsharded.add(f.toString());
        }
      }
    }
    assertThat(unsharded).isEmpty();
  }

  /** The lines of the sources under {@code pkg} that {@code pattern} finds, as file:line: text. */
  private static List<String> offending(String pkg, Pattern pattern) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          if (pattern.matcher(lines.get(i)).find()) {
            out.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    return out;
  }
}
