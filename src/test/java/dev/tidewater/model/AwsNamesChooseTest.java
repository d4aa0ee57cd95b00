package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which name an object goes by during the switch to the unambiguous scheme: names in use stay in
 * use, an old-named object is used only when it is ours, only new objects get new names — with as
 * few lookups as the case allows.
 */
class AwsNamesChooseTest {

  private static final String NEW = "team_web";
  private static final String OLD = "team-web";

  /** Objects by name: "ours" or "theirs"; records every lookup. */
  private final Map<String, String> aws = new HashMap<>();

  private final List<String> lookups = new ArrayList<>();

  private AwsNames.Chosen<String> choose(Optional<String> recorded) {
    return AwsNames.choose(
        recorded,
        NEW,
        OLD,
        n -> {
          lookups.add(n);
          return Optional.ofNullable(aws.get(n));
        },
        "ours"::equals);
  }

  @Test
  void nothingAnywhereGivesTheNewName() {
    assertThat(choose(Optional.empty())).isEqualTo(new AwsNames.Chosen<>(NEW, Optional.empty()));
    assertThat(lookups).containsExactly(NEW, OLD);
  }

  @Test
  void anOldNamedObjectOfOursKeepsItsName() {
    aws.put(OLD, "ours");
    assertThat(choose(Optional.empty())).isEqualTo(new AwsNames.Chosen<>(OLD, Optional.of("ours")));
  }

  @Test
  void anOldNamedObjectOfAnotherOwnerIsNeverTakenAndTheNewNameIsUsed() {
    aws.put(OLD, "theirs");
    assertThat(choose(Optional.empty())).isEqualTo(new AwsNames.Chosen<>(NEW, Optional.empty()));
  }

  @Test
  void whatIsUnderTheNewNameWinsWhoeverOwnsItTheCallerDecidesOnTheConflict() {
    aws.put(NEW, "theirs");
    aws.put(OLD, "ours");
    assertThat(choose(Optional.empty()))
        .isEqualTo(new AwsNames.Chosen<>(NEW, Optional.of("theirs")));
    assertThat(lookups).containsExactly(NEW);
  }

  @Test
  void theOldNameInStatusCostsOneLookupInSteadyState() {
    aws.put(OLD, "ours");
    assertThat(choose(Optional.of(OLD))).isEqualTo(new AwsNames.Chosen<>(OLD, Optional.of("ours")));
    assertThat(lookups).containsExactly(OLD);
  }

  @Test
  void theOldNameInStatusWhoseObjectIsGoneGivesWayToTheNewNameWithoutLookingTwice() {
    assertThat(choose(Optional.of(OLD))).isEqualTo(new AwsNames.Chosen<>(NEW, Optional.empty()));
    assertThat(lookups).containsExactly(OLD, NEW);
  }

  @Test
  void theNewNameInStatusCostsOneLookup() {
    aws.put(NEW, "ours");
    assertThat(choose(Optional.of(NEW))).isEqualTo(new AwsNames.Chosen<>(NEW, Optional.of("ours")));
    assertThat(lookups).containsExactly(NEW);
  }

  @Test
  void whenBothSchemesGiveOneNameThereIsOneLookup() {
    AwsNames.Chosen<String> chosen =
        AwsNames.choose(
            Optional.empty(),
            "same",
            "same",
            n -> {
              lookups.add(n);
              return Optional.empty();
            },
            x -> true);
    assertThat(chosen.name()).isEqualTo("same");
    assertThat(lookups).containsExactly("same");
  }

  @Test
  void aSuffixedNameIsValidAndDiffersFromThePlainOne() {
    for (AwsNames.Kind kind : List.of(AwsNames.Kind.TARGET_GROUP, AwsNames.Kind.IAM_ROLE)) {
      String inst = AwsNames.unambiguous(kind, "shop", "web", "inst");
      assertThat(kind.violation(inst)).as(inst).isEmpty();
      assertThat(inst).isNotEqualTo(AwsNames.unambiguous(kind, "shop", "web"));
    }
    assertThat(AwsNames.unambiguous(AwsNames.Kind.IAM_ROLE, "shop", "web", "exec"))
        .isEqualTo("shop_web_exec");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.TARGET_GROUP, "shop", "web", "inst"))
        .matches("shop-web-inst-[0-9a-f]{16}");
  }

  @Test
  void newNamesOfTheKindsInUseJoinWithAnUnderscore() {
    assertThat(AwsNames.unambiguous(AwsNames.Kind.ECS_SERVICE, "a-b", "c")).isEqualTo("a-b_c");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.ECS_SERVICE, "a", "b-c")).isEqualTo("a_b-c");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.IAM_ROLE, "a-b", "c")).isEqualTo("a-b_c");
    assertThat(AwsNames.unambiguous(AwsNames.Kind.IAM_ROLE, "a", "b-c")).isEqualTo("a_b-c");
  }
}
