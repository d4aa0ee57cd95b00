package dev.tidewater.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * IAM policy documents compared by meaning, not by text: IAM hands documents back URL-encoded and
 * reformatted, and a single value may come back where a list of one was sent. Two documents are
 * equivalent when their canonical forms are equal.
 *
 * <p>The canonical form sorts what IAM treats as a set (statements, actions, resources, principal
 * and condition values) and turns every single value of those into a list of one; everything else
 * (Effect, Sid, Version, condition operators and keys) is kept as written.
 */
public final class PolicyDocuments {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Statement elements whose values are sets of strings. */
  private static final Set<String> STRING_SETS =
      Set.of("Action", "NotAction", "Resource", "NotResource");

  /** Statement elements naming principals: {@code "*"} or a map of type to a set of names. */
  private static final Set<String> PRINCIPALS = Set.of("Principal", "NotPrincipal");

  private PolicyDocuments() {}

  /**
   * A document as IAM returns it (URL-encoded JSON) or as it was sent (plain JSON).
   *
   * @throws IllegalArgumentException when the text is not a JSON document either way
   */
  public static JsonNode parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    // IAM returns %7B...; a plain document starts with '{' (decoding it would turn '+' to ' ')
    String json =
        trimmed.startsWith("{") ? trimmed : URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON policy document: " + e.getOriginalMessage());
    }
  }

  /** The document as compact JSON, the form sent to IAM. */
  public static String text(JsonNode document) {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether two documents grant the same thing (equal canonical forms). */
  public static boolean equivalent(JsonNode a, JsonNode b) {
    return canonical(a).equals(canonical(b));
  }

  /** The canonical form of a policy document (see the class comment). */
  public static JsonNode canonical(JsonNode document) {
    if (document == null || !document.isObject()) {
      return document;
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : sortedFields(document)) {
      if ("Statement".equals(field.getKey())) {
        out.set("Statement", statements(field.getValue()));
      } else {
        out.set(field.getKey(), field.getValue());
      }
    }
    return out;
  }

  private static ArrayNode statements(JsonNode statements) {
    List<JsonNode> canonical = new ArrayList<>();
    for (JsonNode statement : listOf(statements)) {
      canonical.add(statement(statement));
    }
    // statement order carries no meaning in IAM
    canonical.sort((x, y) -> text(x).compareTo(text(y)));
    ArrayNode out = NODES.arrayNode();
    canonical.forEach(out::add);
    return out;
  }

  private static JsonNode statement(JsonNode statement) {
    if (!statement.isObject()) {
      return statement;
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : sortedFields(statement)) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (STRING_SETS.contains(key)) {
        out.set(key, stringSet(value));
      } else if (PRINCIPALS.contains(key)) {
        out.set(key, principals(value));
      } else if ("Condition".equals(key)) {
        out.set(key, condition(value));
      } else {
        out.set(key, value);
      }
    }
    return out;
  }

  private static JsonNode principals(JsonNode value) {
    if (!value.isObject()) {
      return value; // "*"
    }
    ObjectNode out = NODES.objectNode();
    sortedFields(value).forEach(e -> out.set(e.getKey(), stringSet(e.getValue())));
    return out;
  }

  private static JsonNode condition(JsonNode value) {
    if (!value.isObject()) {
      return value;
    }
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> operator : sortedFields(value)) {
      if (!operator.getValue().isObject()) {
        out.set(operator.getKey(), operator.getValue());
        continue;
      }
      ObjectNode keys = NODES.objectNode();
      sortedFields(operator.getValue()).forEach(e -> keys.set(e.getKey(), stringSet(e.getValue())));
      out.set(operator.getKey(), keys);
    }
    return out;
  }

  /** A value or list of values as a sorted, duplicate-free list of their texts. */
  private static ArrayNode stringSet(JsonNode value) {
    Set<String> texts = new TreeSet<>();
    for (JsonNode v : listOf(value)) {
      // IAM returns condition numbers and booleans as strings
      texts.add(v.isValueNode() ? v.asText() : text(v));
    }
    ArrayNode out = NODES.arrayNode();
    texts.forEach(out::add);
    return out;
  }

  private static List<JsonNode> listOf(JsonNode value) {
    List<JsonNode> list = new ArrayList<>();
    if (value == null || value.isNull()) {
      return list;
    }
    if (value.isArray()) {
      value.forEach(list::add);
    } else {
      list.add(value);
    }
    return list;
  }

  private static Iterable<Map.Entry<String, JsonNode>> sortedFields(JsonNode node) {
    Map<String, JsonNode> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      sorted.put(e.getKey(), e.getValue());
    }
    return sorted.entrySet();
  }
}
