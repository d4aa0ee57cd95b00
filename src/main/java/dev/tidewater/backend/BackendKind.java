package dev.tidewater.backend;

/** The two places workloads can run. */
public enum BackendKind {
  KUBERNETES,
  ECS
}
