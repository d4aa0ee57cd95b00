package dev.tidewater.model;

import java.util.List;

/** Wording shared by the validators' messages, so every message quotes and lists alike. */
final class Messages {

  private Messages() {}

  /** {@code "value"} in double quotes, or {@code null}. */
  static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  /** "a", "a or b", "a, b or c". */
  static String or(List<?> values) {
    List<String> s = values.stream().map(String::valueOf).toList();
    if (s.size() <= 1) {
      return String.join("", s);
    }
    return String.join(", ", s.subList(0, s.size() - 1)) + " or " + s.get(s.size() - 1);
  }
}
