package dev.tidewater.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tidewater.aws.AwsContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * The listener read the routes on one listener share: one read per age window, a read in flight
 * joined, an own read never shared from before, writes invalidating (in-flight reads included), the
 * sweep grid, the bound, and the listener of a rule ARN. Time is a fake clock.
 */
class ListenerReadsTest {

  private static final AwsContext CONTEXT = AwsContext.defaultChain("us-east-1", Optional.empty());
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/public/50dc6c495c0c9188/f2f7dc8efc522ab2";
  private static final ListenerReads.Key KEY = new ListenerReads.Key(CONTEXT, LISTENER);
  private static final Duration AGE = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final List<ListenerReads.Key> calls = Collections.synchronizedList(new ArrayList<>());
  // what the listener holds: each read answers it as it is then
  private volatile List<Rule> onListener = rules("r1");

  private ListenerReads reads() {
    return reads(key -> onListener, ListenerReads.MAX_LISTENERS);
  }

  private ListenerReads reads(Function<ListenerReads.Key, List<Rule>> reader, int max) {
    return new ListenerReads(
        key -> {
          calls.add(key);
          return reader.apply(key);
        },
        now::get,
        max);
  }

  private static List<Rule> rules(String... ids) {
    List<Rule> out = new ArrayList<>();
    for (String id : ids) {
      out.add(
          Rule.builder()
              .ruleArn(LISTENER.replace(":listener/", ":listener-rule/") + "/" + id)
              .build());
    }
    return out;
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void routesOnOneListenerShareOneReadWhileItIsYoungerThanTheAge() {
    ListenerReads reads = reads();
    ListenerReads.Read first = reads.shared(KEY, AGE);
    advance(Duration.ofSeconds(29));
    ListenerReads.Read second = reads.shared(KEY, AGE);
    ListenerReads.Read third = reads.shared(KEY, AGE);

    assertThat(calls).hasSize(1);
    assertThat(first.shared()).as("the first look made the read").isFalse();
    assertThat(second.shared()).isTrue();
    assertThat(third.rules()).isEqualTo(first.rules());

    advance(Duration.ofSeconds(1));
    onListener = rules("r1", "r2");
    ListenerReads.Read stale = reads.shared(KEY, AGE);
    assertThat(calls).as("as old as the age: read again").hasSize(2);
    assertThat(stale.shared()).isFalse();
    assertThat(stale.rules()).hasSize(2);
  }

  @Test
  void aRuleWriteOfThisProcessMakesTheNextLookReadAgain() {
    ListenerReads reads = reads();
    reads.shared(KEY, AGE);
    onListener = rules("r1", "mine");

    reads.invalidate(KEY);
    ListenerReads.Read after = reads.shared(KEY, AGE);

    assertThat(calls).hasSize(2);
    assertThat(after.shared()).isFalse();
    assertThat(after.rules()).hasSize(2);
    // and the read after the write is shared again
    assertThat(reads.shared(KEY, AGE).shared()).isTrue();
    assertThat(calls).hasSize(2);
  }

  @Test
  void aRuleWriteKnownByTheRulesArnInvalidatesItsListenerOnly() {
    ListenerReads reads = reads();
    String other = LISTENER.replace("f2f7dc8efc522ab2", "0000000000000001");
    ListenerReads.Key otherKey = new ListenerReads.Key(CONTEXT, other);
    reads.shared(KEY, AGE);
    reads.shared(otherKey, AGE);

    reads.invalidateRules(CONTEXT, List.of(rules("gone").get(0).ruleArn()));
    reads.shared(KEY, AGE);
    reads.shared(otherKey, AGE);

    assertThat(calls).containsExactly(KEY, otherKey, KEY);
  }

  @Test
  void aRuleArnThatNamesNoListenerInvalidatesEveryListenerOfItsContext() {
    ListenerReads reads = reads();
    AwsContext elsewhere = AwsContext.defaultChain("eu-west-1", Optional.empty());
    ListenerReads.Key there = new ListenerReads.Key(elsewhere, LISTENER);
    reads.shared(KEY, AGE);
    reads.shared(there, AGE);

    reads.invalidateRules(CONTEXT, List.of("arn:aws:elasticloadbalancing:rule/odd"));
    reads.shared(KEY, AGE);
    reads.shared(there, AGE);

    assertThat(calls).containsExactly(KEY, there, KEY);
  }

  @Test
  void twoAwsContextsNeverShareARead() {
    ListenerReads reads = reads();
    AwsContext tenant =
        AwsContext.defaultChain("us-east-1", Optional.empty())
            .assumingRole("arn:aws:iam::123456789012:role/tenant", Optional.empty());
    reads.shared(KEY, AGE);
    reads.shared(new ListenerReads.Key(tenant, LISTENER), AGE);

    assertThat(calls).hasSize(2);
  }

  @Test
  void anOwnReadIsNeverAnotherRoutesAndIsSharedAfterwards() {
    ListenerReads reads = reads();
    reads.shared(KEY, AGE);

    ListenerReads.Read own = reads.fresh(KEY);
    assertThat(own.shared()).isFalse();
    assertThat(calls).as("read although a young read is there").hasSize(2);

    onListener = rules("changed");
    ListenerReads.Read later = reads.shared(KEY, AGE);
    assertThat(later.shared()).isTrue();
    assertThat(later.rules()).isEqualTo(own.rules());
    assertThat(calls).hasSize(2);
  }

  @Test
  void aReadThatBeganBeforeAWriteIsNotKeptNorJoined() throws Exception {
    CountDownLatch inReader = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ListenerReads reads =
        reads(
            key -> {
              if (calls.size() == 1) {
                // the first read sees the listener before the write, and is slow
                List<Rule> before = onListener;
                inReader.countDown();
                hold(release);
                return before;
              }
              return onListener;
            },
            ListenerReads.MAX_LISTENERS);
    CompletableFuture<ListenerReads.Read> slow =
        CompletableFuture.supplyAsync(() -> reads.shared(KEY, AGE));
    assertThat(inReader.await(10, TimeUnit.SECONDS)).isTrue();

    // a route writes meanwhile
    onListener = rules("r1", "written");
    reads.invalidate(KEY);
    ListenerReads.Read afterWrite = reads.shared(KEY, AGE);
    assertThat(afterWrite.rules()).as("not joined to the read from before").hasSize(2);

    release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).rules()).hasSize(1);
    // what the slow read saw is not kept: the look after it gets the read after the write
    assertThat(reads.shared(KEY, AGE).rules()).hasSize(2);
    assertThat(calls).hasSize(2);
  }

  @Test
  void anOwnReadThatBeganBeforeAWriteIsNotKept() throws Exception {
    CountDownLatch inReader = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ListenerReads reads =
        reads(
            key -> {
              if (calls.size() == 1) {
                List<Rule> before = onListener;
                inReader.countDown();
                hold(release);
                return before;
              }
              return onListener;
            },
            ListenerReads.MAX_LISTENERS);
    CompletableFuture<ListenerReads.Read> own =
        CompletableFuture.supplyAsync(() -> reads.fresh(KEY));
    assertThat(inReader.await(10, TimeUnit.SECONDS)).isTrue();
    onListener = rules("r1", "written");
    reads.invalidate(KEY);
    release.countDown();

    assertThat(own.get(10, TimeUnit.SECONDS).rules()).hasSize(1);
    assertThat(reads.shared(KEY, AGE).rules()).hasSize(2);
    assertThat(calls).hasSize(2);
  }

  @Test
  void aLookWhileTheListenerIsBeingReadWaitsForThatRead() throws Exception {
    CountDownLatch inReader = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ListenerReads reads =
        reads(
            key -> {
              inReader.countDown();
              hold(release);
              return onListener;
            },
            ListenerReads.MAX_LISTENERS);
    CompletableFuture<ListenerReads.Read> first =
        CompletableFuture.supplyAsync(() -> reads.shared(KEY, AGE));
    assertThat(inReader.await(10, TimeUnit.SECONDS)).isTrue();
    List<ListenerReads.Read> second = new ArrayList<>();
    Thread waiter = new Thread(() -> second.add(reads.shared(KEY, AGE)));
    waiter.start();
    // parked on the read in flight (a read of its own would have entered the reader)
    await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.WAITING);
    assertThat(calls).hasSize(1);

    release.countDown();
    waiter.join(10_000);
    assertThat(first.get(10, TimeUnit.SECONDS).shared()).isFalse();
    assertThat(second).singleElement().satisfies(r -> assertThat(r.shared()).isTrue());
    assertThat(second.get(0).rules()).isEqualTo(first.get().rules());
    assertThat(calls).hasSize(1);
  }

  @Test
  void aFailedReadIsNotKeptAndTheNextLookReadsAgain() {
    RuntimeException throttled = new IllegalStateException("Throttling");
    ListenerReads reads =
        reads(
            key -> {
              if (calls.size() == 1) throw throttled;
              return onListener;
            },
            ListenerReads.MAX_LISTENERS);

    assertThatThrownBy(() -> reads.shared(KEY, AGE)).isSameAs(throttled);
    assertThat(reads.shared(KEY, AGE).rules()).hasSize(1);
    assertThat(calls).hasSize(2);
  }

  @Test
  void theLeastRecentlyUsedListenerGoesBeyondTheBound() {
    ListenerReads reads = reads(key -> onListener, 2);
    ListenerReads.Key b = new ListenerReads.Key(CONTEXT, LISTENER + "b");
    ListenerReads.Key c = new ListenerReads.Key(CONTEXT, LISTENER + "c");
    reads.shared(KEY, AGE);
    reads.shared(b, AGE);
    reads.shared(KEY, AGE); // KEY used last: b is the eldest
    reads.shared(c, AGE); // b goes
    calls.clear();

    reads.shared(KEY, AGE);
    reads.shared(c, AGE);
    reads.shared(b, AGE);

    assertThat(calls).containsExactly(b);
  }

  @Test
  void routesOnAListenerResyncOnOneSweepGrid() {
    ListenerReads reads = reads();
    Duration period = Duration.ofSeconds(60);
    assertThat(reads.untilNextSweep(KEY, period)).isEqualTo(period);
    advance(Duration.ofSeconds(45));
    assertThat(reads.untilNextSweep(KEY, period)).isEqualTo(Duration.ofSeconds(15));
    advance(Duration.ofSeconds(30));
    assertThat(reads.untilNextSweep(KEY, period)).isEqualTo(Duration.ofSeconds(45));
    // another listener has a grid of its own, from its first look
    ListenerReads.Key other = new ListenerReads.Key(CONTEXT, LISTENER + "x");
    assertThat(reads.untilNextSweep(other, period)).isEqualTo(period);
    // never sooner than half a second, so a route at the sweep does not loop
    advance(Duration.ofSeconds(45).minusMillis(100));
    assertThat(reads.untilNextSweep(KEY, period)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void theListenerOfARuleIsReadFromItsArn() {
    assertThat(
            ListenerReads.listenerOfRule(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/public/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"))
        .contains(LISTENER);
    assertThat(
            ListenerReads.listenerOfRule(
                "arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:listener-rule/net/n/1/2/3"))
        .contains("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:listener/net/n/1/2");
    assertThat(ListenerReads.listenerOfRule("arn:aws:elasticloadbalancing:rule/odd")).isEmpty();
    assertThat(ListenerReads.listenerOfRule(LISTENER)).isEmpty();
    assertThat(
            ListenerReads.listenerOfRule(
                "arn:aws:elasticloadbalancing:us-east-1:1:listener-rule/app/public/1/2"))
        .as("too short: no rule id")
        .isEmpty();
  }

  private static void hold(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("not released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
