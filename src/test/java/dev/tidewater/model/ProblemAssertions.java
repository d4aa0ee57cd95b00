package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

/** Assertions on a validator's problems, shared by the validator tests. */
final class ProblemAssertions {

  private ProblemAssertions() {}

  /**
   * Exactly one problem, at {@code path} with {@code reason}, whose message names each of {@code
   * named}.
   */
  static void assertOnly(List<Problem> problems, String path, String reason, String... named) {
    assertThat(problems)
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple(path, reason));
    assertThat(problems.get(0).message()).contains(named);
  }
}
