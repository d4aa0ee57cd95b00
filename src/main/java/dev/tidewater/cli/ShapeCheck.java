package dev.tidewater.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.schema.ListMapKeys;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import dev.tidewater.model.Problem;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a JSON tree against a Tidewater API class by reflection over its public fields, the way
 * the CRD schema (and ECS) would, and reports every problem with its path in one walk: unknown
 * fields, wrong JSON types, values outside {@link SchemaEnum}, missing {@link Required} fields,
 * {@link Min} / {@link Max} / {@link Size} / {@link Pattern} violations, unrendered template
 * placeholders and malformed AWS identifiers.
 *
 * <p>It also returns the tree normalised: {@code null} members are dropped (absent and null mean
 * the same to ECS and to the API server), and with {@link Settings#dropEmptyEnums()} so are {@code
 * ""} values of enum fields (the AWS SDKs write an unset enum as {@code ""}; ECS reads it as unset,
 * the CRD enum would reject it).
 */
final class ShapeCheck {

  /**
   * How to check.
   *
   * @param ecsWording name classes as ECS types in messages ({@code "x" is not an ECS
   *     ContainerDefinition field}) rather than as Tidewater types
   * @param dropEmptyEnums drop {@code ""} values of enum fields instead of reporting them
   * @param unknownFields per class, fields that count as unknown (Tidewater-only fields are not
   *     part of ECS JSON); they are never required either
   * @param alsoRequired per class, fields required beyond {@link Required} (ECS requires a family,
   *     the CRD does not)
   */
  record Settings(
      boolean ecsWording,
      boolean dropEmptyEnums,
      Map<Class<?>, Set<String>> unknownFields,
      Map<Class<?>, Set<String>> alsoRequired) {}

  /** The normalised tree (null when the root itself was unusable) and every problem found. */
  record Result(JsonNode normalised, List<Problem> problems) {}

  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Map<String, String> ROOT_ECS_NAMES =
      Map.of(
          "TaskDefinitionSpec", "RegisterTaskDefinition request",
          "EcsServiceSpec", "CreateService request",
          "DescribeOutput", "describe-task-definition output",
          "TaskSpec", "RunTask request",
          "TaskTemplate", "EcsParameters");

  private final Settings settings;
  private final List<Problem> problems = new ArrayList<>();

  private ShapeCheck(Settings settings) {
    this.settings = settings;
  }

  /**
   * Checks {@code node} as an instance of {@code type}; paths in problems start with {@code path}.
   */
  static Result check(JsonNode node, Class<?> type, String path, Settings settings) {
    ShapeCheck check = new ShapeCheck(settings);
    JsonNode normalised = check.value(node, type, null, path, Context.PLAIN);
    return new Result(normalised, List.copyOf(check.problems));
  }

  /** Joins a field or key onto a path: {@code a.b}, or {@code a["odd key"]} for odd keys. */
  static String join(String path, String name) {
    if (!name.isEmpty()
        && name.chars().allMatch(c -> Character.isLetterOrDigit(c) || "_-@/".indexOf(c) >= 0)) {
      return path.isEmpty() ? name : path + "." + name;
    }
    return path + "[\"" + name.replace("\"", "\\\"") + "\"]";
  }

  /** Where a string is interpreted, for placeholder detection. */
  private enum Context {
    PLAIN,
    /** A shell sees the value: command, entryPoint, healthCheck.command. */
    SHELL,
    /** An environment variable entry: its value may hold shell syntax. */
    ENVIRONMENT_ENTRY
  }

  // Returns the normalised value, or null to drop it.
  private JsonNode value(JsonNode node, Type type, Field field, String path, Context context) {
    Class<?> raw = rawClass(type);
    if (raw == String.class) {
      return string(node, field, path, context);
    }
    if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
      boolean isInt = raw == Integer.class || raw == int.class;
      if (!node.isIntegralNumber()
          || (isInt && !node.canConvertToInt())
          || !node.canConvertToLong()) {
        return wrongType(node, path, isInt ? "an integer" : "a whole number");
      }
      range(node.decimalValue().doubleValue(), field, path);
      return node;
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
      if (!node.isNumber()) {
        return wrongType(node, path, "a number");
      }
      range(node.doubleValue(), field, path);
      return node;
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return node.isBoolean() ? node : wrongType(node, path, "true or false");
    }
    if (raw == JsonNode.class || raw == Object.class) {
      return node;
    }
    if (List.class.isAssignableFrom(raw)) {
      return list(node, type, field, path, context);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return map(node, type, field, path);
    }
    if (raw.getName().startsWith("dev.tidewater.")) {
      return object(node, raw, path, context, Set.of());
    }
    return foreignObject(node, raw, path);
  }

  private JsonNode string(JsonNode node, Field field, String path, Context context) {
    if (!node.isTextual()) {
      return wrongType(node, path, "a string");
    }
    String value = node.textValue();
    SchemaEnum allowed = field == null ? null : field.getAnnotation(SchemaEnum.class);
    boolean listItem = field != null && List.class.isAssignableFrom(field.getType());
    if (allowed != null && value.isEmpty() && settings.dropEmptyEnums() && !listItem) {
      return null;
    }
    Optional<String> placeholder = TemplatePlaceholders.find(value, context == Context.SHELL);
    if (placeholder.isPresent()) {
      problem(path, "TemplatePlaceholder", placeholderMessage(value, placeholder.get()));
      return node;
    }
    if (allowed != null && !Arrays.asList(allowed.value()).contains(value)) {
      problem(
          path,
          "InvalidEnum",
          "\"" + value + "\" is not one of " + String.join(", ", allowed.value()));
      return node;
    }
    if (field != null && !listItem) {
      Pattern pattern = field.getAnnotation(Pattern.class);
      if (pattern != null && !matches(pattern.value(), value)) {
        problem(path, "PatternMismatch", "\"" + value + "\" does not match " + pattern.value());
      }
      Size size = field.getAnnotation(Size.class);
      if (size != null) {
        size(value.length(), size, path, "characters");
      }
    }
    if (field != null) {
      EcsValueRules.check(field, value).ifPresent(m -> problem(path, "InvalidValue", m));
    }
    return node;
  }

  private JsonNode list(JsonNode node, Type type, Field field, String path, Context context) {
    if (!node.isArray()) {
      return wrongType(node, path, "a list");
    }
    Type element = typeArgument(type, 0);
    Size size = field == null ? null : field.getAnnotation(Size.class);
    if (size != null) {
      size(node.size(), size, path, "items");
    }
    Set<String> keys =
        field != null && field.getAnnotation(ListMapKeys.class) != null
            ? Set.of(field.getAnnotation(ListMapKeys.class).value())
            : Set.of();
    Context itemContext = context;
    if (field != null && isShellField(field)) {
      itemContext = Context.SHELL;
    } else if (field != null
        && field.getDeclaringClass() == ContainerDefinition.class
        && field.getName().equals("environment")) {
      itemContext = Context.ENVIRONMENT_ENTRY;
    }
    ArrayNode out = NODES.arrayNode();
    Set<String> seenKeys = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      String itemPath = path + "[" + i + "]";
      JsonNode item = node.get(i);
      if (item.isNull()) {
        wrongType(item, itemPath, "a list item");
        continue;
      }
      JsonNode normalised =
          rawClass(element).getName().startsWith("dev.tidewater.")
              ? object(item, rawClass(element), itemPath, itemContext, keys)
              : value(item, element, field, itemPath, itemContext);
      out.add(normalised == null ? NODES.nullNode() : normalised);
      if (!keys.isEmpty() && item.isObject()) {
        String key =
            keys.stream().map(k -> String.valueOf(item.get(k))).reduce("", (a, b) -> a + "/" + b);
        if (!seenKeys.add(key)) {
          problem(
              itemPath,
              "DuplicateKey",
              "another item has the same " + String.join(" and ", keys) + " " + key.substring(1));
        }
      }
    }
    return out;
  }

  private JsonNode map(JsonNode node, Type type, Field field, String path) {
    if (!node.isObject()) {
      return wrongType(node, path, "an object (a map of names to values)");
    }
    Type valueType = typeArgument(type, 1);
    Size size = field == null ? null : field.getAnnotation(Size.class);
    if (size != null) {
      size(node.size(), size, path, "entries");
    }
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        continue;
      }
      // The field's annotations describe the map, not its values: check the values bare.
      JsonNode v = value(e.getValue(), valueType, null, join(path, e.getKey()), Context.PLAIN);
      if (v != null) {
        out.set(e.getKey(), v);
      }
    }
    return out;
  }

  private JsonNode object(
      JsonNode node, Class<?> type, String path, Context context, Set<String> keyFields) {
    if (!node.isObject()) {
      return wrongType(node, path, "an object (" + typeName(type) + ")");
    }
    Map<String, Field> fields = fieldsOf(type);
    Set<String> unknown = settings.unknownFields().getOrDefault(type, Set.of());
    ObjectNode out = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      String fieldPath = join(path, name);
      Field field = unknown.contains(name) ? null : fields.get(name);
      if (field == null) {
        problem(fieldPath, "UnknownField", unknownMessage(name, type));
        continue;
      }
      if (e.getValue().isNull()) {
        continue;
      }
      Context fieldContext =
          isShellField(field)
                  || (context == Context.ENVIRONMENT_ENTRY
                      && type == KeyValuePair.class
                      && name.equals("value"))
              ? Context.SHELL
              : Context.PLAIN;
      JsonNode v = value(e.getValue(), field.getGenericType(), field, fieldPath, fieldContext);
      if (v != null) {
        out.set(name, v);
      }
    }
    Set<String> required = new LinkedHashSet<>(keyFields);
    fields.forEach(
        (name, field) -> {
          if (field.getAnnotation(Required.class) != null) {
            required.add(name);
          }
        });
    required.addAll(settings.alsoRequired().getOrDefault(type, Set.of()));
    required.removeAll(unknown);
    for (String name : required) {
      // Null and dropped empty-enum values count as missing: ECS and the API server see no value.
      if (!out.has(name)) {
        problem(
            join(path, name),
            "Required",
            "missing: " + typeName(type) + " requires \"" + name + "\"");
      }
    }
    return out;
  }

  // A class outside the Tidewater API (a Kubernetes type such as Toleration): Jackson decides.
  private JsonNode foreignObject(JsonNode node, Class<?> type, String path) {
    try {
      MAPPER.treeToValue(node, type);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      problem(path, "WrongType", "not a valid " + type.getSimpleName() + ": " + firstLine(message));
    }
    return node;
  }

  private void range(double value, Field field, String path) {
    if (field == null) {
      return;
    }
    Min min = field.getAnnotation(Min.class);
    if (min != null && (min.inclusive() ? value < min.value() : value <= min.value())) {
      problem(
          path, "OutOfRange", number(value) + " is less than the minimum " + number(min.value()));
    }
    Max max = field.getAnnotation(Max.class);
    if (max != null && (max.inclusive() ? value > max.value() : value >= max.value())) {
      problem(
          path, "OutOfRange", number(value) + " is more than the maximum " + number(max.value()));
    }
  }

  private void size(long actual, Size size, String path, String unit) {
    if (actual < size.min()) {
      problem(
          path,
          "TooShort",
          "has " + actual + " " + unit + ", fewer than the minimum " + size.min());
    }
    if (actual > size.max()) {
      problem(
          path, "TooLong", "has " + actual + " " + unit + ", more than the maximum " + size.max());
    }
  }

  private JsonNode wrongType(JsonNode node, String path, String expected) {
    problem(path, "WrongType", "expected " + expected + ", got " + describe(node));
    return node;
  }

  private void problem(String path, String reason, String message) {
    problems.add(new Problem(path, reason, message));
  }

  private String unknownMessage(String name, Class<?> type) {
    if (settings.ecsWording()) {
      String ecsName = ROOT_ECS_NAMES.getOrDefault(type.getSimpleName(), type.getSimpleName());
      return "\"" + name + "\" is not an ECS " + ecsName + " field";
    }
    return "\"" + name + "\" is not a field of " + typeName(type);
  }

  private String typeName(Class<?> type) {
    return settings.ecsWording()
        ? ROOT_ECS_NAMES.getOrDefault(type.getSimpleName(), type.getSimpleName())
        : type.getSimpleName();
  }

  /** The message for a value holding an unrendered template placeholder. */
  static String placeholderMessage(String value, String placeholder) {
    String rendered = placeholder.equals(value) ? "" : " in \"" + value + "\"";
    return "\""
        + placeholder
        + "\""
        + rendered
        + " is an unrendered template placeholder; render the template first";
  }

  private static boolean isShellField(Field field) {
    Class<?> owner = field.getDeclaringClass();
    String name = field.getName();
    return (owner == ContainerDefinition.class
            && (name.equals("command") || name.equals("entryPoint")))
        || (owner == HealthCheck.class && name.equals("command"));
  }

  private static boolean matches(String regex, String value) {
    try {
      return java.util.regex.Pattern.compile(regex).matcher(value).find();
    } catch (PatternSyntaxException e) {
      // A pattern Java cannot read is the API's bug, not the input's.
      return true;
    }
  }

  static Map<String, Field> fieldsOf(Class<?> type) {
    Map<String, Field> fields = new LinkedHashMap<>();
    List<Class<?>> chain = new ArrayList<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      chain.add(0, c);
    }
    for (Class<?> c : chain) {
      for (Field f : c.getDeclaredFields()) {
        int m = f.getModifiers();
        if (Modifier.isPublic(m) && !Modifier.isStatic(m)) {
          JsonProperty p = f.getAnnotation(JsonProperty.class);
          fields.put(p != null && !p.value().isEmpty() ? p.value() : f.getName(), f);
        }
      }
    }
    return fields;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    return Object.class;
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
      return p.getActualTypeArguments()[index];
    }
    return Object.class;
  }

  static String describe(JsonNode node) {
    if (node.isTextual()) {
      String text = node.textValue();
      return "the string \"" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "\"";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
