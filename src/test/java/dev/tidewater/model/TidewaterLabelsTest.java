package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TidewaterLabelsTest {

  @Test
  void shortValidValuesStayAsTheyAre() {
    assertThat(TidewaterLabels.value("web")).isEqualTo("web");
    assertThat(TidewaterLabels.value("payments-prod_web.v2")).isEqualTo("payments-prod_web.v2");
  }

  @Test
  void longOrInvalidValuesBecomeDistinctValidLabelValues() {
    String a = "payments-production-checkout-api-background-worker-reconciliation-a";
    String b = "payments-production-checkout-api-background-worker-reconciliation-b";
    for (String v : new String[] {a, b, "_leading", "trailing-", "x".repeat(255)}) {
      assertThat(TidewaterLabels.value(v))
          .hasSizeLessThanOrEqualTo(63)
          .matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    }
    assertThat(TidewaterLabels.value(a)).isNotEqualTo(TidewaterLabels.value(b));
    assertThat(TidewaterLabels.value(a)).isEqualTo(TidewaterLabels.value(a));
  }
}
