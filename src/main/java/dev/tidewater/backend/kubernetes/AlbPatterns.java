package dev.tidewater.backend.kubernetes;

import java.util.regex.Pattern;

/**
 * ALB condition values (path patterns and host names with the wildcards {@code *} and {@code ?}) as
 * Ingress and Gateway API matches, keeping ALB semantics where the target API can, and saying so
 * where it cannot.
 */
public final class AlbPatterns {

  /** An Ingress path: its pathType and path. */
  public record IngressPath(String pathType, String path) {}

  /** A Gateway API HTTPRoute path match: its type and value. */
  public record GatewayPath(String type, String value) {}

  // "/api/*": one trailing "/*", no other wildcard
  private static final Pattern TRAILING_SLASH_STAR = Pattern.compile("(/[^*?]*)?/\\*");

  private AlbPatterns() {}

  private static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
  }

  /**
   * The Ingress path for an ALB path pattern: without wildcards {@code Exact}; {@code *} and {@code
   * /*} as {@code Prefix /}; {@code /api/*} as {@code Prefix /api/} (the AWS Load Balancer
   * Controller turns it into {@code /api} and {@code /api/*}: one path wider than ALB's {@code
   * /api/*}); anything else as {@code ImplementationSpecific} with the pattern verbatim, which that
   * controller hands to ALB unchanged, so ALB semantics hold exactly.
   */
  public static IngressPath ingressPath(String pattern) {
    if (!hasWildcard(pattern)) {
      return new IngressPath("Exact", pattern);
    }
    if (pattern.equals("*") || pattern.equals("/*")) {
      return new IngressPath("Prefix", "/");
    }
    if (TRAILING_SLASH_STAR.matcher(pattern).matches()) {
      return new IngressPath("Prefix", pattern.substring(0, pattern.length() - 1));
    }
    return new IngressPath("ImplementationSpecific", pattern);
  }

  /**
   * The HTTPRoute path match for an ALB path pattern: without wildcards {@code Exact}; {@code *}
   * and {@code /*} as {@code PathPrefix /}; {@code /api/*} as {@code PathPrefix /api/} (Gateway API
   * also matches {@code /api}); anything else as a {@code RegularExpression} ({@code *} → {@code
   * .*}, {@code ?} → {@code .}, the rest quoted), which implementations may or may not support.
   */
  public static GatewayPath gatewayPath(String pattern) {
    if (!hasWildcard(pattern)) {
      return new GatewayPath("Exact", pattern);
    }
    if (pattern.equals("*") || pattern.equals("/*")) {
      return new GatewayPath("PathPrefix", "/");
    }
    if (TRAILING_SLASH_STAR.matcher(pattern).matches()) {
      return new GatewayPath("PathPrefix", pattern.substring(0, pattern.length() - 1));
    }
    return new GatewayPath("RegularExpression", regex(pattern));
  }

  /** An ALB wildcard value as a regular expression matching exactly the same strings. */
  public static String regex(String pattern) {
    StringBuilder out = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          out.append(quote(literal.toString()));
          literal.setLength(0);
        }
        out.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) out.append(quote(literal.toString()));
    return out.toString();
  }

  // RE2 and Java both take backslash escapes; \Q..\E is not RE2-portable in every implementation
  private static String quote(String literal) {
    StringBuilder out = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("\\.[]{}()+^$|".indexOf(c) >= 0) out.append('\\');
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Whether a host name is one Ingress and Gateway API can hold: no wildcard, or a single leading
   * {@code *.} label (ALB allows {@code *} and {@code ?} anywhere).
   */
  public static boolean isPlainHost(String host) {
    if (host.indexOf('?') >= 0) return false;
    int star = host.indexOf('*');
    if (star < 0) return true;
    return host.startsWith("*.") && host.indexOf('*', 1) < 0;
  }
}
