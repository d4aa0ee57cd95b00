package dev.tidewater.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether an endpoint override matches a granted endpoint pattern, compared as origins: scheme,
 * host and port apart. An endpoint with user info, a path, a query or a fragment matches nothing
 * (the operator sends signed requests there); in a pattern's host {@code *} stands for letters,
 * digits and {@code -} only, never a {@code .}, so {@code https://vpce-1*.ecs.eu-west-1.vpce.
 * amazonaws.com} cannot match a host of another domain; a port {@code *} is any port, no port the
 * scheme's default.
 */
public final class EndpointPattern {

  private static final Pattern PATTERN =
      Pattern.compile("(https?)://([A-Za-z0-9*.\\-\\[\\]:]+?)(?::(\\d{1,5}|\\*))?/?");

  private EndpointPattern() {}

  /** Whether {@code endpoint} matches {@code pattern}; false for a pattern of another form. */
  public static boolean matches(String pattern, String endpoint) {
    if (pattern == null || endpoint == null) return false;
    Matcher p = PATTERN.matcher(pattern.strip());
    if (!p.matches()) return false;
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      return false;
    }
    if (uri.getScheme() == null
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || !(uri.getRawPath() == null
            || uri.getRawPath().isEmpty()
            || "/".equals(uri.getRawPath()))) {
      return false;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals(p.group(1).toLowerCase(Locale.ROOT))) return false;
    if (!hostMatches(p.group(2).toLowerCase(Locale.ROOT), uri.getHost().toLowerCase(Locale.ROOT))) {
      return false;
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
    String wanted = p.group(3);
    if ("*".equals(wanted)) return true;
    int wantedPort =
        wanted == null ? ("https".equals(scheme) ? 443 : 80) : Integer.parseInt(wanted);
    return port == wantedPort;
  }

  private static boolean hostMatches(String pattern, String host) {
    StringBuilder regex = new StringBuilder();
    String[] parts = pattern.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append("[a-z0-9-]*");
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString()).matcher(host).matches();
  }
}
