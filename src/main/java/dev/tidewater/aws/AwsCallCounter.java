package dev.tidewater.aws;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts AWS calls per API ({@code Service:Operation}): calls made, HTTP attempts (retries
 * included) and calls that failed throttled. Used by metrics, tests and benchmarks.
 */
public final class AwsCallCounter implements ExecutionInterceptor {

  /** Per-API counts at one moment. */
  public record Counts(long calls, long attempts, long throttled) {}

  private static final class Cell {
    final LongAdder calls = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder throttled = new LongAdder();
  }

  /** Told of every call and every call that failed throttled (metrics). */
  public interface Listener {
    void called(String key);

    void throttled(String key);
  }

  private final Map<String, Cell> cells = new ConcurrentHashMap<>();
  private final List<Listener> listeners;

  public AwsCallCounter(Listener... listeners) {
    this.listeners = List.of(listeners);
  }

  private static String keyOf(ExecutionAttributes attributes) {
    return key(
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  /** The key of a call, with the SDK's service name: {@code Ecs:RegisterTaskDefinition}. */
  public static String key(String service, String operation) {
    return service + ":" + operation;
  }

  private Cell cell(ExecutionAttributes attributes) {
    return cells.computeIfAbsent(keyOf(attributes), k -> new Cell());
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    cell(attributes).calls.increment();
    listeners.forEach(l -> l.called(keyOf(attributes)));
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    cell(attributes).attempts.increment();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    if (context.exception() instanceof AwsServiceException e
        && AwsErrors.reasonOf(e) == AwsErrorReason.Throttled) {
      cell(attributes).throttled.increment();
      listeners.forEach(l -> l.throttled(keyOf(attributes)));
    }
  }

  /** Calls made to {@code service:operation} so far (retries not counted). */
  public long calls(String service, String operation) {
    Cell c = cells.get(key(service, operation));
    return c == null ? 0 : c.calls.sum();
  }

  /** Calls made to the API {@code key} ({@code Service:Operation}) so far. */
  public long calls(String key) {
    Cell c = cells.get(key);
    return c == null ? 0 : c.calls.sum();
  }

  /** Calls to the API {@code key} that failed throttled after every retry. */
  public long throttled(String key) {
    Cell c = cells.get(key);
    return c == null ? 0 : c.throttled.sum();
  }

  /** A sorted copy of every API's counts. */
  public Map<String, Counts> snapshot() {
    Map<String, Counts> out = new TreeMap<>();
    cells.forEach(
        (k, c) -> out.put(k, new Counts(c.calls.sum(), c.attempts.sum(), c.throttled.sum())));
    return out;
  }

  /** Total calls across every API. */
  public long totalCalls() {
    return cells.values().stream().mapToLong(c -> c.calls.sum()).sum();
  }
}
