package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A shard's namespace selector matches as the API server's label selectors do (the semantics of
 * apimachinery's {@code labels.Parse}: {@code !=} and {@code notin} also match an absent key), and
 * a selector the API server would refuse is refused with the reason.
 */
class LabelSelectorTextTest {

  private static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  static Stream<Arguments> matching() {
    Map<String, String> a = labels("tidewater.dev/shard", "a", "team", "web", "tier", "3");
    Map<String, String> b = labels("tidewater.dev/shard", "b");
    Map<String, String> none = labels();
    return Stream.of(
        // selector, labels, matches
        Arguments.of("", none, true),
        Arguments.of("   ", a, true),
        Arguments.of("tidewater.dev/shard=a", a, true),
        Arguments.of("tidewater.dev/shard=a", b, false),
        Arguments.of("tidewater.dev/shard=a", none, false),
        Arguments.of("tidewater.dev/shard==a", a, true),
        Arguments.of("tidewater.dev/shard!=a", a, false),
        Arguments.of("tidewater.dev/shard!=a", b, true),
        Arguments.of("tidewater.dev/shard!=a", none, true),
        Arguments.of("tidewater.dev/shard in (a, b)", a, true),
        Arguments.of("tidewater.dev/shard in (a,b)", b, true),
        Arguments.of("tidewater.dev/shard in (c)", a, false),
        Arguments.of("tidewater.dev/shard in (a)", none, false),
        Arguments.of("tidewater.dev/shard notin (a)", a, false),
        Arguments.of("tidewater.dev/shard notin (a)", b, true),
        Arguments.of("tidewater.dev/shard notin (a)", none, true),
        Arguments.of("tidewater.dev/shard", a, true),
        Arguments.of("tidewater.dev/shard", none, false),
        Arguments.of("!tidewater.dev/shard", none, true),
        Arguments.of("!tidewater.dev/shard", b, false),
        Arguments.of("tidewater.dev/shard=a,team=web", a, true),
        Arguments.of("tidewater.dev/shard=a, team=api", a, false),
        Arguments.of("tidewater.dev/shard in (a,b),!team", b, true),
        Arguments.of("tidewater.dev/shard in (a,b),!team", a, false),
        Arguments.of("tier>2", a, true),
        Arguments.of("tier>3", a, false),
        Arguments.of("tier<4", a, true),
        Arguments.of("tier<4", b, false),
        Arguments.of("team>1", a, false), // a non-integer value is neither greater nor less
        Arguments.of("team=", labels("team", ""), true),
        Arguments.of("team=", a, false));
  }

  @ParameterizedTest(name = "\"{0}\" on {1}: {2}")
  @MethodSource("matching")
  void matchesAsTheApiServerDoes(String selector, Map<String, String> labels, boolean matches) {
    assertThat(LabelSelectorText.parse(selector).matches(labels)).isEqualTo(matches);
  }

  @Test
  void onlyTheEmptySelectorSelectsEverythingAndNullLabelsAreNone() {
    assertThat(LabelSelectorText.parse(null).selectsEverything()).isTrue();
    assertThat(LabelSelectorText.parse("").selectsEverything()).isTrue();
    assertThat(LabelSelectorText.parse("a=b").selectsEverything()).isFalse();
    assertThat(LabelSelectorText.parse("!a").matches(null)).isTrue();
    assertThat(LabelSelectorText.parse("a").matches(null)).isFalse();
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("a=b,", "an empty requirement"),
        Arguments.of(",a=b", "an empty requirement"),
        Arguments.of("a=b,,c=d", "an empty requirement"),
        Arguments.of("shard in (a,b", "'(' without ')'"),
        Arguments.of("shard in a,b)", "')' without '('"),
        Arguments.of("shard in ((a))", "nested parentheses"),
        Arguments.of("shard in ()", "'in' of key shard has no values"),
        Arguments.of("shard notin (a b)", "value \"a b\" of key shard"),
        Arguments.of("=a", "a requirement without a key"),
        Arguments.of("!", "a requirement without a key"),
        Arguments.of("Team_A/x=a", "key Team_A/x: the prefix must be a DNS subdomain"),
        Arguments.of("-team=a", "key -team: the name must be 1 to 63"),
        Arguments.of("team name=a", "key team name: the name must be 1 to 63"),
        Arguments.of("team=a b", "value \"a b\" of key team"),
        Arguments.of("team=" + "x".repeat(64), "of key team: at most 63"),
        Arguments.of("tier>two", "'>' of key tier needs an integer, not \"two\""));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @MethodSource("refused")
  void refusesWhatTheApiServerRefusesNamingWhy(String selector, String reason) {
    assertThatThrownBy(() -> LabelSelectorText.parse(selector))
        .isInstanceOf(LabelSelectorText.Invalid.class)
        .hasMessageStartingWith("label selector \"" + selector.strip() + "\": ")
        .hasMessageContaining(reason);
  }
}
