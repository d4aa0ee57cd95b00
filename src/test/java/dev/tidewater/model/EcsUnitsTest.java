package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidewater.model.EcsUnits.InvalidUnitException;
import dev.tidewater.model.EcsUnits.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EcsUnitsTest {

  // --- parseTaskCpu ---------------------------------------------------------------------------

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "256|256",
        " 1024 |1024",
        "1|1",
        "0256|256",
        "16384|16384",
        "1 vCPU|1024",
        "1 vcpu|1024",
        "1 VCPU|1024",
        "0.25 vcpu|256",
        "0.25 vCPU|256",
        "2vCPU|2048",
        ".5 vCPU|512",
        "0.5vcpu|512",
        "1. vCPU|1024",
        "1.0 vCPU|1024",
        "4   vCPU|4096",
        "0.125 vCPU|128",
        "0.0009765625 vCPU|1",
        "16 vCPU|16384",
      })
  void parsesTaskCpu(String value, int units) {
    assertThat(EcsUnits.parseTaskCpu(value)).isEqualTo(units);
  }

  @Test
  void surroundingWhitespaceIsIgnored() {
    assertThat(EcsUnits.parseTaskCpu("\t8 vCPU\n")).isEqualTo(8192);
    assertThat(EcsUnits.parseTaskMemory("\t2 GB\n")).isEqualTo(2048);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "abc",
        "-256",
        "+256",
        "-1 vCPU",
        "1 GB",
        "512 MiB",
        "vCPU",
        "1 v CPU",
        "1 vCPUs",
        "1,5 vCPU",
        "1.5",
        "0x100",
        "1e3",
        "1 024",
        "256 units",
        ". vCPU",
        "1..5 vCPU",
      })
  void rejectsMalformedCpu(String value) {
    InvalidUnitException e =
        catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskCpu(value));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.value()).isEqualTo(value);
    assertThat(e).hasMessageContaining("\"" + value + "\"").hasMessageContaining("0.25 vCPU");
  }

  @Test
  void cpuMessageSaysWhatIsWrongAndWhatIsAccepted() {
    assertThatThrownBy(() -> EcsUnits.parseTaskCpu("1 GB"))
        .isInstanceOf(InvalidUnitException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("\"1 GB\" is not a CPU value: use CPU units (\"256\") or vCPU (\"0.25 vCPU\")");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void rejectsEmptyCpu(String value) {
    InvalidUnitException e =
        catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskCpu(value));
    assertThat(e.reason()).isEqualTo(Reason.EMPTY);
    assertThat(e).hasMessageContaining("empty CPU value").hasMessageContaining("0.25 vCPU");
  }

  @Test
  void rejectsFractionalCpuUnits() {
    InvalidUnitException e =
        catchThrowableOfType(
            InvalidUnitException.class, () -> EcsUnits.parseTaskCpu("1.3333 vCPU"));
    assertThat(e.reason()).isEqualTo(Reason.NOT_WHOLE);
    assertThat(e)
        .hasMessage(
            "\"1.3333 vCPU\" is 1365.2992 CPU units, not a whole number: use CPU units (\"256\")"
                + " or vCPU (\"0.25 vCPU\")");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.1 vCPU", "0.3 vcpu", "0.00001 vCPU"})
  void rejectsOtherFractions(String value) {
    assertThat(
            catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskCpu(value))
                .reason())
        .isEqualTo(Reason.NOT_WHOLE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "000", "0 vCPU", "0.0 vCPU", ".0vcpu"})
  void rejectsZeroCpu(String value) {
    InvalidUnitException e =
        catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskCpu(value));
    assertThat(e.reason()).isEqualTo(Reason.NOT_POSITIVE);
    assertThat(e).hasMessageContaining("zero CPU units");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2147483648", "99999999999999999999", "2097152 vCPU"})
  void rejectsCpuBeyondInt(String value) {
    assertThat(
            catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskCpu(value))
                .reason())
        .isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void acceptsLargestIntCpu() {
    assertThat(EcsUnits.parseTaskCpu("2147483647")).isEqualTo(Integer.MAX_VALUE);
  }

  // --- parseTaskMemory ------------------------------------------------------------------------

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      ignoreLeadingAndTrailingWhitespace = false,
      value = {
        "512|512",
        " 2048 |2048",
        "2 GB|2048",
        "2GB|2048",
        "2 gb|2048",
        "0.5 gb|512",
        ".5GB|512",
        "1 GiB|1024",
        "1gib|1024",
        "512 MiB|512",
        "512 MB|512",
        "512mb|512",
        "512.0 MiB|512",
        "30 GB|30720",
        "0.25 GB|256",
        "120 GB|122880",
      })
  void parsesTaskMemory(String value, int mib) {
    assertThat(EcsUnits.parseTaskMemory(value)).isEqualTo(mib);
  }

  @ParameterizedTest(name = "\"{0}\" is rejected")
  @ValueSource(
      strings = {
        "abc", "-512", "1 vCPU", "1 TB", "512 KiB", "512 M", "2 G", "2Gi", "2 GBs", "1.5", "GB",
      })
  void rejectsMalformedMemory(String value) {
    InvalidUnitException e =
        catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskMemory(value));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e)
        .hasMessage(
            "\""
                + value
                + "\" is not a memory value: use MiB (\"512\", \"512 MiB\") or GB (\"0.5 GB\")");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"  "})
  void rejectsEmptyMemory(String value) {
    assertThat(
            catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskMemory(value))
                .reason())
        .isEqualTo(Reason.EMPTY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"512.5 MiB", "0.0001 GB", "1.3333 GB"})
  void rejectsFractionalMib(String value) {
    InvalidUnitException e =
        catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskMemory(value));
    assertThat(e.reason()).isEqualTo(Reason.NOT_WHOLE);
    assertThat(e).hasMessageContaining("MiB, not a whole number");
  }

  @Test
  void rejectsZeroAndHugeMemory() {
    assertThat(
            catchThrowableOfType(InvalidUnitException.class, () -> EcsUnits.parseTaskMemory("0 GB"))
                .reason())
        .isEqualTo(Reason.NOT_POSITIVE);
    assertThat(
            catchThrowableOfType(
                    InvalidUnitException.class, () -> EcsUnits.parseTaskMemory("2097152 GB"))
                .reason())
        .isEqualTo(Reason.TOO_LARGE);
  }

  // --- conversions to Kubernetes quantities ---------------------------------------------------

  @ParameterizedTest(name = "{0} units -> {1}m")
  @CsvSource({
    "0, 0",
    "1, 1",
    "10, 10",
    "100, 98",
    "256, 250",
    "512, 500",
    "1000, 977",
    "1023, 1000",
    "1024, 1000",
    "1025, 1001",
    "4096, 4000",
    "2147483647, 2097152000"
  })
  void convertsUnitsToMillicoresRoundingUp(int units, long millicores) {
    assertThat(EcsUnits.unitsToMillicores(units)).isEqualTo(millicores);
  }

  @Test
  void millicoresNeverUnderAllocate() {
    // Exhaustive over the realistic range: rounding up means millicores/1000 >= units/1024, and
    // it overshoots by less than one millicore.
    for (int units = 0; units <= 200_000; units++) {
      long m = EcsUnits.unitsToMillicores(units);
      assertThat(m * 1024).isGreaterThanOrEqualTo(units * 1000L);
      assertThat((m - 1) * 1024).isLessThan(units * 1000L);
    }
  }

  @Test
  void rejectsNegativeUnits() {
    assertThatThrownBy(() -> EcsUnits.unitsToMillicores(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> EcsUnits.mibQuantity(-512))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} units -> \"{1}\"")
  @CsvSource({
    "256, 250m",
    "1, 1m",
    "100, 98m",
    "512, 500m",
    "1024, 1",
    "2048, 2",
    "16384, 16",
    "1536, 1500m",
    "0, 0"
  })
  void formatsCpuQuantity(int units, String quantity) {
    assertThat(EcsUnits.millicoresQuantity(units)).isEqualTo(quantity);
  }

  @ParameterizedTest(name = "{0} MiB -> \"{1}\"")
  @CsvSource({
    "512, 512Mi",
    "1024, 1Gi",
    "2048, 2Gi",
    "1536, 1536Mi",
    "1, 1Mi",
    "30720, 30Gi",
    "0, 0Mi"
  })
  void formatsMemoryQuantity(int mib, String quantity) {
    assertThat(EcsUnits.mibQuantity(mib)).isEqualTo(quantity);
  }

  @Test
  void formattedQuantitiesMeanWhatTheySay() {
    for (int units : new int[] {1, 100, 256, 1024, 1536, 4096}) {
      assertThat(
              EcsUnits.sameQuantity(
                  EcsUnits.millicoresQuantity(units), EcsUnits.unitsToMillicores(units) + "m"))
          .isTrue();
    }
    for (int mib : new int[] {1, 512, 1024, 1536, 30720}) {
      assertThat(EcsUnits.sameQuantity(EcsUnits.mibQuantity(mib), mib + "Mi")).isTrue();
    }
  }

  // --- sameQuantity ---------------------------------------------------------------------------

  @ParameterizedTest(name = "\"{0}\" == \"{1}\"")
  @CsvSource({
    "1, 1000m",
    "1Gi, 1024Mi",
    "0.5, 500m",
    "250m, 250m",
    "2, 2000m",
    "1k, 1000",
    "1Ki, 1024",
    "512Mi, 524288Ki",
    "0, 0m",
    "1.5Gi, 1536Mi"
  })
  void sameAmountsAreSame(String a, String b) {
    assertThat(EcsUnits.sameQuantity(a, b)).isTrue();
    assertThat(EcsUnits.sameQuantity(b, a)).isTrue();
  }

  @ParameterizedTest(name = "\"{0}\" != \"{1}\"")
  @CsvSource({
    "1, 999m",
    "1Gi, 1G",
    "1Mi, 1M",
    "250m, 256m",
    "1, abc",
    "abc, def",
    "1, ''",
    "' 1', 1"
  })
  void differentOrUnparseableAmountsDiffer(String a, String b) {
    assertThat(EcsUnits.sameQuantity(a, b)).isFalse();
    assertThat(EcsUnits.sameQuantity(b, a)).isFalse();
  }

  @Test
  void nullEqualsOnlyNull() {
    assertThat(EcsUnits.sameQuantity(null, null)).isTrue();
    assertThat(EcsUnits.sameQuantity(null, "1")).isFalse();
    assertThat(EcsUnits.sameQuantity("1", null)).isFalse();
  }

  @Test
  void unparseableEqualsOnlyItself() {
    assertThat(EcsUnits.sameQuantity("abc", "abc")).isTrue();
  }
}
