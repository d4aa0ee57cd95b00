package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.ecs.ServiceDescriptions.ClusterKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Service;

class ServiceDescriptionsTest {

  private static final ClusterKey CLUSTER =
      new ClusterKey(AwsContext.defaultChain("us-east-1", Optional.empty()), "arn:cluster/c");
  private static final Duration FRESH = Duration.ofSeconds(10);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

  private ServiceDescriptions descriptions() {
    return new ServiceDescriptions(
        (cluster, names) -> {
          calls.add(List.copyOf(names));
          Map<String, Service> found = new HashMap<>();
          names.stream()
              .filter(n -> !n.startsWith("missing"))
              .forEach(n -> found.put(n, Service.builder().serviceName(n).build()));
          return found;
        },
        now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static List<String> names(int n) {
    return IntStream.range(0, n).mapToObj(i -> "svc-" + i).toList();
  }

  @Test
  void aResyncOfFiftyKnownServicesCostsFiveCallsOfTen() throws Exception {
    ServiceDescriptions d = descriptions();
    names(50).forEach(n -> d.describe(CLUSTER, n, FRESH)); // first sight: members join
    advance(Duration.ofSeconds(20)); // everything stale
    calls.clear();

    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<Optional<Service>>> answers = new ArrayList<>();
      for (String n : names(50)) {
        answers.add(pool.submit(() -> d.describe(CLUSTER, n, FRESH)));
      }
      for (int i = 0; i < 50; i++) {
        assertThat(answers.get(i).get().orElseThrow().serviceName()).isEqualTo("svc-" + i);
      }
    } finally {
      pool.shutdown();
    }

    assertThat(calls).hasSize(5).allSatisfy(c -> assertThat(c).hasSize(10));
    assertThat(calls.stream().flatMap(List::stream).distinct()).hasSize(50);
  }

  @Test
  void aFreshDescriptionIsServedFromTheCache() {
    ServiceDescriptions d = descriptions();
    d.describe(CLUSTER, "a", FRESH);
    advance(Duration.ofSeconds(5));
    d.describe(CLUSTER, "a", FRESH);

    assertThat(calls).containsExactly(List.of("a"));

    advance(Duration.ofSeconds(6));
    d.describe(CLUSTER, "a", FRESH);
    assertThat(calls).hasSize(2);
  }

  @Test
  void aMissingServiceIsEmptyAndCached() {
    ServiceDescriptions d = descriptions();
    assertThat(d.describe(CLUSTER, "missing-x", FRESH)).isEmpty();
    assertThat(d.describe(CLUSTER, "missing-x", FRESH)).isEmpty();
    assertThat(calls).hasSize(1);
  }

  @Test
  void aWriteAnswerIsRecordedAndAForgottenOneIsReadAgain() {
    ServiceDescriptions d = descriptions();
    d.record(CLUSTER, "a", Service.builder().serviceName("a").desiredCount(3).build());
    assertThat(d.describe(CLUSTER, "a", FRESH).orElseThrow().desiredCount()).isEqualTo(3);
    assertThat(calls).isEmpty();

    d.forget(CLUSTER, "a");
    assertThat(d.describe(CLUSTER, "a", FRESH).orElseThrow().desiredCount()).isNull();
    assertThat(calls).containsExactly(List.of("a"));
  }

  @Test
  void aRemovedServiceIsNoLongerBatchedWithOthers() {
    ServiceDescriptions d = descriptions();
    d.describe(CLUSTER, "a", FRESH);
    d.describe(CLUSTER, "b", FRESH);
    d.remove(CLUSTER, "b");
    advance(Duration.ofSeconds(20));
    calls.clear();

    d.describe(CLUSTER, "a", FRESH);

    assertThat(calls).containsExactly(List.of("a"));
  }

  @Test
  void aFailedCallFailsEveryWaiterAndCachesNothing() {
    ServiceDescriptions d =
        new ServiceDescriptions(
            (cluster, names) -> {
              calls.add(names);
              throw new IllegalStateException("throttled");
            },
            now::get);

    assertThatThrownBy(() -> d.describe(CLUSTER, "a", FRESH)).hasMessage("throttled");
    assertThatThrownBy(() -> d.describe(CLUSTER, "a", FRESH)).hasMessage("throttled");
    assertThat(calls).hasSize(2);
  }

  @Test
  void sweepsOfOneClusterAreAlignedOnOneGrid() {
    ServiceDescriptions d = descriptions();
    Duration period = Duration.ofSeconds(30);
    d.describe(CLUSTER, "a", FRESH); // epoch
    advance(Duration.ofSeconds(7));
    assertThat(d.untilNextSweep(CLUSTER, period)).isEqualTo(Duration.ofSeconds(23));
    advance(Duration.ofSeconds(30));
    assertThat(d.untilNextSweep(CLUSTER, period)).isEqualTo(Duration.ofSeconds(23));
  }

  @Test
  void anOldSchemeNameSharesTheNewNamesCallAndDoesNotJoinTheSweeps() {
    ServiceDescriptions d = descriptions();
    assertThat(d.describe(CLUSTER, "missing-new", FRESH, List.of("team-web"))).isEmpty();
    assertThat(d.describe(CLUSTER, "team-web", FRESH)).isPresent();
    assertThat(calls).containsExactly(List.of("missing-new", "team-web"));

    // chosen: the old name; the new one leaves the members, so later sweeps describe one name
    d.remove(CLUSTER, "missing-new");
    advance(Duration.ofSeconds(20));
    calls.clear();
    d.describe(CLUSTER, "team-web", FRESH);
    assertThat(calls).containsExactly(List.of("team-web"));
  }
}
