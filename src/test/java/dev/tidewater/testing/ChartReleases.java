package dev.tidewater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The Helm chart's source ({@code helm/tidewater}) and its released packages ({@code
 * helm/releases/tidewater-<version>.tgz}, written by {@code hack/package-chart.sh}), read as files.
 */
public final class ChartReleases {

  public static final Path CHART = Path.of("helm", "tidewater");
  public static final Path RELEASES = Path.of("helm", "releases");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern PACKAGE = Pattern.compile("tidewater-(.+)\\.tgz");

  private ChartReleases() {}

  /** The version in the chart's Chart.yaml. */
  public static String chartVersion() {
    return chartYaml(read(CHART.resolve("Chart.yaml"))).get("version").asText();
  }

  /** Chart.yaml as data ({@code helm package} writes it anew, so its bytes differ). */
  public static JsonNode chartYaml(byte[] content) {
    try {
      return YAML.readTree(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The packaged versions, oldest first, each with its package. */
  public static Map<String, Path> packages() {
    Map<String, Path> out = new TreeMap<>(ChartReleases::compareVersions);
    try (Stream<Path> files = Files.list(RELEASES)) {
      files.forEach(
          f -> {
            Matcher m = PACKAGE.matcher(f.getFileName().toString());
            if (m.matches()) out.put(m.group(1), f);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The chart's files by path inside the chart (e.g. {@code templates/role.yaml}). */
  public static Map<String, byte[]> sourceFiles() {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(CHART)) {
      files
          .filter(Files::isRegularFile)
          .sorted()
          .forEach(f -> out.put(CHART.relativize(f).toString().replace('\\', '/'), read(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The files of a package by path inside the chart (its top directory stripped): a gzipped tar as
   * Go's archive/tar writes it (USTAR headers, PAX records for long names).
   */
  public static Map<String, byte[]> packagedFiles(Path tgz) {
    Map<String, byte[]> out = new TreeMap<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
      String paxPath = null;
      while (true) {
        byte[] header = in.readNBytes(512);
        if (header.length < 512 || header[0] == 0) break;
        long size = Long.parseLong(field(header, 124, 12).trim(), 8);
        byte[] body = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        char type = (char) header[156];
        if (type == 'x') {
          paxPath = paxPath(body);
          continue;
        }
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        if (!prefix.isEmpty()) name = prefix + "/" + name;
        if (paxPath != null) name = paxPath;
        paxPath = null;
        if (type != '0' && type != 0) continue;
        out.put(name.substring(name.indexOf('/') + 1), body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Orders versions {@code major.minor.patch[-pre]} numerically; a pre-release sorts first. */
  public static int compareVersions(String a, String b) {
    List<String> pa = List.of(a.split("-", 2)[0].split("\\."));
    List<String> pb = List.of(b.split("-", 2)[0].split("\\."));
    Comparator<String> numeric = Comparator.comparingLong(Long::parseLong);
    for (int i = 0; i < Math.max(pa.size(), pb.size()); i++) {
      int c = numeric.compare(i < pa.size() ? pa.get(i) : "0", i < pb.size() ? pb.get(i) : "0");
      if (c != 0) return c;
    }
    boolean preA = a.contains("-");
    boolean preB = b.contains("-");
    if (preA != preB) return preA ? -1 : 1;
    return a.compareTo(b);
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) end++;
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String paxPath(byte[] records) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : new String(records, StandardCharsets.UTF_8).split("\n")) {
      int space = line.indexOf(' ');
      int eq = line.indexOf('=');
      if (space > 0 && eq > space)
        values.put(line.substring(space + 1, eq), line.substring(eq + 1));
    }
    return values.get("path");
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
