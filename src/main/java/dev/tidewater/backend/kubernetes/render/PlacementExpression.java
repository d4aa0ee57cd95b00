package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.backend.kubernetes.KubernetesNames;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates the subset of the ECS cluster query language that has a node-label meaning into node
 * affinity requirements: clauses {@code attribute:NAME OP VALUE} joined by {@code and} / {@code
 * &&}, with {@code ==, equals, !=, not_equals, in, not_in, exists, !exists, not_exists}, on the
 * built-in attributes instance type, availability zone, CPU architecture and OS type, or on custom
 * attributes (which become node labels of the same name). Anything else ({@code or}, parentheses,
 * wildcards, {@code =~}, {@code task:group}, other {@code ecs.*} attributes) is not mapped.
 */
final class PlacementExpression {

  /** The requirements (all must hold), or why the expression is not mapped. */
  record Result(List<NodeSelectorRequirement> requirements, String notMapped) {}

  private static final Map<String, String> BUILT_IN_LABELS =
      Map.of(
          "ecs.instance-type", "node.kubernetes.io/instance-type",
          "ecs.availability-zone", "topology.kubernetes.io/zone",
          "ecs.cpu-architecture", "kubernetes.io/arch",
          "ecs.os-type", "kubernetes.io/os");

  private static final Pattern AND = Pattern.compile("\\s+(?i:and)\\s+|\\s*&&\\s*");
  private static final Pattern OR = Pattern.compile("\\s(?i:or)\\s|\\|\\|");
  private static final Pattern CLAUSE =
      Pattern.compile("(?i:attribute):([A-Za-z0-9_./-]+)\\s*(==|!=|\\s[A-Za-z_!]+)\\s*(.*)");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  private PlacementExpression() {}

  static Result parse(String expression) {
    if (expression == null || expression.isBlank()) {
      return notMapped("the expression is empty");
    }
    String e = expression.strip();
    if (OR.matcher(e).find() || e.contains("(") || e.contains(")")) {
      return notMapped("\"or\" and parentheses have no node-affinity form here");
    }
    List<NodeSelectorRequirement> out = new ArrayList<>();
    for (String clause : AND.split(e)) {
      Matcher m = CLAUSE.matcher(clause.strip());
      if (!m.matches()) {
        return notMapped("\"" + clause.strip() + "\" is not an attribute comparison");
      }
      String attribute = m.group(1);
      String op = m.group(2).strip().toLowerCase(Locale.ROOT);
      String value = m.group(3).strip();
      String key = BUILT_IN_LABELS.get(attribute.toLowerCase(Locale.ROOT));
      UnaryOperator<String> valueMap = v -> v;
      if (key == null) {
        if (attribute.toLowerCase(Locale.ROOT).startsWith("ecs.")) {
          return notMapped("attribute " + attribute + " has no node label counterpart");
        }
        if (!isLabelKey(attribute)) {
          return notMapped("attribute " + attribute + " is not a valid node label key");
        }
        key = attribute;
      } else if (key.equals("kubernetes.io/arch")) {
        valueMap = v -> v.equalsIgnoreCase("x86_64") ? "amd64" : v.toLowerCase(Locale.ROOT);
      } else if (key.equals("kubernetes.io/os")) {
        valueMap = v -> v.toLowerCase(Locale.ROOT);
      }
      String operator;
      List<String> values;
      switch (op) {
        case "==", "equals" -> {
          operator = "In";
          values = List.of(value);
        }
        case "!=", "not_equals" -> {
          operator = "NotIn";
          values = List.of(value);
        }
        case "in", "not_in" -> {
          operator = op.equals("in") ? "In" : "NotIn";
          values = list(value);
          if (values == null) {
            return notMapped("\"" + value + "\" is not a list [a, b, ...]");
          }
        }
        case "exists" -> {
          operator = "Exists";
          values = List.of();
        }
        case "!exists", "not_exists" -> {
          operator = "DoesNotExist";
          values = List.of();
        }
        default -> {
          return notMapped("operator " + op + " has no node-affinity form");
        }
      }
      if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && !value.isEmpty()) {
        return notMapped("\"" + clause.strip() + "\" has a value after " + op);
      }
      List<String> mapped = new ArrayList<>();
      for (String v : values) {
        if (!LABEL_VALUE.matcher(v).matches() || v.isEmpty()) {
          return notMapped("value \"" + v + "\" is not a node label value (wildcards included)");
        }
        mapped.add(valueMap.apply(v));
      }
      out.add(new NodeSelectorRequirement(key, operator, mapped));
    }
    return new Result(out, null);
  }

  private static List<String> list(String value) {
    if (!value.startsWith("[") || !value.endsWith("]")) {
      return null;
    }
    List<String> values = new ArrayList<>();
    for (String part : value.substring(1, value.length() - 1).split(",")) {
      if (!part.isBlank()) {
        values.add(part.strip());
      }
    }
    return values.isEmpty() ? null : values;
  }

  private static boolean isLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty()
          || prefix.length() > KubernetesNames.DNS_SUBDOMAIN_MAX
          || !KubernetesNames.dnsSubdomain(prefix).equals(prefix)) {
        return false;
      }
    }
    return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  private static Result notMapped(String why) {
    return new Result(List.of(), why);
  }
}
