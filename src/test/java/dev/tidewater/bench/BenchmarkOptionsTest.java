package dev.tidewater.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkOptionsTest {

  @Test
  void aRunWithoutArgumentsIsTheFullOneWithPinnedRunsTheMemoryPointFloorsAndRoutes() {
    Benchmark.Options o = Benchmark.Options.parse();
    assertThat(o.sizes()).containsExactly(100, 1000, 3000);
    assertThat(o.rates()).containsExactly(0, 20);
    assertThat(o.floorSizes()).containsExactly(100, 1000, 3000);
    assertThat(o.pin()).isEqualTo("auto");
    assertThat(o.pinSizes()).containsExactly(1000);
    assertThat(o.memoryPoint()).isEqualTo(10_000);
    assertThat(o.memoryBatch()).isEqualTo(1000);
    assertThat(o.ecsServices()).isEqualTo(200);
    assertThat(o.routes()).isEqualTo(40);
    assertThat(o.listeners()).isEqualTo(2);
    assertThat(o.heap()).isEqualTo("2g");
  }

  @Test
  void aSmallRunHasNeitherPinnedRunsNorTheMemoryPointUnlessAskedFor() {
    Benchmark.Options small = Benchmark.Options.parse("--sizes", "50", "--rate", "all");
    assertThat(small.pinSizes()).isEmpty();
    assertThat(small.memoryPoint()).isZero();
    assertThat(small.floorSizes()).containsExactly(50);

    Benchmark.Options asked =
        Benchmark.Options.parse(
            "--sizes",
            "50",
            "--pin-sizes",
            "30",
            "--pin",
            "0:1",
            "--memory-point",
            "200",
            "--floor",
            "none",
            "--ecs",
            "5",
            "--routes",
            "10",
            "--listeners",
            "3");
    assertThat(asked.pinSizes()).containsExactly(30);
    assertThat(asked.pin()).isEqualTo("0:1");
    assertThat(asked.memoryPoint()).isEqualTo(200);
    assertThat(asked.floorSizes()).isEmpty();
    assertThat(asked.routes()).isEqualTo(10);
    assertThat(asked.listeners()).isEqualTo(3);

    // the routes need the ecs phase's services
    assertThat(Benchmark.Options.parse("--ecs", "0").routes()).isZero();
    assertThat(Benchmark.Options.parse("--sizes", "none").pinSizes()).isEmpty();
    assertThat(Benchmark.Options.parse("--sizes", "1000", "--pin-sizes", "none").pinSizes())
        .isEmpty();
    assertThat(Benchmark.Options.parse("--sizes", "1000", "--memory-point", "0").memoryPoint())
        .isZero();
  }

  @Test
  void badValuesNameTheOptionAndTheReason() {
    assertThatThrownBy(() -> Benchmark.Options.parse("--pin", "1:1"))
        .hasMessage("--pin 1:1: the control plane's and the operator's CPUs overlap");
    assertThatThrownBy(() -> Benchmark.Options.parse("--memory-point", "ten"))
        .hasMessageStartingWith("--memory-point ten: expected a whole number of at least 0");
    assertThatThrownBy(() -> Benchmark.Options.parse("--listeners", "0"))
        .hasMessage("--listeners 0: must be above 0");
    assertThatThrownBy(() -> Benchmark.Options.parse("--routes", "2", "--listeners", "3"))
        .hasMessage("--listeners 3: more listeners than routes (--routes 2)");
    assertThatThrownBy(() -> Benchmark.Options.parse("--heap", "lots"))
        .hasMessageStartingWith("--heap lots: expected a JVM -Xmx size");
    assertThatThrownBy(() -> Benchmark.Options.parse("--sizes", "100,-5"))
        .hasMessageStartingWith("--sizes -5: expected a whole number");
    assertThatThrownBy(() -> Benchmark.Options.parse("--floor"))
        .hasMessageStartingWith("--floor needs a value");
    assertThatThrownBy(() -> Benchmark.Options.parse("--pinned", "3"))
        .hasMessageStartingWith("unknown option --pinned");
    assertThat(List.of(Benchmark.Options.USAGE.split(" ")))
        .contains("[--memory-point", "[--pin", "[--pin-sizes", "[--floor", "[--routes");
  }
}
