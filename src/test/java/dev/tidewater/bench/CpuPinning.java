package dev.tidewater.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The separate-cores runs: processes pinned to a set of CPUs with {@code taskset -a -p -c} (every
 * thread of each process; threads made later inherit their creator's affinity), their affinity read
 * back from {@code /proc/PID/task/TID/status}, and restored afterwards. As in a real cluster, the
 * control plane and the operator then do not take CPU from each other.
 */
final class CpuPinning implements AutoCloseable {

  /** Which CPUs the control plane (and kwok, moto, the driver) get, and which the operator. */
  record Split(List<Integer> controlPlane, List<Integer> operator) {

    /**
     * The CPUs this process may use cut in two halves, the first (the larger when odd) for the
     * control plane; empty with fewer than two CPUs.
     */
    static Optional<Split> halves(List<Integer> cpus) {
      if (cpus.size() < 2) return Optional.empty();
      int cut = (cpus.size() + 1) / 2;
      return Optional.of(
          new Split(
              List.copyOf(cpus.subList(0, cut)), List.copyOf(cpus.subList(cut, cpus.size()))));
    }

    /** {@code CP:OP}, each a CPU list as taskset takes it ({@code 0}, {@code 0-1,4}). */
    static Split parse(String value) {
      String[] parts = value.split(":", -1);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "--pin "
                + value
                + ": expected auto, none or CONTROL_PLANE_CPUS:OPERATOR_CPUS (e.g. 0:1)");
      }
      List<Integer> cp = cpuList(parts[0], "--pin " + value);
      List<Integer> op = cpuList(parts[1], "--pin " + value);
      if (cp.stream().anyMatch(op::contains)) {
        throw new IllegalArgumentException(
            "--pin " + value + ": the control plane's and the operator's CPUs overlap");
      }
      return new Split(cp, op);
    }

    String controlPlaneList() {
      return format(controlPlane);
    }

    String operatorList() {
      return format(operator);
    }
  }

  /** A CPU list as the kernel writes it ({@code 0-3,6}), as sorted distinct CPU numbers. */
  static List<Integer> cpuList(String list, String what) {
    TreeSet<Integer> out = new TreeSet<>();
    if (list.isBlank()) throw new IllegalArgumentException(what + ": an empty CPU list");
    for (String part : list.trim().split(",")) {
      try {
        int dash = part.indexOf('-');
        if (dash < 0) {
          out.add(Integer.parseInt(part.trim()));
        } else {
          int from = Integer.parseInt(part.substring(0, dash).trim());
          int to = Integer.parseInt(part.substring(dash + 1).trim());
          if (to < from) throw new NumberFormatException("descending range");
          for (int c = from; c <= to; c++) out.add(c);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            what + ": \"" + part + "\" is no CPU number or range (" + e.getMessage() + ")");
      }
    }
    if (out.first() < 0) throw new IllegalArgumentException(what + ": a negative CPU number");
    return List.copyOf(out);
  }

  /** Sorted distinct CPUs as the kernel lists them: consecutive CPUs as a range ({@code 0-1,4}). */
  static String format(List<Integer> cpus) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < cpus.size()) {
      int j = i;
      while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) j++;
      if (out.length() > 0) out.append(',');
      out.append(cpus.get(i));
      if (j > i) out.append('-').append(cpus.get(j));
      i = j + 1;
    }
    return out.toString();
  }

  /** {@code Cpus_allowed_list} of a process's main thread, or of one of its threads. */
  static String allowedList(Path statusFile) throws IOException {
    for (String line : Files.readAllLines(statusFile)) {
      if (line.startsWith("Cpus_allowed_list:"))
        return line.substring(line.indexOf(':') + 1).trim();
    }
    throw new IllegalStateException("no Cpus_allowed_list in " + statusFile);
  }

  /** This process's CPUs (its main thread's Cpus_allowed_list). */
  static List<Integer> ownCpus() throws IOException {
    return cpuList(allowedList(Path.of("/proc/self/status")), "/proc/self/status");
  }

  /** What the pinned processes' threads were seen on, when {@link #verify} last read them. */
  record Seen(Map<String, String> mainThread, List<String> elsewhere) {}

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, String> wanted = new LinkedHashMap<>();
  private final Map<String, String> original = new LinkedHashMap<>();

  /** Pins process {@code name} (every thread) to {@code cpus}, remembering its affinity before. */
  synchronized void pin(String name, long pid, List<Integer> cpus)
      throws IOException, InterruptedException {
    String before = allowedList(Path.of("/proc", String.valueOf(pid), "status"));
    original.putIfAbsent(name, before);
    pids.put(name, pid);
    wanted.put(name, format(cpus));
    taskset(pid, format(cpus));
  }

  /**
   * Reads every thread's affinity back; a thread the pinning missed (made while taskset went
   * through the threads) is pinned again once.
   */
  Seen verify() throws IOException, InterruptedException {
    Seen seen = read();
    if (!seen.elsewhere().isEmpty()) {
      for (var e : pids.entrySet()) taskset(e.getValue(), wanted.get(e.getKey()));
      seen = read();
    }
    return seen;
  }

  private Seen read() throws IOException {
    Map<String, String> main = new TreeMap<>();
    List<String> elsewhere = new ArrayList<>();
    for (var e : pids.entrySet()) {
      Path proc = Path.of("/proc", String.valueOf(e.getValue()));
      String want = canonical(wanted.get(e.getKey()));
      try {
        main.put(e.getKey(), allowedList(proc.resolve("status")));
      } catch (IOException gone) {
        main.put(e.getKey(), "exited");
        continue;
      }
      int threads = 0;
      int off = 0;
      try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
        for (Path t : tasks.toList()) {
          try {
            threads++;
            if (!canonical(allowedList(t.resolve("status"))).equals(want)) off++;
          } catch (IOException threadEnded) {
            threads--;
          }
        }
      }
      if (off > 0)
        elsewhere.add(e.getKey() + ": " + off + " of " + threads + " threads not on " + want);
    }
    return new Seen(main, elsewhere);
  }

  private static String canonical(String list) {
    return format(cpuList(list, "a CPU list"));
  }

  /** Puts every pinned process back on the CPUs it had before; exited ones are skipped. */
  @Override
  public synchronized void close() {
    for (var e : original.entrySet()) {
      Long pid = pids.get(e.getKey());
      if (pid == null || !Files.exists(Path.of("/proc", String.valueOf(pid)))) continue;
      try {
        taskset(pid, e.getValue());
      } catch (IOException | RuntimeException failed) {
        Benchmark.log("could not restore the CPUs of " + e.getKey() + ": " + failed);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    original.clear();
    pids.clear();
    wanted.clear();
  }

  private static void taskset(long pid, String cpus) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("taskset -a -p -c " + cpus + " " + pid + " failed: " + out);
    }
  }
}
