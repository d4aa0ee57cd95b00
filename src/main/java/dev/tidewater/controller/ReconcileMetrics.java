package dev.tidewater.controller;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reconcile counts per kind and outcome reason ({@code tidewater_reconciles_total}), so operators
 * and tests can see the controllers work without reading logs.
 */
@ApplicationScoped
public class ReconcileMetrics {

  private final MeterRegistry registry;

  public ReconcileMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One reconcile of {@code kind} ended with {@code outcome}. */
  public void reconciled(String kind, Outcome outcome) {
    registry.counter("tidewater.reconciles", "kind", kind, "reason", outcome.reason()).increment();
  }
}
