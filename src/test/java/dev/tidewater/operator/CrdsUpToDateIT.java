package dev.tidewater.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under {@code crds/} are exactly the ones the build generates from the Java
 * classes (runs after {@code package}, where they are generated). Fix with {@code
 * hack/update-crds.sh}.
 */
class CrdsUpToDateIT {

  private static final Path GENERATED = Path.of("target", "kubernetes");

  private static List<String> names(Stream<Path> files) {
    return files.map(p -> p.getFileName().toString()).sorted().toList();
  }

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    List<Path> generated;
    try (Stream<Path> s = Files.list(GENERATED)) {
      generated =
          s.filter(p -> p.getFileName().toString().endsWith(".ecs.tidewater.dev-v1.yml")).toList();
    }
    assertThat(generated).as("the build generated CRDs").isNotEmpty();
    assertThat(names(Crds.files().stream()))
        .as("crds/ holds one file per generated CRD; run hack/update-crds.sh")
        .isEqualTo(names(generated.stream()));
    for (Path g : generated) {
      assertThat(Files.readString(Crds.DIR.resolve(g.getFileName())))
          .as("crds/%s is stale; run hack/update-crds.sh", g.getFileName())
          .isEqualTo(Files.readString(g));
    }
  }
}
