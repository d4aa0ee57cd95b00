package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The Operator SDK's hooks into each reconcile, as Prometheus metrics: {@code
 * tidewater_reconcile_duration_seconds{controller, execution, result}} (a histogram) and {@code
 * tidewater_reconcile_errors_total{kind, exception}} for reconciles that threw. Replaces the SDK's
 * own Micrometer metrics (a default bean), which this build did not export.
 */
@Singleton
@Unremovable
public class ReconcileTimings implements Metrics {

  private final PrometheusMeterRegistry registry;

  // the Prometheus registry itself: see ReconcileMetrics
  public ReconcileTimings(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    Timer.Sample sample = Timer.start(registry);
    String result = "failure";
    try {
      T value = execution.execute();
      result = "success";
      return value;
    } finally {
      sample.stop(
          Timer.builder("tidewater.reconcile.duration")
              .description("Time of one reconcile (or cleanup) by controller")
              .tags(
                  "controller",
                  execution.controllerName(),
                  "execution",
                  execution.name(),
                  "result",
                  result)
              .publishPercentileHistogram()
              .register(registry));
    }
  }

  @Override
  public void reconciliationFailed(
      HasMetadata resource, RetryInfo retry, Exception exception, Map<String, Object> metadata) {
    registry
        .counter(
            "tidewater.reconcile.errors",
            "kind",
            resource.getKind(),
            "exception",
            exception.getClass().getSimpleName())
        .increment();
  }
}
