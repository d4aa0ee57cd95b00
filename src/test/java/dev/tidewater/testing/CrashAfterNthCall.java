package dev.tidewater.testing;

import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Simulates an operator crash right after the Nth AWS call took effect: throws {@link Crash} from
 * {@code afterExecution} of that call (the request reached AWS and succeeded; only the caller never
 * learns of it), so the code after it never runs. Failing before a call proves nothing about crash
 * safety (BUILD-NOTES.md).
 *
 * <p>Typical use: run the path once with {@link #recording()} to learn its calls, then for every N
 * run it with {@link #after(int)} and converge with a fresh backend (an operator restart forgets
 * in-memory state); {@link #everyCallOf} does that loop.
 */
public final class CrashAfterNthCall implements ExecutionInterceptor {

  /** Retries that do not slow a loop of crash runs down. */
  public static final AwsClientOptions FAST =
      new AwsClientOptions(
          3, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000);

  /** The simulated crash; not an SDK exception, so no code path mistakes it for an AWS error. */
  public static final class Crash extends Error {
    Crash(String message) {
      super(message);
    }
  }

  private final int n;
  private final AtomicInteger seen = new AtomicInteger();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final Set<Integer> failed = ConcurrentHashMap.newKeySet();

  private CrashAfterNthCall(int n) {
    this.n = n;
  }

  /** Crashes after call {@code n} (1-based). */
  public static CrashAfterNthCall after(int n) {
    if (n < 1) throw new IllegalArgumentException("n must be >= 1");
    return new CrashAfterNthCall(n);
  }

  /** Never crashes; records the calls of a path. */
  public static CrashAfterNthCall recording() {
    return new CrashAfterNthCall(0);
  }

  /** An AWS client factory whose every client goes through this interceptor. */
  public AwsClientFactory factory() {
    return new AwsClientFactory(FAST, new AwsCallCounter(), List.of(this));
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    calls.add(
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME)
            + ":"
            + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    // a call AWS refused (e.g. GetRole of a role not made yet) took no effect: it counts as a
    // call, but no crash can follow it; the simulated crash itself also arrives here
    if (!isCrash(context.exception())) {
      failed.add(seen.incrementAndGet());
    }
  }

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    int call = seen.incrementAndGet();
    if (call == n) {
      throw new Crash("crash after AWS call " + n + " (" + calls.get(call - 1) + ") took effect");
    }
  }

  /** The calls made so far ({@code Ecs:RegisterTaskDefinition}, ...), in order. */
  public List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Whether the crash happened. */
  public boolean crashed() {
    return n > 0 && seen.get() >= n;
  }

  /**
   * Runs {@code path} once recording its calls, then once per call N crashing after it, each
   * followed by {@code converge} (with a fresh, crash-free factory) and {@code check}.
   *
   * @param setUp a fresh scenario for run N (0 = the recording run): e.g. unique names
   * @param path the code under test, given the scenario and a factory that may crash
   * @param converge what runs after the crash, as a restarted operator would
   * @param check the assertions on the converged world, given every call that took effect in the
   *     crashed run and the converging one (count Create* calls here: moto may overwrite same-name
   *     objects silently)
   * @return the calls of the path (recording run)
   */
  public static <S> List<String> everyCallOf(
      IntFunction<S> setUp,
      PathStep<S> path,
      PathStep<S> converge,
      BiConsumer<S, List<String>> check) {
    CrashAfterNthCall probe = recording();
    S first = setUp.apply(0);
    try (AwsClientFactory factory = probe.factory()) {
      path.run(first, factory);
    }
    List<String> recorded = probe.calls();
    if (recorded.isEmpty()) {
      throw new IllegalStateException("the path made no AWS call: nothing to crash after");
    }
    for (int n = 1; n <= recorded.size(); n++) {
      if (probe.failed.contains(n)) {
        continue; // a refused call took no effect: there is no "after it took effect" to crash at
      }
      S scenario = setUp.apply(n);
      CrashAfterNthCall crash = after(n);
      boolean crashed = false;
      try (AwsClientFactory factory = crash.factory()) {
        path.run(scenario, factory);
      } catch (Throwable t) {
        if (!isCrash(t)) throw t;
        crashed = true;
      }
      if (!crashed || crash.calls().size() != n) {
        throw new AssertionError(
            "run "
                + n
                + " did not stop right after call "
                + n
                + " (recorded "
                + recorded
                + "): "
                + crash.calls());
      }
      CrashAfterNthCall after = recording();
      try (AwsClientFactory factory = after.factory()) {
        converge.run(scenario, factory);
      }
      try {
        List<String> tookEffect = new ArrayList<>(crash.calls());
        tookEffect.addAll(after.calls());
        check.accept(scenario, tookEffect);
      } catch (AssertionError e) {
        throw new AssertionError(
            "after a crash following call "
                + n
                + " ("
                + recorded.get(n - 1)
                + ") then a fresh reconcile "
                + after.calls()
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return recorded;
  }

  /** Whether {@code t} is (or wraps, as an SDK client exception may) the simulated crash. */
  public static boolean isCrash(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof Crash) return true;
    }
    return false;
  }

  /** One step of a crash scenario, given the AWS client factory to use. */
  @FunctionalInterface
  public interface PathStep<S> {
    void run(S scenario, AwsClientFactory factory);
  }
}
