package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the committed CRDs: hack/update-crds.sh copies crds/ into it. */
class HelmChartCrdsTest {

  private static final Path CHART_CRDS = Path.of("helm", "tidewater", "crds");

  @Test
  void theChartsCrdsAreByteIdenticalCopiesOfCrds() throws IOException {
    List<String> committed = Crds.files().stream().map(p -> p.getFileName().toString()).toList();
    List<String> charted;
    try (Stream<Path> s = Files.list(CHART_CRDS)) {
      charted = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(charted)
        .as("helm/tidewater/crds/ (run hack/update-crds.sh)")
        .isEqualTo(committed)
        .isNotEmpty();
    for (Path file : Crds.files()) {
      assertThat(Files.readAllBytes(CHART_CRDS.resolve(file.getFileName())))
          .as(
              "helm/tidewater/crds/%s differs from crds/ (run hack/update-crds.sh)",
              file.getFileName())
          .isEqualTo(Files.readAllBytes(file));
    }
  }
}
