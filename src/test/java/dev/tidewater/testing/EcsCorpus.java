package dev.tidewater.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.cli.EcsJsonImport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared corpus of real ECS task definitions ({@code ../shared/corpus/ecs}), read at test time
 * and turned into {@link TaskDefinitionSpec}s the way a user's pasted file would be.
 *
 * <p>Which files a test runs on is that test's choice: {@link #withoutPlaceholders()} scans the
 * files, {@link #notes()} gives the corpus's own classification from {@code SOURCES.tsv}.
 */
public final class EcsCorpus {

  public static final Path DIRECTORY = locate();
  public static final Path TASK_DEFINITIONS = DIRECTORY.resolve("task-definitions");
  public static final Path SERVICE_DEFINITIONS = DIRECTORY.resolve("service-definitions");

  /**
   * {@code $TIDEWATER_CORPUS} when set, else {@code shared/corpus/ecs} beside the checkout (or
   * beside one of its parents, for clones nested a level deeper), else {@code ../shared/...}.
   */
  private static Path locate() {
    String explicit = System.getenv("TIDEWATER_CORPUS");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    Path relative = Path.of("shared", "corpus", "ecs");
    for (Path dir = Path.of("").toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    return Path.of("..").resolve(relative);
  }

  /**
   * Skips the calling test when the corpus is not there (a checkout without {@code ../shared}): the
   * repository's unit tests pass without it, and the skip names the directory looked for.
   */
  public static void assumePresent() {
    Assumptions.assumeTrue(
        Files.isDirectory(TASK_DEFINITIONS),
        () ->
            "no ECS corpus at "
                + TASK_DEFINITIONS.toAbsolutePath().normalize()
                + " (shared/corpus/ecs beside the checkout, or $TIDEWATER_CORPUS): skipped");
  }

  // Template placeholders: {{ x }}, ${X}, $$$X$$$, XXXXXXXXXXXX account ids, <UPPER_CASE>.
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{|\\$\\{|\\$\\$\\$|XXXXXXXXXXXX|<[A-Z][A-Z0-9_]*>");

  /**
   * Enum fields the AWS SDKs write as {@code ""} when unset: ECS reads that as unset, the CRD's
   * enum would reject it.
   */
  public static final Set<String> EMPTY_ENUM_FIELDS =
      Set.of("ipcMode", "pidMode", "networkMode", "versionConsistency");

  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One usable corpus file: its name, the normalised JSON and the spec read from it. */
  public record Entry(String file, JsonNode json, TaskDefinitionSpec spec) {
    @Override
    public String toString() {
      return file;
    }
  }

  private EcsCorpus() {}

  /**
   * The corpus notes (last column of {@code SOURCES.tsv}) of each task-definition file, by name.
   */
  public static Map<String, String> notes() {
    assumePresent();
    List<String> lines;
    try {
      lines = Files.readAllLines(DIRECTORY.resolve("SOURCES.tsv"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> notes = new TreeMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] columns = line.split("\t");
      if (columns[0].startsWith("task-definitions/")) {
        notes.put(columns[0].substring("task-definitions/".length()), columns[columns.length - 1]);
      }
    }
    return notes;
  }

  /** Whether a file's text holds a template placeholder. */
  public static boolean hasPlaceholder(String text) {
    return PLACEHOLDER.matcher(text).find();
  }

  /**
   * Every file that has no template placeholder and parses as a JSON object, in file-name order:
   * found by scanning the files, not from the corpus notes.
   */
  public static List<Entry> withoutPlaceholders() {
    assumePresent();
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(TASK_DEFINITIONS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        String text = Files.readString(p);
        if (!hasPlaceholder(text)) {
          parse(text).map(json -> entry(p, json)).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** One file of {@link #TASK_DEFINITIONS}, which must parse as a JSON object. */
  public static Entry entry(String fileName) {
    assumePresent();
    Path p = TASK_DEFINITIONS.resolve(fileName);
    try {
      return parse(Files.readString(p))
          .map(json -> entry(p, json))
          .orElseThrow(() -> new IllegalArgumentException(fileName + " is not a JSON object"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Entry entry(Path p, ObjectNode json) {
    try {
      return new Entry(
          p.getFileName().toString(), json, MAPPER.treeToValue(json, TaskDefinitionSpec.class));
    } catch (IOException e) {
      throw new IllegalStateException(p.getFileName() + " does not map to TaskDefinitionSpec", e);
    }
  }

  /**
   * A file's text as the spec JSON a user would apply, or empty when it is not a JSON object:
   * unwrapped from describe output's {@code {"taskDefinition": ...}}, without {@link
   * EcsJsonImport#DESCRIBE_ONLY_FIELDS} and without null members.
   */
  public static Optional<ObjectNode> parse(String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    if (node.has("taskDefinition") && node.get("taskDefinition").isObject()) {
      node = node.get("taskDefinition");
    }
    ObjectNode task = (ObjectNode) node;
    task.remove(EcsJsonImport.DESCRIBE_ONLY_FIELDS);
    JsonTrees.withoutNulls(task);
    return Optional.of(task);
  }

  /** The spec a file of {@link #TASK_DEFINITIONS} holds; see {@link #parse(String)}. */
  public static TaskDefinitionSpec spec(String fileName) {
    return entry(fileName).spec();
  }

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)((?:\\[[0-9]+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[([0-9]+)]");

  /**
   * The JSON node a field path such as {@code containerDefinitions[1].linuxParameters.tmpfs[0]}
   * points at, or empty when the file does not set it (absent or null).
   */
  public static Optional<JsonNode> at(JsonNode root, String path) {
    JsonNode node = root;
    for (String segment : path.split("\\.")) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches() || node == null || !node.isObject()) {
        return Optional.empty();
      }
      node = node.get(m.group(1));
      Matcher idx = INDEX.matcher(m.group(2));
      while (idx.find()) {
        int i = Integer.parseInt(idx.group(1));
        if (node == null || !node.isArray() || i >= node.size()) {
          return Optional.empty();
        }
        node = node.get(i);
      }
      if (node == null || node.isNull()) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }
}
