package dev.tidewater.cli;

import dev.tidewater.cli.MigrationPreview.ClusterMove;
import dev.tidewater.cli.MigrationPreview.Finding;
import dev.tidewater.cli.MigrationPreview.Plan;
import dev.tidewater.cli.MigrationPreview.ServiceMove;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The text form of {@code migrate-plan}'s output: per Cluster its pace, per Service its cut-over.
 */
final class PlanText {

  private static final String INDENT = "  ";

  private PlanText() {}

  static void print(PrintWriter out, Plan plan) {
    long moving = plan.services().stream().filter(ServiceMove::moves).count();
    long refused = plan.services().stream().filter(s -> !s.refusals().isEmpty()).count();
    out.println(
        "Flip to "
            + plan.to()
            + ": "
            + moving
            + " of "
            + plan.services().size()
            + " Service(s) move"
            + (refused == 0
                ? "; the " + plan.to() + " backend refuses none of them."
                : "; the "
                    + plan.to()
                    + " backend refuses "
                    + refused
                    + " of them (fix what stderr lists before flipping)."));
    for (ClusterMove c : plan.clusters()) {
      out.println();
      out.println(
          "Cluster "
              + qualified(c.namespace(), c.name())
              + ": "
              + c.from()
              + " -> "
              + c.to()
              + (c.inInput() ? "" : " (not in the input: its defaults assumed)"));
      out.println(
          INDENT
              + "pace: at most "
              + c.maxConcurrentServices()
              + " Service(s) at once; the new side ready for "
              + c.soakSeconds()
              + "s (within "
              + c.verifyTimeoutSeconds()
              + "s, else rollback) before the old side goes down by "
              + c.stepPercent()
              + "% of desired per step");
      if (c.paused()) {
        out.println(INDENT + "paused: nothing moves until spec.migration.paused is false again");
      }
      List<String> order = c.order();
      int max = c.maxConcurrentServices();
      for (int from = 0; from < order.size(); from += max) {
        List<String> batch = order.subList(from, Math.min(order.size(), from + max));
        out.println(
            INDENT
                + "batch "
                + (from / max + 1)
                + (from == 0 ? " (starts at once): " : " (each as a slot frees): ")
                + String.join(", ", batch));
      }
    }
    for (ServiceMove s : plan.services()) {
      out.println();
      out.println(
          "Service "
              + qualified(s.namespace(), s.name())
              + " (Cluster "
              + s.cluster()
              + "): "
              + s.from()
              + " -> "
              + s.to()
              + (s.moves() ? "" : " (already there: nothing moves)"));
      if (s.moves()) {
        row(out, "desired count", s.desiredCount() == null ? "-" : s.desiredCount().toString());
        if (s.desiredNote() != null) row(out, "", s.desiredNote());
        row(
            out,
            "minimum healthy",
            s.minimumHealthyPercent()
                + "%"
                + (s.healthyFloor() == null
                    ? ""
                    : ": old running + new ready never below " + s.healthyFloor() + " task(s)"));
        row(
            out,
            "slot",
            s.slot()
                + " in its Cluster, batch "
                + s.batch()
                + (s.batch() == 1 ? " (starts at once)" : " (starts when a slot frees)"));
        row(
            out,
            "phases",
            "Pending -> Preparing -> Verifying -> "
                + (s.stopsBeforeShift() ? "(stops) " : "")
                + "Shifting -> Finishing -> Completed");
        row(
            out,
            "shift (old side)",
            s.shiftSteps() == null
                ? "all at once (DAEMON)"
                : s.shiftSteps().stream().map(String::valueOf).collect(Collectors.joining(" -> ")));
        row(
            out,
            "traffic",
            (s.stopsBeforeShift() ? "stops before Shift: " : "follows by itself: ") + s.traffic());
      }
      findings(out, "refused on " + s.to(), s.refusals());
      findings(out, "not honoured", s.warnings());
    }
    out.flush();
  }

  private static void findings(PrintWriter out, String title, List<Finding> findings) {
    if (findings.isEmpty()) {
      row(out, title, "none");
      return;
    }
    for (int i = 0; i < findings.size(); i++) {
      Finding f = findings.get(i);
      row(
          out,
          i == 0 ? title : "",
          f.resource()
              + " "
              + (f.field() == null || f.field().isEmpty() ? "" : f.field() + ": ")
              + f.message()
              + " ("
              + f.reason()
              + ")");
    }
  }

  private static void row(PrintWriter out, String title, String value) {
    out.println(INDENT + String.format("%-24s%s", title.isEmpty() ? "" : title + ":", value));
  }

  private static String qualified(String namespace, String name) {
    return namespace == null ? name : namespace + "/" + name;
  }
}
