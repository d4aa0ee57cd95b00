package dev.tidewater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares JSON trees as ECS reads them: numbers numerically ({@code 1} equals {@code 1.0}), object
 * members in any order, list items in order.
 */
public final class JsonTrees {

  private JsonTrees() {}

  /** The first difference between {@code actual} and {@code expected}, as "path: what", if any. */
  public static Optional<String> difference(JsonNode actual, JsonNode expected) {
    return difference(actual, expected, "$");
  }

  private static Optional<String> difference(JsonNode actual, JsonNode expected, String path) {
    if (actual.isNumber() && expected.isNumber()) {
      return actual.decimalValue().compareTo(expected.decimalValue()) == 0
          ? Optional.empty()
          : Optional.of(path + ": " + actual + " != expected " + expected);
    }
    if (actual.getNodeType() != expected.getNodeType()) {
      return Optional.of(path + ": " + actual + " != expected " + expected);
    }
    if (actual.isObject()) {
      Set<String> names = new TreeSet<>();
      actual.fieldNames().forEachRemaining(names::add);
      expected.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!actual.has(name)) {
          return Optional.of(path + "." + name + ": missing, expected " + expected.get(name));
        }
        if (!expected.has(name)) {
          return Optional.of(path + "." + name + ": unexpected " + actual.get(name));
        }
        Optional<String> d = difference(actual.get(name), expected.get(name), path + "." + name);
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    if (actual.isArray()) {
      if (actual.size() != expected.size()) {
        return Optional.of(
            path + ": " + actual.size() + " items != expected " + expected.size() + " items");
      }
      for (int i = 0; i < actual.size(); i++) {
        Optional<String> d = difference(actual.get(i), expected.get(i), path + "[" + i + "]");
        if (d.isPresent()) {
          return d;
        }
      }
      return Optional.empty();
    }
    return actual.equals(expected)
        ? Optional.empty()
        : Optional.of(path + ": " + actual + " != expected " + expected);
  }

  /** Removes every null object member, at any depth (describe output writes unset as null). */
  public static JsonNode withoutNulls(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          it.remove();
        } else {
          withoutNulls(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(JsonTrees::withoutNulls);
    }
    return node;
  }

  /** Removes the members named {@code names} whose value is {@code ""}, at any depth. */
  public static JsonNode withoutEmptyStrings(JsonNode node, Set<String> names) {
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (names.contains(e.getKey())
            && e.getValue().isTextual()
            && e.getValue().textValue().isEmpty()) {
          it.remove();
        } else {
          withoutEmptyStrings(e.getValue(), names);
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(n -> withoutEmptyStrings(n, names));
    }
    return node;
  }
}
