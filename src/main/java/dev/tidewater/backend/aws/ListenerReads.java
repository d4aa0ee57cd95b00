package dev.tidewater.backend.aws;

import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.SweepGrid;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * The one place the rules of a listener are read for LoadBalancerRoutes (aws routing mode and the
 * ecs backend): DescribeRules, every page, shared by the routes on the listener, so a resync of N
 * routes on one listener costs one read (DESIGN.md rule 10), as {@code ServiceDescriptions} does
 * for ECS services.
 *
 * <p>Per AWS context and listener ARN it keeps the last read and when that read began. A {@link
 * #shared} look gets it while it is younger than the age asked for, else waits for the read in
 * flight, else reads; a {@link #fresh} look always reads itself (what a route decides a write on).
 * A rule write of this process on the listener ({@link #invalidate}) drops the read, and a read in
 * flight from before the write is neither kept nor joined, so the next look reads again. Routes on
 * one listener resync together on one sweep grid ({@link #untilNextSweep}): a sweep finds the read
 * stale once, and every other route of the sweep shares the next. Keyed by AWS context, so routes
 * of Clusters that reach AWS as different principals never share a read. At most {@link
 * #maxListeners} listeners are kept, the least recently used going first.
 */
public final class ListenerReads {

  /** How many listeners are kept by default. */
  public static final int MAX_LISTENERS = 10_000;

  /** One listener as one AWS context sees it. */
  public record Key(AwsContext context, String listenerArn) {}

  /** Reads every rule of a listener (all pages). */
  @FunctionalInterface
  public interface Reader {
    List<Rule> read(Key key);
  }

  /**
   * The rules of a listener.
   *
   * @param shared read before this look asked (by another route, or by an earlier look): not what a
   *     write may be decided on
   */
  public record Read(List<Rule> rules, boolean shared) {}

  private static final class State {
    List<Rule> rules;
    long readAtNanos;
    // bumped by every invalidation: a read begun before it is not kept
    long generation;
    CompletableFuture<List<Rule>> inFlight;
    Long epochNanos;
  }

  private final Reader reader;
  private final LongSupplier nanoClock;
  private final int maxListeners;
  private final Map<Key, State> states;

  public ListenerReads(Reader reader) {
    this(reader, System::nanoTime, MAX_LISTENERS);
  }

  ListenerReads(Reader reader, LongSupplier nanoClock, int maxListeners) {
    this.reader = reader;
    this.nanoClock = nanoClock;
    this.maxListeners = maxListeners;
    this.states =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, State> eldest) {
            return size() > ListenerReads.this.maxListeners;
          }
        };
  }

  /**
   * The rules of the listener, from a read at most {@code maxAge} old (begun by anyone), or the
   * read in flight, or a new read.
   */
  public Read shared(Key key, Duration maxAge) {
    State state;
    CompletableFuture<List<Rule>> waitFor;
    CompletableFuture<List<Rule>> mine = null;
    long generation;
    long startNanos;
    synchronized (states) {
      state = state(key);
      startNanos = nanoClock.getAsLong();
      if (state.rules != null && startNanos - state.readAtNanos < maxAge.toNanos()) {
        return new Read(state.rules, true);
      }
      generation = state.generation;
      if (state.inFlight != null) {
        waitFor = state.inFlight;
      } else {
        mine = new CompletableFuture<>();
        state.inFlight = mine;
        waitFor = mine;
      }
    }
    if (mine == null) {
      try {
        return new Read(waitFor.join(), true);
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    List<Rule> rules;
    try {
      rules = List.copyOf(reader.read(key));
    } catch (RuntimeException | Error e) {
      // every waiter fails with the reader; nothing is kept
      synchronized (states) {
        if (state.inFlight == mine) state.inFlight = null;
      }
      mine.completeExceptionally(e);
      throw e;
    }
    synchronized (states) {
      if (state.inFlight == mine) state.inFlight = null;
      keep(key, state, generation, startNanos, rules);
    }
    mine.complete(rules);
    return new Read(rules, false);
  }

  /**
   * The rules of the listener, read now by this look (never another's read); kept for the shared
   * looks that follow unless a write came in between.
   */
  public Read fresh(Key key) {
    State state;
    long generation;
    long startNanos;
    synchronized (states) {
      state = state(key);
      generation = state.generation;
      startNanos = nanoClock.getAsLong();
    }
    List<Rule> rules = List.copyOf(reader.read(key));
    synchronized (states) {
      keep(key, state, generation, startNanos, rules);
    }
    return new Read(rules, false);
  }

  private void keep(Key key, State state, long generation, long startNanos, List<Rule> rules) {
    if (states.get(key) != state || state.generation != generation) return;
    if (state.rules != null && state.readAtNanos > startNanos) return;
    state.rules = rules;
    state.readAtNanos = startNanos;
  }

  /** A rule of the listener was (or may have been) written: the next look reads again. */
  public void invalidate(Key key) {
    synchronized (states) {
      State state = states.get(key);
      if (state == null) return;
      state.generation++;
      state.rules = null;
      state.inFlight = null;
    }
  }

  /**
   * Rules were (or may have been) written, known by their ARNs: the listener of each is read again;
   * when a rule's listener cannot be told from its ARN, every listener of the context is.
   */
  public void invalidateRules(AwsContext context, Collection<String> ruleArns) {
    for (String arn : ruleArns) {
      if (arn == null) continue;
      Optional<String> listener = listenerOfRule(arn);
      if (listener.isPresent()) {
        invalidate(new Key(context, listener.get()));
      } else {
        invalidateAll(context);
        return;
      }
    }
  }

  /** Every listener of the context is read again. */
  public void invalidateAll(AwsContext context) {
    List<Key> keys;
    synchronized (states) {
      keys = states.keySet().stream().filter(k -> k.context().equals(context)).toList();
    }
    keys.forEach(this::invalidate);
  }

  /**
   * The listener a rule ARN names ({@code arn:...:listener-rule/app/<lb>/<lb-id>/<listener-id>/
   * <rule-id>} is a rule of {@code arn:...:listener/app/<lb>/<lb-id>/<listener-id>}); empty for
   * anything else.
   */
  static Optional<String> listenerOfRule(String ruleArn) {
    int kind = ruleArn.indexOf(":listener-rule/");
    int last = ruleArn.lastIndexOf('/');
    if (kind < 0 || last <= kind + ":listener-rule/".length()) return Optional.empty();
    String listener =
        ruleArn.substring(0, kind)
            + ":listener/"
            + ruleArn.substring(kind + ":listener-rule/".length(), last);
    // app|net / name / lb-id / listener-id
    return listener.substring(listener.indexOf(":listener/")).split("/").length == 5
        ? Optional.of(listener)
        : Optional.empty();
  }

  /**
   * Time until the listener's next sweep: sweeps start {@code period} apart from the first look at
   * the listener, so every route on it that reschedules by this resyncs at the same moment and they
   * share one read.
   */
  public Duration untilNextSweep(Key key, Duration period) {
    long now = nanoClock.getAsLong();
    long epoch;
    synchronized (states) {
      State state = state(key);
      if (state.epochNanos == null) state.epochNanos = now;
      epoch = state.epochNanos;
    }
    return SweepGrid.untilNext(epoch, now, period);
  }

  private State state(Key key) {
    State state = states.get(key);
    if (state == null) {
      state = new State();
      states.put(key, state);
    }
    return state;
  }
}
