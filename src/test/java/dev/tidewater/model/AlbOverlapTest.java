package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: the overlap of two ALB patterns is exact — checked against brute force over a small
 * alphabet, where a witness string, when there is one, is at most as long as both patterns together
 * (each character of the shortest witness moves at least one pattern on) and can use only the
 * patterns' own letters (a wildcard takes any).
 */
class AlbOverlapTest {

  /** ALB's matching of one value: {@code *} any characters, {@code ?} exactly one. */
  private static boolean matches(String pattern, String s) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(s).matches();
  }

  /** Every string over {@code alphabet} of length up to {@code max}. */
  private static List<String> strings(String alphabet, int max) {
    List<String> all = new ArrayList<>(List.of(""));
    List<String> last = List.of("");
    for (int len = 1; len <= max; len++) {
      List<String> next = new ArrayList<>();
      for (String s : last) for (char c : alphabet.toCharArray()) next.add(s + c);
      all.addAll(next);
      last = next;
    }
    return all;
  }

  private static boolean bruteForce(String a, String b, String alphabet) {
    return strings(alphabet, a.length() + b.length()).stream()
        .anyMatch(s -> matches(a, s) && matches(b, s));
  }

  @Provide
  Arbitrary<String> pattern() {
    return Arbitraries.strings().withChars("ab*?").ofMinLength(0).ofMaxLength(4);
  }

  @Property(tries = 2000)
  void overlapIsExactlyWhetherSomeStringMatchesBoth(
      @ForAll("pattern") String a, @ForAll("pattern") String b) {
    assertThat(AlbOverlap.overlap(a, b)).as("%s and %s", a, b).isEqualTo(bruteForce(a, b, "ab"));
  }

  @Property(tries = 300)
  void overlapIsSymmetric(@ForAll("pattern") String a, @ForAll("pattern") String b) {
    assertThat(AlbOverlap.overlap(a, b)).isEqualTo(AlbOverlap.overlap(b, a));
  }

  @Provide
  Arbitrary<String> mixedCase() {
    return Arbitraries.strings().withChars("aA.*?").ofMinLength(0).ofMaxLength(4);
  }

  /** Hosts are compared ignoring case: the same brute force over lower-cased strings. */
  @Property(tries = 1000)
  void hostsOverlapIgnoringCase(@ForAll("mixedCase") String a, @ForAll("mixedCase") String b) {
    boolean expected =
        strings("a.", a.length() + b.length()).stream()
            .anyMatch(
                s ->
                    matches(a.toLowerCase(), s.toLowerCase())
                        && matches(b.toLowerCase(), s.toLowerCase()));
    assertThat(AlbOverlap.hostsOverlap(a, b)).as("%s and %s", a, b).isEqualTo(expected);
  }

  /** Long patterns cost (n+1)(m+1) states, not an exponential search. */
  @Property(tries = 20)
  void longPatternsAreDecidedQuickly(@ForAll @IntRange(min = 100, max = 128) int n) {
    String a = "*a".repeat(n) + "b";
    String b = "a*".repeat(n) + "c";
    assertThat(AlbOverlap.overlap(a, b)).isFalse();
  }

  @Test
  void theHolesOfComparingAsWritten() {
    assertThat(AlbOverlap.hostsOverlap("SHOP.example.com", "shop.example.com")).isTrue();
    assertThat(AlbOverlap.hostsOverlap("*.example.com", "shop.example.com")).isTrue();
    assertThat(AlbOverlap.hostsOverlap("shop.example.???", "shop.example.com")).isTrue();
    assertThat(AlbOverlap.hostsOverlap("*.example.com", "example.com")).isFalse();
    assertThat(AlbOverlap.hostsOverlap("shop.*", "*.example.com")).isTrue();
    assertThat(AlbOverlap.pathsOverlap("/*", "/api/*")).isTrue();
    assertThat(AlbOverlap.pathsOverlap("/API/*", "/api/*"))
        .as("paths are case-sensitive")
        .isFalse();
    assertThat(AlbOverlap.pathsOverlap("/api/v?", "/api/v10")).isFalse();
  }

  @Test
  void cidrsShareAnAddressWhenOneContainsTheOther() {
    assertThat(AlbOverlap.cidrsOverlap("10.0.0.0/8", "10.1.2.0/24")).isTrue();
    assertThat(AlbOverlap.cidrsOverlap("10.1.2.0/24", "10.1.3.0/24")).isFalse();
    assertThat(AlbOverlap.cidrsOverlap("0.0.0.0/0", "192.168.0.1/32")).isTrue();
    assertThat(AlbOverlap.cidrsOverlap("2001:db8::/32", "2001:db8:1::/48")).isTrue();
    assertThat(AlbOverlap.cidrsOverlap("2001:db8::/32", "10.0.0.0/8"))
        .as("different families never share an address")
        .isFalse();
    assertThat(AlbOverlap.cidrsOverlap("not-a-cidr", "10.0.0.0/8"))
        .as("what cannot be read cannot be proven disjoint")
        .isTrue();
    // a word of hex letters is a host name, never looked up: unreadable, so not disjoint
    assertThat(AlbOverlap.cidrsOverlap("cafe", "10.0.0.0/8")).isTrue();
    assertThat(AlbOverlap.cidrsOverlap("cafe/32", "192.168.0.1/32")).isTrue();
  }
}
