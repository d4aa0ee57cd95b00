package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicySpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A changed TenancyPolicy re-reconciles the namespaces it governed and the ones it governs. */
class TenancyPoliciesTest {

  private static TenancyPolicy policy(List<String> namespaces) {
    TenancyPolicy p = new TenancyPolicy();
    p.setMetadata(new ObjectMetaBuilder().withName("p").build());
    p.setSpec(new TenancyPolicySpec());
    p.getSpec().namespaces = namespaces;
    return p;
  }

  @Test
  void aPolicyMovedFromOneTeamToAnotherWakesBoth() {
    Predicate<String> affected =
        TenancyPolicies.affected(policy(List.of("team-b-*")), policy(List.of("team-a")));
    assertThat(affected).accepts("team-a", "team-b-web", "team-b-").rejects("team-c", "team-ab");
  }

  @Test
  void anAddedOrDeletedPolicyWakesWhatItGoverns() {
    assertThat(TenancyPolicies.affected(policy(List.of("shop")), null))
        .accepts("shop")
        .rejects("shopping");
    assertThat(TenancyPolicies.affected(policy(null), null))
        .as("a policy naming no namespaces governs all")
        .accepts("anything");
  }

  @Test
  void theCeilingIsNotToldBeforeThePoliciesAreListed() {
    TenancyPolicies policies = new TenancyPolicies();
    assertThat(policies.synced()).isFalse();
    assertThat(policies.grantsEndpointAnywhere("http://127.0.0.1:4566")).isFalse();
    assertThatThrownBy(() -> policies.ceilingFor("shop"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not listed yet");
  }
}
