package dev.tidewater.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.aws.AwsErrorReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md explains every condition reason the operator can set: the literal reasons
 * of {@code Outcome} and {@code BackendFailure} calls, the constants such calls name, and the AWS
 * error reasons.
 */
class TroubleshootingDocTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern LITERAL =
      Pattern.compile(
          "(?:Outcome|BackendFailure)\\.(?:ready|progressing|degraded)\\(\\s*\"([A-Za-z]+)\"");
  private static final Pattern CONSTANT =
      Pattern.compile(
          "(?:Outcome|BackendFailure)\\.(?:ready|progressing|degraded)\\(\\s*(?:[A-Za-z]+\\.)?([A-Z][A-Z_]+)\\s*,");
  private static final Pattern CONSTANT_VALUE =
      Pattern.compile("static final String ([A-Z][A-Z_]+) = \"([A-Za-z]+)\";");
  private static final Pattern HEADING = Pattern.compile("^### (.*)$", Pattern.MULTILINE);
  private static final Pattern CODE = Pattern.compile("`([A-Za-z]+)`");

  static Set<String> reasonsInCode() {
    Set<String> reasons = new TreeSet<>();
    Set<String> constants = new TreeSet<>();
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        all.append(Files.readString(f)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher m = LITERAL.matcher(all);
    while (m.find()) reasons.add(m.group(1));
    m = CONSTANT.matcher(all);
    while (m.find()) constants.add(m.group(1));
    m = CONSTANT_VALUE.matcher(all);
    while (m.find()) {
      if (constants.contains(m.group(1))) reasons.add(m.group(2));
    }
    Arrays.stream(AwsErrorReason.values()).map(Enum::name).forEach(reasons::add);
    // a Service migrating is Progressing with its phase's reason
    Arrays.stream(dev.tidewater.model.CutOver.Phase.values())
        .filter(dev.tidewater.model.CutOver.Phase::active)
        .map(dev.tidewater.model.CutOver.Phase::reason)
        .forEach(reasons::add);
    return reasons;
  }

  static Set<String> reasonsInDoc() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher h = HEADING.matcher(Files.readString(Path.of("docs/troubleshooting.md")));
    while (h.find()) {
      Matcher c = CODE.matcher(h.group(1));
      while (c.find()) documented.add(c.group(1));
    }
    return documented;
  }

  @Test
  void everyConditionReasonIsExplained() throws IOException {
    Set<String> code = reasonsInCode();
    assertThat(code).as("the scan finds reasons at all").contains("InvalidSpec", "AccessDenied");
    assertThat(reasonsInDoc())
        .as("reasons the code sets but docs/troubleshooting.md does not explain")
        .containsAll(code);
  }
}
