package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shard settings: none is today's single operator; a shard needs both a name and a selector,
 * each checked with the setting named; its namespaces are those its selector matches, and its Lease
 * is its own.
 */
class ShardTest {

  @Test
  void noSettingsIsNoShard() {
    assertThat(Shard.of(Optional.empty(), Optional.empty())).isEmpty();
    assertThat(Shard.of(Optional.of(" "), Optional.of(""))).isEmpty();
  }

  @Test
  void aShardNeedsBothANameAndASelector() {
    assertThatThrownBy(() -> Shard.of(Optional.empty(), Optional.of("tidewater.dev/shard=a")))
        .isInstanceOf(Shard.InvalidSetting.class)
        .hasMessageStartingWith("tidewater.shard.name: required with");
    assertThatThrownBy(() -> Shard.of(Optional.of("a"), Optional.empty()))
        .isInstanceOf(Shard.InvalidSetting.class)
        .hasMessageStartingWith("tidewater.shard.namespace-selector: required with")
        .hasMessageContaining("would own every namespace");
  }

  @Test
  void aBadNameOrSelectorIsRefusedNamingTheSetting() {
    for (String bad : new String[] {"A", "shard_a", "-a", "a-", "x".repeat(41)}) {
      assertThatThrownBy(() -> Shard.of(Optional.of(bad), Optional.of("s=a")))
          .as(bad)
          .isInstanceOf(Shard.InvalidSetting.class)
          .hasMessageStartingWith("tidewater.shard.name: \"" + bad + "\" is not");
    }
    assertThat(Shard.of(Optional.of("x".repeat(40)), Optional.of("s=a"))).isPresent();
    assertThatThrownBy(() -> Shard.of(Optional.of("a"), Optional.of("s in (a")))
        .isInstanceOf(Shard.InvalidSetting.class)
        .hasMessage(
            "tidewater.shard.namespace-selector: label selector \"s in (a\": '(' without ')'");
  }

  @Test
  void ownsTheNamespacesItsSelectorMatchesAndLeadsThroughItsOwnLease() {
    Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
    namespaces.put("team-b", Map.of("tidewater.dev/shard", "b"));
    namespaces.put("team-a", Map.of("tidewater.dev/shard", "a", "team", "a"));
    namespaces.put("kube-system", Map.of());
    namespaces.put("no-labels", null);
    namespaces.put("team-a2", Map.of("tidewater.dev/shard", "a"));

    Shard a = Shard.of(Optional.of("a"), Optional.of("tidewater.dev/shard=a")).orElseThrow();
    Shard b = Shard.of(Optional.of("b"), Optional.of("tidewater.dev/shard in (b)")).orElseThrow();
    Shard rest = Shard.of(Optional.of("rest"), Optional.of("!tidewater.dev/shard")).orElseThrow();

    assertThat(a.owned(namespaces)).containsExactly("team-a", "team-a2");
    assertThat(b.owned(namespaces)).containsExactly("team-b");
    assertThat(rest.owned(namespaces)).containsExactly("kube-system", "no-labels");
    assertThat(a.leaseName("tidewater-operator")).isEqualTo("tidewater-operator-a");
    assertThat(b.leaseName("tidewater-operator")).isNotEqualTo(a.leaseName("tidewater-operator"));

    // a namespace relabelled from a to b moves from one shard's set to the other's
    namespaces.put("team-a2", Map.of("tidewater.dev/shard", "b"));
    assertThat(a.owned(namespaces)).containsExactly("team-a");
    assertThat(b.owned(namespaces)).containsExactly("team-a2", "team-b");
  }

  @Test
  void peersListEveryShardAndShowNamespacesOwnedByNoneOrBySeveral() {
    Shard a = Shard.of(Optional.of("a"), Optional.of("team in (a, b)")).orElseThrow();
    assertThat(a.peers(Optional.empty())).isEmpty();
    assertThat(a.peers(Optional.of(" "))).isEmpty();
    Map<String, LabelSelectorText> peers =
        a.peers(Optional.of("a:team in (a, b); b:team=b;rest: !team ;"));
    assertThat(peers).containsOnlyKeys("a", "b", "rest");
    assertThat(peers.keySet()).containsExactly("a", "b", "rest");

    Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
    namespaces.put("team-a", Map.of("team", "a"));
    namespaces.put("team-b", Map.of("team", "b"));
    namespaces.put("team-c", Map.of("team", "c"));
    namespaces.put("plain", null);
    Shard.Coverage coverage = Shard.coverage(peers, namespaces);
    assertThat(coverage.unowned()).containsExactly("team-c");
    assertThat(coverage.shared()).containsExactly(Map.entry("team-b", List.of("a", "b")));
    // the default catch-all owns "plain"; without it, nobody does
    peers.remove("rest");
    assertThat(Shard.coverage(peers, namespaces).unowned()).containsExactly("plain", "team-c");
  }

  @Test
  void badPeersAreRefusedNamingTheSetting() {
    Shard a = Shard.of(Optional.of("a"), Optional.of("team=a")).orElseThrow();
    Map<String, String> bad =
        Map.of(
            "b:team=b", "does not list this shard, a",
            "a:team=x", "lists shard a with the selector \"team=x\", not",
            "a:team=a;a:team=a", "shard a is listed twice",
            "a:team=a;team=b", "\"team=b\" is not name:selector",
            "a:team=a;B:team=b", "\"B\" is not a shard name",
            "a:team=a;b:team in (b", "shard b: label selector \"team in (b\": '(' without ')'");
    bad.forEach(
        (text, reason) ->
            assertThatThrownBy(() -> a.peers(Optional.of(text)))
                .as(text)
                .isInstanceOf(Shard.InvalidSetting.class)
                .hasMessageStartingWith("tidewater.shard.peers: ")
                .hasMessageContaining(reason));
  }
}
