package dev.tidewater.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource of {@code examples/} as a plain tree, changed by small YAML overrides keyed by field
 * path, so a test states only the one field that differs from a known-good resource.
 *
 * <p>An override is a YAML mapping from a path to a value: {@code
 * spec.containerDefinitions[0].portMappings[0].protocol: sctp}. Path segments are separated by dots
 * and may end in list indexes; an index equal to the list's size appends; missing maps on the way
 * are created. A {@code null} value removes the key. Keys that themselves contain dots cannot be
 * addressed.
 */
public final class ExampleResource {

  public static final Path DIR = Path.of("examples");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  private ExampleResource() {}

  /** Every example file. */
  public static List<Path> files() {
    try (var s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example {@code examples/<name>.yaml} as a mutable tree. */
  public static Map<String, Object> load(String name) {
    return read(DIR.resolve(name + ".yaml"));
  }

  /** A file's single YAML document as a mutable tree. */
  public static Map<String, Object> read(Path file) {
    try {
      return YAML.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The example {@code examples/<name>.yaml} with the overrides applied. */
  public static Map<String, Object> with(String name, String overrides) {
    return apply(load(name), overrides);
  }

  /** Applies YAML path overrides to {@code tree} in place and returns it. */
  public static Map<String, Object> apply(Map<String, Object> tree, String overrides) {
    Map<String, Object> changes;
    try {
      changes = YAML.readValue(overrides, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException("overrides are not a YAML mapping: " + overrides, e);
    }
    if (changes != null) changes.forEach((path, value) -> set(tree, path, value));
    return tree;
  }

  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> root, String path, Object value) {
    List<Object> steps = steps(path);
    Object node = root;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      boolean last = i == steps.size() - 1;
      Object next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      if (step instanceof String key) {
        Map<String, Object> map = (Map<String, Object>) node;
        if (last) {
          if (value == null) map.remove(key);
          else map.put(key, value);
          return;
        }
        node = map.computeIfAbsent(key, k -> next instanceof Integer ? new ArrayList<>() : map());
      } else {
        List<Object> list = (List<Object>) node;
        int index = (Integer) step;
        if (index > list.size()) {
          throw new IllegalArgumentException(path + ": index " + index + " beyond the list's end");
        }
        if (last) {
          if (index == list.size()) list.add(value);
          else if (value == null) list.remove(index);
          else list.set(index, value);
          return;
        }
        if (index == list.size()) list.add(next instanceof Integer ? new ArrayList<>() : map());
        node = list.get(index);
      }
    }
  }

  private static Map<String, Object> map() {
    return new LinkedHashMap<>();
  }

  private static List<Object> steps(String path) {
    List<Object> steps = new ArrayList<>();
    for (String part : path.split("\\.")) {
      Matcher m = SEGMENT.matcher(part);
      if (!m.matches())
        throw new IllegalArgumentException("bad path segment " + part + " in " + path);
      steps.add(m.group(1));
      Matcher idx = INDEX.matcher(m.group(2));
      while (idx.find()) steps.add(Integer.parseInt(idx.group(1)));
    }
    return steps;
  }
}
