package dev.tidewater.backend.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared corpus of real ECS task definitions ({@code ../shared/corpus/ecs}), read at test time
 * and turned into {@link TaskDefinitionSpec}s the way a user's pasted file would be.
 */
final class EcsCorpus {

  static final Path TASK_DEFINITIONS = Path.of("..", "shared", "corpus", "ecs", "task-definitions");

  /** Fields {@code describe-task-definition} adds that RegisterTaskDefinition does not take. */
  static final Set<String> DESCRIBE_ONLY =
      Set.of(
          "taskDefinitionArn",
          "revision",
          "status",
          "requiresAttributes",
          "compatibilities",
          "registeredAt",
          "registeredBy",
          "deregisteredAt");

  // Template placeholders: {{ x }}, ${X}, $$$X$$$, XXXXXXXXXXXX account ids, <UPPER_CASE>.
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{|\\$\\{|\\$\\$\\$|XXXXXXXXXXXX|<[A-Z][A-Z0-9_]*>");

  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** One usable corpus file: its name, the normalised JSON and the spec read from it. */
  record Entry(String file, JsonNode json, TaskDefinitionSpec spec) {
    @Override
    public String toString() {
      return file;
    }
  }

  private EcsCorpus() {}

  /** Every file that parses and has no template placeholder, in file-name order. */
  static List<Entry> usable() {
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(TASK_DEFINITIONS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        load(p).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Entry entry(String fileName) {
    return load(TASK_DEFINITIONS.resolve(fileName))
        .orElseThrow(() -> new IllegalArgumentException(fileName + " is not usable"));
  }

  private static Optional<Entry> load(Path p) {
    String text;
    try {
      text = Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (PLACEHOLDER.matcher(text).find()) {
      return Optional.empty();
    }
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
    ObjectNode normalised = (ObjectNode) dropNulls(node.deepCopy());
    DESCRIBE_ONLY.forEach(normalised::remove);
    try {
      TaskDefinitionSpec spec = MAPPER.treeToValue(normalised, TaskDefinitionSpec.class);
      return Optional.of(new Entry(p.getFileName().toString(), normalised, spec));
    } catch (IOException e) {
      throw new IllegalStateException(p.getFileName() + " does not map to TaskDefinitionSpec", e);
    }
  }

  private static JsonNode dropNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          dropNulls(e.getValue());
        }
      }
    } else if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = a.size() - 1; i >= 0; i--) {
        if (a.get(i).isNull()) {
          a.remove(i);
        } else {
          dropNulls(a.get(i));
        }
      }
    }
    return node;
  }

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)((?:\\[[0-9]+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[([0-9]+)]");

  /**
   * The JSON node a field path such as {@code containerDefinitions[1].linuxParameters.tmpfs[0]}
   * points at, or empty when the file does not set it (absent or null).
   */
  static Optional<JsonNode> at(JsonNode root, String path) {
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
