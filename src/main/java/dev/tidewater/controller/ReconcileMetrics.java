package dev.tidewater.controller;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reconcile counts per kind and outcome reason ({@code tidewater_reconciles_total}), so operators
 * and tests can see the controllers work without reading logs.
 */
@ApplicationScoped
public class ReconcileMetrics {

  private final MeterRegistry registry;

  // The Prometheus registry itself, not the global composite: the operator starts reconciling
  // before Quarkus adds the Prometheus registry to the composite, and meters the composite made
  // by then lose their first increments.
  public ReconcileMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** One reconcile of {@code kind} ended with {@code outcome}. */
  public void reconciled(String kind, Outcome outcome) {
    registry.counter("tidewater.reconciles", "kind", kind, "reason", outcome.reason()).increment();
  }
}
