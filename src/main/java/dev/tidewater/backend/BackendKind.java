package dev.tidewater.backend;

import java.util.Arrays;

/** The places workloads can run: the values of a Cluster's {@code spec.backend}. */
public enum BackendKind {
  KUBERNETES,
  ECS;

  /** The value users write in {@code spec.backend}, e.g. {@code ecs}. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The backend {@code value} names; kubernetes when it names none (the implicit default). */
  public static BackendKind of(String value) {
    return Arrays.stream(values())
        .filter(k -> k.value().equals(value))
        .findFirst()
        .orElse(KUBERNETES);
  }
}
