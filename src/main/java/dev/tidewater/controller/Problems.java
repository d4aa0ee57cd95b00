package dev.tidewater.controller;

import dev.tidewater.model.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Problems of a resource as one condition message: every problem, "spec."-prefixed paths (a problem
 * of the resource's own name keeps its "metadata." path).
 */
public final class Problems {

  private Problems() {}

  public static String summary(List<Problem> problems) {
    return problems.stream()
        .map(p -> (p.path().startsWith("metadata.") ? "" : "spec.") + p.path() + ": " + p.message())
        .collect(Collectors.joining("; "));
  }
}
