package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Issue 19: the unambiguous scheme maps no two (namespace, name) pairs to one AWS name, for every
 * kind — over generated pairs that are valid Kubernetes names, drawn from a small alphabet of
 * {@code a}, {@code b}, {@code -} and {@code .} so that the joins and replacements that made the
 * old scheme collide ({@code a}/{@code b-c} and {@code a-b}/{@code c}, {@code a.b} and {@code a-b})
 * come up all the time, and at lengths around every kind's limit.
 */
class AwsNamesInjectivityTest {

  private static final List<AwsNames.Kind> KINDS =
      List.of(
          AwsNames.Kind.ECS_SERVICE,
          AwsNames.Kind.TASK_FAMILY,
          AwsNames.Kind.ECS_CLUSTER,
          AwsNames.Kind.IAM_ROLE,
          AwsNames.Kind.TARGET_GROUP,
          AwsNames.Kind.CLIENT_TOKEN);

  /** A DNS label (a namespace): 1..63 of [a-z0-9-], alphanumeric at both ends. */
  private static Arbitrary<String> label(int max) {
    Arbitrary<String> inner =
        Arbitraries.strings().withChars("ab-").ofMinLength(0).ofMaxLength(max - 2);
    Arbitrary<String> edge = Arbitraries.strings().withChars("ab1").ofLength(1);
    return Combinators.combine(edge, inner, edge)
        .as((a, m, z) -> max == 1 ? a : a + m + z)
        .filter(s -> s.length() <= max);
  }

  /** A DNS subdomain (most names): labels joined by dots, up to 253 characters. */
  private static Arbitrary<String> subdomain() {
    return label(63)
        .list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(l -> String.join(".", l))
        .filter(s -> s.length() <= 253);
  }

  @Provide
  Arbitrary<Tuple2<String, String>> pair() {
    return Combinators.combine(
            Arbitraries.oneOf(label(63), label(4)), Arbitraries.oneOf(subdomain(), label(6)))
        .as(Tuple::of);
  }

  @Provide
  Arbitrary<List<Tuple2<String, String>>> pairs() {
    return pair().list().ofMinSize(2).ofMaxSize(40);
  }

  @Property(tries = 300)
  void noTwoPairsShareAName(@ForAll("pairs") List<Tuple2<String, String>> pairs) {
    for (AwsNames.Kind kind : KINDS) {
      Map<String, Tuple2<String, String>> seen = new HashMap<>();
      for (Tuple2<String, String> p : pairs) {
        String n = AwsNames.unambiguous(kind, p.get1(), p.get2());
        assertThat(kind.violation(n)).as("%s %s", kind, n).isEmpty();
        Tuple2<String, String> before = seen.putIfAbsent(n, p);
        assertThat(before == null || before.equals(p))
            .as("%s: %s and %s both give %s", kind, before, p, n)
            .isTrue();
      }
    }
  }

  @Property(tries = 300)
  void aNameWithASuffixIsNoOtherPairsName(
      @ForAll("pair") Tuple2<String, String> a, @ForAll("pair") Tuple2<String, String> b) {
    for (AwsNames.Kind kind : List.of(AwsNames.Kind.TARGET_GROUP, AwsNames.Kind.IAM_ROLE)) {
      assertThat(AwsNames.unambiguous(kind, a.get1(), a.get2(), "inst"))
          .isNotEqualTo(AwsNames.unambiguous(kind, b.get1(), b.get2()));
    }
  }

  @Property(tries = 200)
  void aRolesNamespaceIsReadBackFromItsArn(@ForAll("pair") Tuple2<String, String> p) {
    String role = AwsNames.unambiguous(AwsNames.Kind.IAM_ROLE, p.get1(), p.get2());
    var ns = AwsNames.namespaceOfRoleArn("arn:aws:iam::123456789012:role/tidewater/" + role);
    // a namespace too long to stay whole in a shortened name is not guessed from its prefix
    if (ns.isPresent()) assertThat(ns.get()).isEqualTo(p.get1());
    if (p.get1().length() <= 46) assertThat(ns).contains(p.get1());
  }

  @net.jqwik.api.Example
  void theOldCollisionsAreGone() {
    for (AwsNames.Kind kind : KINDS) {
      assertThat(AwsNames.of(kind, "a", "b-c")).isEqualTo(AwsNames.of(kind, "a-b", "c"));
      assertThat(AwsNames.unambiguous(kind, "a", "b-c"))
          .isNotEqualTo(AwsNames.unambiguous(kind, "a-b", "c"));
    }
    assertThat(AwsNames.unambiguous(AwsNames.Kind.ECS_SERVICE, "shop", "web"))
        .isEqualTo("shop_web");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.IAM_ROLE, "shop", "web.v2"))
        .isEqualTo("shop_web.v2");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.ECS_SERVICE, "shop", "web.v2"))
        .startsWith("shop_web-v2__")
        .hasSize("shop_web-v2__".length() + 16);
    assertThat(AwsNames.unambiguous(AwsNames.Kind.TARGET_GROUP, "shop", "web"))
        .matches("shop-web-[0-9a-f]{16}");
  }
}
