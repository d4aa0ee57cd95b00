package dev.tidewater.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuPinningTest {

  @Test
  void cpuListsReadAsTheKernelWritesThem() {
    assertThat(CpuPinning.cpuList("0-1", "x")).containsExactly(0, 1);
    assertThat(CpuPinning.cpuList("0-2,5, 7", "x")).containsExactly(0, 1, 2, 5, 7);
    assertThat(CpuPinning.cpuList("3,1,1", "x")).containsExactly(1, 3);
    assertThat(CpuPinning.format(List.of(0, 1))).isEqualTo("0-1");
    assertThat(CpuPinning.format(List.of(0, 1, 2, 5, 7, 8))).isEqualTo("0-2,5,7-8");
    assertThat(CpuPinning.format(List.of(3))).isEqualTo("3");
    assertThatThrownBy(() -> CpuPinning.cpuList("a", "--pin a:1"))
        .hasMessageStartingWith("--pin a:1: \"a\" is no CPU number or range");
    assertThatThrownBy(() -> CpuPinning.cpuList("3-1", "--pin x"))
        .hasMessageContaining("\"3-1\" is no CPU number or range");
  }

  @Test
  void theCpusAreCutInHalvesTheControlPlaneTakingTheLargerOne() {
    assertThat(CpuPinning.Split.halves(List.of(0, 1)))
        .contains(new CpuPinning.Split(List.of(0), List.of(1)));
    assertThat(CpuPinning.Split.halves(List.of(0, 1, 2)))
        .contains(new CpuPinning.Split(List.of(0, 1), List.of(2)));
    assertThat(CpuPinning.Split.halves(List.of(2, 3, 6, 7)))
        .contains(new CpuPinning.Split(List.of(2, 3), List.of(6, 7)));
    assertThat(CpuPinning.Split.halves(List.of(0))).isEmpty();
  }

  @Test
  void anExplicitSplitNamesBothSetsAndRefusesAnOverlap() {
    CpuPinning.Split s = CpuPinning.Split.parse("0-2:3");
    assertThat(s.controlPlaneList()).isEqualTo("0-2");
    assertThat(s.operatorList()).isEqualTo("3");
    assertThatThrownBy(() -> CpuPinning.Split.parse("0-1:1"))
        .hasMessage("--pin 0-1:1: the control plane's and the operator's CPUs overlap");
    assertThatThrownBy(() -> CpuPinning.Split.parse("0"))
        .hasMessageStartingWith("--pin 0: expected auto, none or CONTROL_PLANE_CPUS:OPERATOR_CPUS");
    assertThatThrownBy(() -> CpuPinning.Split.parse("0:"))
        .hasMessage("--pin 0:: an empty CPU list");
  }
}
