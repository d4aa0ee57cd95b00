package dev.tidewater.backend.kubernetes;

import dev.tidewater.model.Sha256;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns ECS names (which allow upper case and underscores) into the names Kubernetes accepts, the
 * same way every time: lower case, other characters replaced by {@code '-'}, and a hash suffix only
 * when a name is too long.
 */
public final class KubernetesNames {

  /** Longest DNS label (container, volume and port-less object names). */
  public static final int DNS_LABEL_MAX = 63;

  /** Longest DNS subdomain (Secret and PersistentVolumeClaim names). */
  public static final int DNS_SUBDOMAIN_MAX = 253;

  static final int HASH_LENGTH = 8;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  // IANA_SVC_NAME: what Kubernetes accepts as a port name.
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

  private KubernetesNames() {}

  /** Whether {@code name} is a valid DNS label (RFC 1123) as Kubernetes checks it. */
  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= DNS_LABEL_MAX && DNS_LABEL.matcher(name).matches();
  }

  /**
   * The DNS label for an ECS name: unchanged when already valid; else lower-cased, with every
   * character outside {@code [a-z0-9-]} replaced by {@code '-'} and hyphens trimmed from the ends;
   * longer than 63 characters (or empty) becomes a prefix plus {@code "-"} and 8 hex characters of
   * SHA-256 over the original name.
   */
  public static String dnsLabel(String name) {
    String sanitized = trimHyphens(replaceOutside(name.toLowerCase(Locale.ROOT), "-"));
    if (!sanitized.isEmpty() && sanitized.length() <= DNS_LABEL_MAX) {
      return sanitized;
    }
    return withHash(sanitized, name, DNS_LABEL_MAX);
  }

  /** A DNS label like {@link #dnsLabel} but forced to differ from the plain one (collisions). */
  public static String hashedDnsLabel(String name, int attempt) {
    String sanitized = trimHyphens(replaceOutside(name.toLowerCase(Locale.ROOT), "-"));
    return withHash(sanitized, attempt == 0 ? name : name + "/" + attempt, DNS_LABEL_MAX);
  }

  /**
   * A DNS subdomain (Secret, PersistentVolumeClaim names) for an arbitrary string: lower-cased,
   * characters outside {@code [a-z0-9.-]} replaced by {@code '-'}, non-alphanumerics trimmed from
   * the ends, cut with a hash when longer than 253.
   */
  public static String dnsSubdomain(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
      out.append(ok ? c : '-');
    }
    String s = trimNonAlphanumeric(out.toString());
    if (!s.isEmpty() && s.length() <= DNS_SUBDOMAIN_MAX) {
      return s;
    }
    return withHash(s, name, DNS_SUBDOMAIN_MAX);
  }

  /** Whether {@code name} is a valid Kubernetes port name (IANA service name). */
  public static boolean isPortName(String name) {
    return name != null
        && name.length() <= 15
        && PORT_NAME.matcher(name).matches()
        && !name.contains("--")
        && HAS_LETTER.matcher(name).matches();
  }

  /**
   * 8 hex characters of SHA-256 over {@code input}: the suffix that keeps cut or colliding names
   * apart.
   */
  public static String hash(String input) {
    return Sha256.hex(input, HASH_LENGTH);
  }

  private static String withHash(String readable, String hashed, int max) {
    String suffix = hash(hashed);
    String prefix = readable;
    int room = max - suffix.length() - 1;
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    prefix = trimNonAlphanumeric(prefix);
    return prefix.isEmpty() ? "x-" + suffix : prefix + "-" + suffix;
  }

  private static String replaceOutside(String lower, String replacement) {
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
      if (ok) {
        out.append(c);
      } else {
        out.append(replacement);
      }
    }
    return out.toString();
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

  private static String trimNonAlphanumeric(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && !isAlphanumeric(s.charAt(start))) {
      start++;
    }
    while (end > start && !isAlphanumeric(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean isAlphanumeric(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
