package dev.tidewater.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether two ALB rule condition values can match one request: host-header and path-pattern values
 * with the wildcards {@code *} (any characters, none included) and {@code ?} (exactly one), hosts
 * compared case-insensitively and paths case-sensitively as ALB does, and source-IP CIDRs. Exact:
 * two patterns overlap iff some string matches both. Pure.
 */
public final class AlbOverlap {

  private AlbOverlap() {}

  /**
   * Whether some string matches both {@code a} and {@code b} (wildcards {@code *} and {@code ?}),
   * character by character as written. Reachability in the product of the two patterns' automata:
   * state (i, j) means a prefix of the string took {@code a} to position i and {@code b} to j. Over
   * an unbounded alphabet a wildcard can always pick a character the other side accepts, so two
   * positions can consume one character together unless both are different literals.
   */
  public static boolean overlap(String a, String b) {
    // fast paths for what most values are (plain hosts and paths, literal ends): a planner
    // compares every pair of rules of two namespaces on a listener
    boolean plainA = isPlain(a);
    boolean plainB = isPlain(b);
    if (plainA && plainB) return a.equals(b);
    if (!literalEndsAgree(a, b)) return false;
    int n = a.length();
    int m = b.length();
    boolean[][] seen = new boolean[n + 1][m + 1];
    int[] stack = new int[(n + 1) * (m + 1)];
    int top = 0;
    seen[0][0] = true;
    stack[top++] = 0;
    while (top > 0) {
      int s = stack[--top];
      int i = s / (m + 1);
      int j = s % (m + 1);
      if (i == n && j == m) return true;
      char x = i < n ? a.charAt(i) : 0;
      char y = j < m ? b.charAt(j) : 0;
      // a star matches nothing more
      if (i < n && x == '*') top = push(seen, stack, top, i + 1, j, m);
      if (j < m && y == '*') top = push(seen, stack, top, i, j + 1, m);
      // one character consumed by both
      if (i < n && j < m && (x == '*' || x == '?' || y == '*' || y == '?' || x == y)) {
        top = push(seen, stack, top, x == '*' ? i : i + 1, y == '*' ? j : j + 1, m);
      }
    }
    return false;
  }

  private static boolean isPlain(String s) {
    return s.indexOf('*') < 0 && s.indexOf('?') < 0;
  }

  /**
   * Whether the literal characters both patterns start with, and end with, agree up to the first
   * wildcard of either: every string matching both begins (and ends) with them.
   */
  private static boolean literalEndsAgree(String a, String b) {
    int n = a.length();
    int m = b.length();
    for (int i = 0; i < n && i < m; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x == '*' || y == '*') break;
      if (x != '?' && y != '?' && x != y) return false;
    }
    for (int i = 1; i <= n && i <= m; i++) {
      char x = a.charAt(n - i);
      char y = b.charAt(m - i);
      if (x == '*' || y == '*') break;
      if (x != '?' && y != '?' && x != y) return false;
    }
    return true;
  }

  private static int push(boolean[][] seen, int[] stack, int top, int i, int j, int m) {
    if (seen[i][j]) return top;
    seen[i][j] = true;
    stack[top] = i * (m + 1) + j;
    return top + 1;
  }

  /** Whether two host-header values can match one host: ALB compares hosts ignoring case. */
  public static boolean hostsOverlap(String a, String b) {
    return overlap(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT));
  }

  /** Whether two path-pattern values can match one path: ALB compares paths case-sensitively. */
  public static boolean pathsOverlap(String a, String b) {
    return overlap(a, b);
  }

  /**
   * The first pair of values, one of each list, that can match one request, described; an empty
   * list is an absent condition, which matches everything. Empty when the lists are disjoint.
   */
  public static Optional<String> common(
      Collection<String> a, Collection<String> b, Overlap overlaps) {
    if (a.isEmpty() && b.isEmpty()) return Optional.of("(any)");
    if (a.isEmpty()) return Optional.of(b.iterator().next());
    if (b.isEmpty()) return Optional.of(a.iterator().next());
    for (String x : a) {
      for (String y : b) {
        if (overlaps.test(x, y)) return Optional.of(describe(x, y));
      }
    }
    return Optional.empty();
  }

  private static String describe(String x, String y) {
    return x.equals(y) ? x : x + " overlaps " + y;
  }

  /** A symmetric test of two condition values. */
  @FunctionalInterface
  public interface Overlap {
    boolean test(String a, String b);
  }

  /**
   * Whether two source-IP CIDRs share an address: two prefixes share one iff the shorter one
   * contains the longer one. A value that is not a CIDR of the same family as the other cannot be
   * proven disjoint from it, so it overlaps (the validator refuses such values anyway).
   */
  public static boolean cidrsOverlap(String a, String b) {
    Optional<Cidr> x = Cidr.parse(a);
    Optional<Cidr> y = Cidr.parse(b);
    if (x.isEmpty() || y.isEmpty()) return true;
    if (x.get().bits() != y.get().bits()) return false;
    int prefix = Math.min(x.get().prefix(), y.get().prefix());
    int shift = x.get().bits() - prefix;
    return x.get().address().shiftRight(shift).equals(y.get().address().shiftRight(shift));
  }

  /** An address family's width in bits, an address and a prefix length. */
  private record Cidr(int bits, BigInteger address, int prefix) {

    private static final java.util.regex.Pattern IPV4 =
        java.util.regex.Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");

    static Optional<Cidr> parse(String s) {
      if (s == null) return Optional.empty();
      int slash = s.indexOf('/');
      String ip = slash < 0 ? s : s.substring(0, slash);
      // a literal only: never a name to look up
      // (a dotted quad or an IPv6 literal: a word of hex letters alone, such as "cafe", is a name)
      boolean literal =
          ip.chars().allMatch(c -> c == '.' || c == ':' || isHex(c))
              && (ip.indexOf(':') >= 0 || IPV4.matcher(ip).matches());
      if (ip.isEmpty() || !literal) {
        return Optional.empty();
      }
      try {
        byte[] raw = InetAddress.getByName(ip).getAddress();
        int bits = raw.length * 8;
        int prefix = slash < 0 ? bits : Integer.parseInt(s.substring(slash + 1));
        if (prefix < 0 || prefix > bits) return Optional.empty();
        return Optional.of(new Cidr(bits, new BigInteger(1, raw), prefix));
      } catch (Exception e) {
        return Optional.empty();
      }
    }

    private static boolean isHex(int c) {
      return Character.digit(c, 16) >= 0;
    }
  }

  /** Whether two lists of exact values (HTTP methods) share one; an empty list matches all. */
  public static Optional<String> commonExact(List<String> a, List<String> b) {
    return common(a, b, String::equals);
  }
}
