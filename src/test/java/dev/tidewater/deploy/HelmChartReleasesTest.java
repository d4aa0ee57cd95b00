package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.testing.ChartReleases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A chart version names one chart: every change to {@code helm/tidewater} is a new version,
 * packaged into {@code helm/releases} by {@code hack/package-chart.sh}. Fails when the chart
 * differs from the package of its version (a change without a version bump), when its version is
 * not the newest packaged, or when {@code index.yaml} does not list exactly the packages.
 */
class HelmChartReleasesTest {

  private static final String BUMP =
      "every chart change is a new chart version: bump version in helm/tidewater/Chart.yaml (or, if"
          + " %s is not committed yet, keep it) and run hack/package-chart.sh";

  @Test
  void theChartIsThePackageOfItsVersion() {
    String version = ChartReleases.chartVersion();
    Path pkg = ChartReleases.RELEASES.resolve("tidewater-" + version + ".tgz");
    assertThat(pkg).as("chart %s is not packaged: run hack/package-chart.sh", version).exists();

    Map<String, byte[]> packaged = new HashMap<>(ChartReleases.packagedFiles(pkg));
    Map<String, byte[]> source = new HashMap<>(ChartReleases.sourceFiles());
    String bump = BUMP.formatted(pkg);
    assertThat(ChartReleases.chartYaml(source.remove("Chart.yaml")))
        .as("helm/tidewater/Chart.yaml differs from %s; %s", pkg, bump)
        .isEqualTo(ChartReleases.chartYaml(packaged.remove("Chart.yaml")));
    assertThat(source.keySet())
        .as("files of helm/tidewater vs %s; %s", pkg, bump)
        .containsExactlyInAnyOrderElementsOf(packaged.keySet());
    for (String file : source.keySet()) {
      assertThat(new String(source.get(file), StandardCharsets.UTF_8))
          .as("helm/tidewater/%s differs from %s; %s", file, pkg, bump)
          .isEqualTo(new String(packaged.get(file), StandardCharsets.UTF_8));
    }
  }

  @Test
  void theChartsVersionIsTheNewestPackaged() {
    List<String> versions = List.copyOf(ChartReleases.packages().keySet());
    assertThat(versions).as("helm/releases").isNotEmpty();
    assertThat(versions.get(versions.size() - 1))
        .as("newest package in helm/releases (a chart version never goes back)")
        .isEqualTo(ChartReleases.chartVersion());
  }

  @Test
  void theIndexListsEveryPackageWithItsDigest() throws IOException {
    JsonNode index =
        ChartReleases.chartYaml(Files.readAllBytes(ChartReleases.RELEASES.resolve("index.yaml")));
    Map<String, String> listed = new HashMap<>();
    StreamSupport.stream(index.path("entries").path("tidewater").spliterator(), false)
        .forEach(e -> listed.put(e.get("version").asText(), e.get("digest").asText()));
    Map<String, String> packaged = new HashMap<>();
    ChartReleases.packages().forEach((version, pkg) -> packaged.put(version, sha256(pkg)));
    assertThat(listed)
        .as("helm/releases/index.yaml: versions and digests (run hack/package-chart.sh)")
        .isEqualTo(packaged);
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
