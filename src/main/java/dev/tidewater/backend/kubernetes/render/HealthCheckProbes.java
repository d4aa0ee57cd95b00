package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.taskdefinition.HealthCheck;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds exec probes from an ECS health check: same command, interval, timeout and retries.
 *
 * <p>ECS ignores failures during {@code startPeriod}; Kubernetes' equivalent is a startup probe
 * that tolerates {@code ceil(startPeriod / interval) + retries} failures before it gives up, after
 * which the readiness and liveness probes take over. A startup probe is preferred over {@code
 * initialDelaySeconds} because it lets a fast starter become ready early, as ECS does.
 */
final class HealthCheckProbes {

  static final int DEFAULT_INTERVAL = 30;
  static final int DEFAULT_TIMEOUT = 5;
  static final int DEFAULT_RETRIES = 3;

  /** How the health check command reads. */
  enum Kind {
    /** No health check: absent, empty or ["NONE"]. */
    NONE,
    /** CMD or CMD-SHELL. */
    COMMAND,
    /** Neither CMD nor CMD-SHELL: run as given, with a warning. */
    UNRECOGNIZED
  }

  private HealthCheckProbes() {}

  static Kind kind(HealthCheck check) {
    if (check == null || check.command == null || check.command.isEmpty()) {
      return Kind.NONE;
    }
    String first = check.command.get(0) == null ? "" : check.command.get(0).strip();
    String upper = first.toUpperCase(Locale.ROOT);
    if (upper.equals("NONE")) {
      return Kind.NONE;
    }
    if ((upper.equals("CMD") || upper.equals("CMD-SHELL")) && check.command.size() > 1) {
      return Kind.COMMAND;
    }
    return Kind.UNRECOGNIZED;
  }

  /**
   * The exec command: {@code CMD exe args} runs {@code [exe, args]}; {@code CMD-SHELL "cmd"} runs
   * {@code ["/bin/sh", "-c", "cmd"]} ({@code ["cmd", "/S", "/C", "cmd"]} on Windows, Docker's
   * default shell there); anything else runs the list as given.
   */
  static List<String> command(HealthCheck check, boolean windows) {
    List<String> cmd = check.command;
    String first = cmd.get(0) == null ? "" : cmd.get(0).strip().toUpperCase(Locale.ROOT);
    if (first.equals("CMD") && cmd.size() > 1) {
      return List.copyOf(cmd.subList(1, cmd.size()));
    }
    if (first.equals("CMD-SHELL") && cmd.size() > 1) {
      // Docker joins the words of CMD-SHELL with spaces; ECS users almost always give one string.
      String script = String.join(" ", cmd.subList(1, cmd.size()));
      return windows ? List.of("cmd", "/S", "/C", script) : List.of("/bin/sh", "-c", script);
    }
    return new ArrayList<>(cmd);
  }

  /** A readiness or liveness probe: unhealthy after {@code retries} failures in a row. */
  static Probe steady(HealthCheck check, List<String> command) {
    return probe(check, command, retries(check));
  }

  /** A startup probe that gives {@code startPeriod} on top of the steady failure budget. */
  static Probe startup(HealthCheck check, List<String> command) {
    int interval = interval(check);
    int grace = (startPeriod(check) + interval - 1) / interval;
    return probe(check, command, grace + retries(check));
  }

  static int startPeriod(HealthCheck check) {
    return check.startPeriod == null ? 0 : Math.max(0, check.startPeriod);
  }

  private static Probe probe(HealthCheck check, List<String> command, int failureThreshold) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand(command)
        .endExec()
        .withPeriodSeconds(interval(check))
        .withTimeoutSeconds(check.timeout == null ? DEFAULT_TIMEOUT : check.timeout)
        .withFailureThreshold(failureThreshold)
        .build();
  }

  private static int interval(HealthCheck check) {
    return check.interval == null || check.interval <= 0 ? DEFAULT_INTERVAL : check.interval;
  }

  private static int retries(HealthCheck check) {
    return check.retries == null || check.retries <= 0 ? DEFAULT_RETRIES : check.retries;
  }
}
