package dev.tidewater.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of the processes that share the machine during a run: every test-ground component
 * ({@code pids/<name>.pid} of the ground's run directory), the operator and this driver. Where the
 * machine's two cores went is what explains a ratio to the baseline.
 */
final class ProcessCpu {

  private ProcessCpu() {}

  /** User plus system CPU time of process {@code pid} so far, in seconds (/proc/PID/stat). */
  static double seconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14 and 15 of stat (utime, stime), counted after the command name's ')'
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks / (double) clockTicksPerSecond();
  }

  /** CPU seconds so far by process name; processes that are not running are left out. */
  static Map<String, Double> snapshot(Path runDir, Long operatorPid) {
    Map<String, Double> out = new TreeMap<>();
    groundPids(runDir).forEach((name, pid) -> put(out, name, pid));
    if (operatorPid != null) put(out, "operator", operatorPid);
    put(out, "driver", ProcessHandle.current().pid());
    return out;
  }

  /** The test ground's processes by name ({@code pids/<name>.pid} of its run directory). */
  static Map<String, Long> groundPids(Path runDir) {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> pids = Files.list(runDir.resolve("pids"))) {
      pids.filter(p -> p.getFileName().toString().endsWith(".pid"))
          .forEach(
              p -> {
                String name = p.getFileName().toString().replaceAll("\\.pid$", "");
                try {
                  long pid = Long.parseLong(Files.readString(p).trim());
                  if (Files.exists(Path.of("/proc", String.valueOf(pid)))) out.put(name, pid);
                } catch (IOException | NumberFormatException gone) {
                  // not running (or not yet): nothing to count
                }
              });
    } catch (IOException noPids) {
      // a ground without a pids directory: only the operator and the driver
    }
    return out;
  }

  /** What each process used between two snapshots (processes in both). */
  static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> out = new TreeMap<>();
    after.forEach(
        (name, s) -> {
          if (before.containsKey(name)) out.put(name, s - before.get(name));
        });
    return out;
  }

  private static void put(Map<String, Double> out, String name, long pid) {
    try {
      out.put(name, seconds(pid));
    } catch (IOException | RuntimeException gone) {
      // exited between listing and reading
    }
  }

  private static long clockTicks = -1;

  private static synchronized long clockTicksPerSecond() {
    if (clockTicks < 0) {
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        clockTicks = Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
      } catch (IOException | NumberFormatException e) {
        clockTicks = 100;
      }
    }
    return clockTicks;
  }
}
