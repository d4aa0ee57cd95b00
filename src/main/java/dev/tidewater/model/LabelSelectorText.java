package dev.tidewater.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its text form ({@code kubectl -l}, {@code ?labelSelector=}),
 * parsed and matched as the API server does: {@code key}, {@code !key}, {@code key=value}, {@code
 * key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)}, {@code key>1},
 * {@code key<1}, joined by commas (all must hold). {@code !=} and {@code notin} also match objects
 * without the key. The empty text selects everything. A shard's namespace selector is one of these:
 * parsed at start-up, so a typo stops the operator with the reason instead of selecting nothing.
 */
public final class LabelSelectorText {

  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  /** How one requirement compares a label. */
  enum Operator {
    EXISTS,
    DOES_NOT_EXIST,
    EQUALS,
    NOT_EQUALS,
    IN,
    NOT_IN,
    GREATER_THAN,
    LESS_THAN
  }

  /** One comma-separated term of the selector. */
  record Requirement(String key, Operator operator, Set<String> values) {

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case EXISTS -> value != null;
        case DOES_NOT_EXIST -> value == null;
        case EQUALS, IN -> value != null && values.contains(value);
        case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
        case GREATER_THAN ->
            value != null
                && INTEGER.matcher(value).matches()
                && Long.parseLong(value) > Long.parseLong(values.iterator().next());
        case LESS_THAN ->
            value != null
                && INTEGER.matcher(value).matches()
                && Long.parseLong(value) < Long.parseLong(values.iterator().next());
      };
    }
  }

  /** The text could not be parsed; the message says where and why. */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String text, String reason) {
      super("label selector \"" + text + "\": " + reason);
    }
  }

  private final String text;
  private final List<Requirement> requirements;

  private LabelSelectorText(String text, List<Requirement> requirements) {
    this.text = text;
    this.requirements = List.copyOf(requirements);
  }

  /** Parses {@code text} (null or blank: everything); throws {@link Invalid} naming the problem. */
  public static LabelSelectorText parse(String text) {
    String t = text == null ? "" : text.strip();
    List<Requirement> out = new ArrayList<>();
    if (t.isEmpty()) return new LabelSelectorText("", out);
    for (String term : terms(t)) {
      out.add(requirement(t, term.strip()));
    }
    return new LabelSelectorText(t, out);
  }

  /** Whether this selects every object (the empty selector). */
  public boolean selectsEverything() {
    return requirements.isEmpty();
  }

  /** Whether an object with {@code labels} (null: none) is selected. */
  public boolean matches(Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    return requirements.stream().allMatch(r -> r.matches(l));
  }

  /** The selector as written (stripped). */
  @Override
  public String toString() {
    return text;
  }

  List<Requirement> requirements() {
    return requirements;
  }

  /** The terms: split at commas outside parentheses. */
  private static List<String> terms(String text) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        if (++depth > 1) throw new Invalid(text, "nested parentheses");
      } else if (c == ')') {
        if (--depth < 0) throw new Invalid(text, "')' without '('");
      } else if (c == ',' && depth == 0) {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) throw new Invalid(text, "'(' without ')'");
    terms.add(text.substring(start));
    for (String term : terms) {
      if (term.isBlank())
        throw new Invalid(text, "an empty requirement (two commas, or a trailing one)");
    }
    return terms;
  }

  private static Requirement requirement(String text, String term) {
    if (term.startsWith("!")) {
      String key = term.substring(1).strip();
      checkKey(text, key);
      return new Requirement(key, Operator.DOES_NOT_EXIST, Set.of());
    }
    String[] set = setTerm(term);
    if (set != null) {
      String key = set[0];
      checkKey(text, key);
      Operator op = set[1].equals("in") ? Operator.IN : Operator.NOT_IN;
      String inner = set[2].strip();
      if (!inner.startsWith("(") || !inner.endsWith(")")) {
        throw new Invalid(text, "'" + set[1] + "' of key " + key + " needs a list in parentheses");
      }
      Set<String> values = new TreeSet<>();
      String list = inner.substring(1, inner.length() - 1);
      if (list.isBlank()) {
        throw new Invalid(text, "'" + set[1] + "' of key " + key + " has no values");
      }
      for (String v : list.split(",", -1)) {
        String value = v.strip();
        checkValue(text, key, value);
        values.add(value);
      }
      return new Requirement(key, op, values);
    }
    for (String op : List.of("==", "!=", "=", ">", "<")) {
      int at = term.indexOf(op);
      if (at < 0) continue;
      String key = term.substring(0, at).strip();
      String value = term.substring(at + op.length()).strip();
      checkKey(text, key);
      Operator operator =
          switch (op) {
            case "!=" -> Operator.NOT_EQUALS;
            case ">" -> Operator.GREATER_THAN;
            case "<" -> Operator.LESS_THAN;
            default -> Operator.EQUALS;
          };
      if (operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN) {
        if (!INTEGER.matcher(value).matches()) {
          throw new Invalid(
              text, "'" + op + "' of key " + key + " needs an integer, not \"" + value + "\"");
        }
      } else {
        checkValue(text, key, value);
      }
      return new Requirement(key, operator, Set.of(value));
    }
    checkKey(text, term);
    return new Requirement(term, Operator.EXISTS, Set.of());
  }

  /**
   * {@code key in (...)} / {@code key notin (...)} as key, operator, rest; null for other terms.
   */
  private static String[] setTerm(String term) {
    int paren = term.indexOf('(');
    if (paren < 0) return null;
    String head = term.substring(0, paren).strip();
    for (String op : List.of("notin", "in")) {
      if (head.endsWith(" " + op) || head.endsWith("\t" + op)) {
        return new String[] {
          head.substring(0, head.length() - op.length()).strip(), op, term.substring(paren)
        };
      }
    }
    return null;
  }

  private static void checkKey(String text, String key) {
    if (key.isEmpty()) throw new Invalid(text, "a requirement without a key");
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        throw new Invalid(
            text, "key " + key + ": the prefix must be a DNS subdomain (lower case, at most 253)");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME.matcher(name).matches()) {
      throw new Invalid(
          text,
          "key "
              + key
              + ": the name must be 1 to 63 of [A-Za-z0-9-_.], beginning and ending alphanumeric");
    }
  }

  private static void checkValue(String text, String key, String value) {
    if (value.length() > 63 || (!value.isEmpty() && !NAME.matcher(value).matches())) {
      throw new Invalid(
          text,
          "value \""
              + value
              + "\" of key "
              + key
              + ": at most 63 of [A-Za-z0-9-_.], beginning and ending alphanumeric");
    }
  }
}
