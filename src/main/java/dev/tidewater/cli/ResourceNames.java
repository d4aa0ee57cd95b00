package dev.tidewater.cli;

import java.util.Locale;

/** Kubernetes object names for imported resources, derived from ECS names and file names. */
final class ResourceNames {

  /** Used when neither the ECS name nor the file name leaves a usable character. */
  static final String FALLBACK = "imported";

  private static final int MAX_LENGTH = 253;

  private ResourceNames() {}

  /**
   * A DNS-1123 subdomain for {@code name}: lower-cased, every character other than {@code
   * [a-z0-9-]} replaced by {@code '-'} (dots too, so no label can start or end badly), leading and
   * trailing hyphens trimmed, at most 253 characters; {@code fallback} (treated the same way) when
   * nothing is left.
   */
  static String fromEcsName(String name, String fallback) {
    String s = sanitize(name);
    if (s.isEmpty()) {
      s = sanitize(fallback);
    }
    return s.isEmpty() ? FALLBACK : s;
  }

  /** The file name without directory and extension: {@code a/b/web.json} gives {@code web}. */
  static String baseName(String fileName) {
    String name = fileName.replace('\\', '/');
    name = name.substring(name.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String sanitize(String name) {
    if (name == null) {
      return "";
    }
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    s = trimHyphens(s);
    if (s.length() > MAX_LENGTH) {
      s = trimHyphens(s.substring(0, MAX_LENGTH));
    }
    return s;
  }

  private static String trimHyphens(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }
}
