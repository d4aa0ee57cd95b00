package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reconcile decisions of LoadBalancerRouteReconciler that are pure functions of status. */
class LoadBalancerRouteReconcilerTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  private static LoadBalancerRouteStatus progressing(String reason, Duration ago) {
    LoadBalancerRouteStatus s = new LoadBalancerRouteStatus();
    Condition c = StatusConditions.condition(StatusConditions.PROGRESSING, true, reason, "m");
    c.setLastTransitionTime(NOW.minus(ago).toString());
    s.setConditions(List.of(c));
    return s;
  }

  @Test
  void aRouteWaitingForAStuckHolderLooksAgainEverMoreRarely() {
    assertThat(LoadBalancerRouteReconciler.movingRecheck(null, NOW))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            LoadBalancerRouteReconciler.movingRecheck(
                progressing("MovingPriorities", Duration.ofSeconds(3)), NOW))
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(
            LoadBalancerRouteReconciler.movingRecheck(
                progressing("MovingPriorities", Duration.ofSeconds(40)), NOW))
        .isEqualTo(Duration.ofSeconds(40));
    assertThat(
            LoadBalancerRouteReconciler.movingRecheck(
                progressing("MovingPriorities", Duration.ofHours(2)), NOW))
        .isEqualTo(Duration.ofMinutes(5));
    // waiting for something else before does not count as waiting for the holder
    assertThat(
            LoadBalancerRouteReconciler.movingRecheck(
                progressing("SwitchingTargetGroup", Duration.ofHours(2)), NOW))
        .isEqualTo(Duration.ofSeconds(10));
  }
}
