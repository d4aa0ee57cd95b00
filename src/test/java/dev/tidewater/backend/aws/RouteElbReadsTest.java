package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which routes share the read of their listener: a settled route does; one that is new, changed or
 * waiting for the listener to change reads its own.
 */
class RouteElbReadsTest {

  private static LoadBalancerRoute route(long generation, Long observed, String... trueConditions) {
    LoadBalancerRoute r = new LoadBalancerRoute();
    r.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace("shop")
            .withName("web")
            .withGeneration(generation)
            .build());
    if (observed == null && trueConditions.length == 0) return r;
    LoadBalancerRouteStatus s = new LoadBalancerRouteStatus();
    s.setObservedGeneration(observed);
    for (String c : trueConditions) {
      String[] typeAndReason = c.split("/");
      s.getConditions()
          .add(
              new ConditionBuilder()
                  .withType(typeAndReason[0])
                  .withStatus("True")
                  .withReason(typeAndReason[1])
                  .build());
    }
    r.setStatus(s);
    return r;
  }

  @Test
  void aSettledRouteSharesTheReadOfItsListener() {
    assertThat(RouteElb.readsItsOwn(route(3, 3L, "Ready/RulesInPlace"))).isFalse();
    assertThat(RouteElb.readsItsOwn(route(3, 3L, "Ready/EndpointsReady"))).isFalse();
    assertThat(RouteElb.readsItsOwn(route(3, 3L, "Progressing/NoReadyEndpoints"))).isFalse();
    assertThat(RouteElb.readsItsOwn(route(3, 3L, "Degraded/NameConflict"))).isFalse();
  }

  @Test
  void aNewOrChangedRouteReadsItsOwn() {
    assertThat(RouteElb.readsItsOwn(route(1, null))).as("no status yet").isTrue();
    assertThat(RouteElb.readsItsOwn(route(4, 3L, "Ready/RulesInPlace")))
        .as("spec changed since")
        .isTrue();
  }

  @Test
  void aRouteWaitingForTheListenerToChangeReadsItsOwn() {
    for (String waiting : List.of("Progressing/MovingPriorities", "Degraded/PriorityConflict")) {
      assertThat(RouteElb.readsItsOwn(route(3, 3L, waiting))).as(waiting).isTrue();
    }
  }
}
