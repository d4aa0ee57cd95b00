package dev.tidewater.model;

import java.util.List;
import java.util.Optional;

/** The task cpu / memory combinations AWS Fargate accepts (CPU units and MiB). */
public final class FargateSizes {

  /** Memory a task of one Fargate cpu size may have: listed values, or a range with a step. */
  public record MemoryChoice(int cpu, List<Integer> listed, int min, int max, int step) {

    /** Whether a task of this cpu size may have {@code mib} of memory. */
    public boolean allows(int mib) {
      if (!listed.isEmpty()) {
        return listed.contains(mib);
      }
      return mib >= min && mib <= max && (mib - min) % step == 0;
    }

    /** The choice in words, e.g. "512, 1024 or 2048" or "2048 to 8192 in steps of 1024". */
    public String describe() {
      if (!listed.isEmpty()) {
        return Messages.or(listed);
      }
      return min + " to " + max + " in steps of " + step;
    }
  }

  private static final List<MemoryChoice> TABLE =
      List.of(
          new MemoryChoice(256, List.of(512, 1024, 2048), 512, 2048, 0),
          range(512, 1024, 4096, 1024),
          range(1024, 2048, 8192, 1024),
          range(2048, 4096, 16384, 1024),
          range(4096, 8192, 30720, 1024),
          range(8192, 16384, 61440, 4096),
          range(16384, 32768, 122880, 8192));

  private FargateSizes() {}

  /** The task cpu values Fargate accepts, in CPU units, smallest first. */
  public static List<Integer> cpuSizes() {
    return TABLE.stream().map(MemoryChoice::cpu).toList();
  }

  /** The memory Fargate allows for task cpu {@code units}; empty when that is no Fargate size. */
  public static Optional<MemoryChoice> memoryFor(int units) {
    return TABLE.stream().filter(c -> c.cpu() == units).findFirst();
  }

  /** Whether Fargate runs a task of {@code cpuUnits} and {@code memoryMib}. */
  public static boolean supports(int cpuUnits, int memoryMib) {
    return memoryFor(cpuUnits).map(c -> c.allows(memoryMib)).orElse(false);
  }

  private static MemoryChoice range(int cpu, int min, int max, int step) {
    return new MemoryChoice(cpu, List.of(), min, max, step);
  }
}
