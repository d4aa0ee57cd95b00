package dev.tidewater.controller;

import dev.tidewater.model.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** Problems of a spec as one condition message: every problem, "spec."-prefixed paths. */
public final class Problems {

  private Problems() {}

  public static String summary(List<Problem> problems) {
    return problems.stream()
        .map(p -> "spec." + p.path() + ": " + p.message())
        .collect(Collectors.joining("; "));
  }
}
