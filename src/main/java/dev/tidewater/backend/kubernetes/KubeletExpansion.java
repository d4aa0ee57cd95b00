package dev.tidewater.backend.kubernetes;

import java.util.List;

/**
 * Escapes strings for the kubelet's {@code $(VAR)} expansion of env values, commands and args, so a
 * container sees exactly the string ECS would have passed (DESIGN rule 11).
 *
 * <p>The kubelet replaces {@code $(NAME)} with the value of a variable of the container and reduces
 * {@code $$} to {@code $}; every other {@code $} passes through. Doubling exactly the {@code $}
 * that is followed by {@code (} or {@code $} is therefore the smallest escape that round-trips:
 * {@code "$(date)"} becomes {@code "$$(date)"}, {@code "a$$b"} becomes {@code "a$$$b"}, and {@code
 * "$HOME"} stays as it is.
 */
public final class KubeletExpansion {

  private KubeletExpansion() {}

  /** The string the kubelet expands back to {@code value}; null stays null. */
  public static String escape(String value) {
    if (value == null || value.indexOf('$') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(c);
      if (c == '$' && i + 1 < value.length()) {
        char next = value.charAt(i + 1);
        if (next == '(' || next == '$') {
          out.append('$');
        }
      }
    }
    return out.toString();
  }

  /** {@link #escape} applied to every element; null stays null. */
  public static List<String> escapeAll(List<String> values) {
    return values == null ? null : values.stream().map(KubeletExpansion::escape).toList();
  }
}
