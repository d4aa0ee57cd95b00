package dev.tidewater.generated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.LinearConfiguration;
import dev.tidewater.api.v1alpha1.service.LoadBalancer;
import dev.tidewater.api.v1alpha1.taskdefinition.Ulimit;
import dev.tidewater.generated.GeneratedCases.Finding;
import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import dev.tidewater.model.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The invariants of rendering, on generated cases, without an API server: resources add up, every
 * warning names a field the user set, every "not mapped" field the user set is warned about, and a
 * case the validators accept is never refused without a reason. {@code GeneratedWorkloadsIT} runs
 * the same cases through the API server.
 */
class GeneratedWorkloadsTest {

  static final long SEED = 20261206L;
  static final int TRIES = 2000;

  /**
   * The invariants over a fixed sequence of generated cases, counted by class, each class with the
   * smallest case that still shows it: the printable report of what the renderer breaks.
   */
  @Test
  void surveyOfGeneratedCases() {
    Map<String, Integer> refused = new TreeMap<>();
    Map<String, Integer> renderRefused = new TreeMap<>();
    Map<String, Integer> findings = new TreeMap<>();
    Map<String, GeneratedCase> firstOf = new TreeMap<>();
    Map<String, String> detailOf = new TreeMap<>();
    Map<String, Integer> serviceChecked = new TreeMap<>();
    int rendered = 0;
    for (int i = 0; i < TRIES; i++) {
      GeneratedCase c = WorkloadGenerator.generate(seedOf(SEED, i));
      List<Problem> problems = GeneratedCases.validate(c);
      if (!problems.isEmpty()) {
        problems.forEach(p -> refused.merge(GeneratedCases.refusalClass(p), 1, Integer::sum));
        continue;
      }
      rendered++;
      GeneratedCases.serviceFieldsToWarn(c).stream()
          .map(f -> f[1])
          .distinct()
          .forEach(g -> serviceChecked.merge(g, 1, Integer::sum));
      for (boolean podLevel : new boolean[] {true, false}) {
        GeneratedCases.Rendered d = GeneratedCases.render(c, "generated", podLevel);
        d.refusals()
            .forEach(p -> renderRefused.merge(GeneratedCases.refusalClass(p), 1, Integer::sum));
        for (Finding f : GeneratedCases.invariants(c, d, podLevel)) {
          findings.merge(f.kind(), 1, Integer::sum);
          firstOf.putIfAbsent(f.kind(), c);
          detailOf.putIfAbsent(f.kind(), f.detail());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("generated: ").append(TRIES).append(" (seed ").append(SEED).append(")\n");
    out.append("refused by the validators: ").append(TRIES - rendered).append('\n');
    refused.forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("rendered (both resource modes): ").append(rendered).append('\n');
    out.append("refused by the renderer after the validators accepted:\n");
    renderRefused.forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("Service fields checked for a warning (cases):\n");
    serviceChecked.forEach(
        (k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("invariant violations:\n");
    findings.forEach(
        (k, v) ->
            out.append("  ")
                .append(v)
                .append("  ")
                .append(k)
                .append("\n      e.g. ")
                .append(detailOf.get(k))
                .append('\n'));
    for (String kind : firstOf.keySet()) {
      GeneratedCase min = CaseMinimizer.minimize(firstOf.get(kind), c -> shows(c, kind), 400);
      out.append("\n--- smallest case for: ").append(kind).append('\n');
      out.append(GeneratedCases.yaml(min));
    }
    System.out.println(out);
    assertThat(findings).as("invariant violations (see the report above)").isEmpty();
    assertThat(renderRefused)
        .as("refused by the renderer after the validators accepted (report above)")
        .isEmpty();
  }

  /** Pod-level resources: the X-Ray split's containers fit a 250m pod (219m + 31m). */
  @Test
  void xraySidecarSplitFitsThePodLevelCpu() {
    assertInvariants(RegressionCases.xraySidecar());
  }

  /** Pod-level resources: the Datadog split's containers fit a 500m pod (490m + 10m). */
  @Test
  void datadogSidecarSplitFitsThePodLevelCpu() {
    assertInvariants(RegressionCases.datadogSidecar());
  }

  /** The checks have teeth: a dropped warning, or one naming no container, is caught. */
  @Test
  void theWarningChecksCatchADroppedOrMisdirectedWarning() {
    GeneratedCase c = RegressionCases.twoContainersWithTwoDnsServersEach();
    Ulimit nofile = new Ulimit();
    nofile.name = "nofile";
    nofile.softLimit = 1024;
    nofile.hardLimit = 4096;
    c.task().containerDefinitions.get(1).ulimits = List.of(nofile);
    var d = GeneratedCases.render(c, "generated", true);
    assertThat(GeneratedCases.invariants(c, d, true)).isEmpty();
    var dropped = new GeneratedCases.Rendered(d.objects(), List.of(), d.refusals());
    assertThat(GeneratedCases.invariants(c, dropped, true))
        .extracting(Finding::kind)
        .contains("pod-level: not-mapped field without a warning: containerDefinitions[].ulimits");
    var misdirected =
        new GeneratedCases.Rendered(
            d.objects(),
            List.of(
                new StatusWarning("containerDefinitions[nope].ulimits", "UlimitsNotMapped", "")),
            d.refusals());
    assertThat(GeneratedCases.invariants(c, misdirected, true))
        .extracting(Finding::kind)
        .anyMatch(k -> k.contains("warning path does not name a field the user set"));
  }

  /**
   * The Service check has teeth too: a dropped Service warning, or one of another reason, is
   * caught, for a "not mapped" field and for a linear configuration covered by its strategy's
   * warning.
   */
  @Test
  void theServiceWarningCheckCatchesADroppedOrWrongWarning() {
    GeneratedCase c = RegressionCases.twoContainersWithTwoDnsServersEach();
    c.service().enableExecuteCommand = true;
    LoadBalancer lb = new LoadBalancer();
    lb.targetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/1";
    lb.containerName = c.task().containerDefinitions.get(0).name;
    lb.containerPort = 8080;
    c.service().loadBalancers = List.of(lb);
    DeploymentConfiguration d = new DeploymentConfiguration();
    d.strategy = "LINEAR";
    d.linearConfiguration = new LinearConfiguration();
    d.linearConfiguration.stepPercent = 10.0;
    c.service().deploymentConfiguration = d;
    assertThat(GeneratedCases.validate(c)).isEmpty();
    var r = GeneratedCases.render(c, "generated", true);
    assertThat(GeneratedCases.invariants(c, r, true)).isEmpty();

    var dropped =
        new GeneratedCases.Rendered(
            r.objects(),
            r.warnings().stream().filter(w -> !w.field().startsWith("deployment")).toList(),
            r.refusals());
    assertThat(GeneratedCases.invariants(c, dropped, true))
        .extracting(Finding::kind)
        .contains(
            "pod-level: Service field without a warning: deploymentConfiguration.strategy"
                + " (approximated, DeploymentStrategyNotMapped)",
            "pod-level: Service field without a warning:"
                + " deploymentConfiguration.linearConfiguration.stepPercent"
                + " (not mapped, DeploymentStrategyNotMapped)")
        .noneMatch(k -> k.contains("enableExecuteCommand") || k.contains("loadBalancers"));

    var none = new GeneratedCases.Rendered(r.objects(), List.of(), r.refusals());
    assertThat(GeneratedCases.invariants(c, none, true))
        .extracting(Finding::kind)
        .contains(
            "pod-level: Service field without a warning: enableExecuteCommand"
                + " (not mapped, ExecuteCommandNotMapped)",
            "pod-level: Service field without a warning: loadBalancers[].targetGroupArn"
                + " (not mapped, LoadBalancersNotMapped)");

    var wrongReason =
        new GeneratedCases.Rendered(
            r.objects(),
            r.warnings().stream()
                .map(
                    w ->
                        w.field().equals("enableExecuteCommand")
                            ? new StatusWarning(w.field(), "LoadBalancersNotMapped", w.message())
                            : w)
                .toList(),
            r.refusals());
    assertThat(GeneratedCases.invariants(c, wrongReason, true))
        .extracting(Finding::kind)
        .containsExactly(
            "pod-level: Service field without a warning: enableExecuteCommand"
                + " (not mapped, ExecuteCommandNotMapped)");
  }

  private static void assertInvariants(GeneratedCase c) {
    assertThat(GeneratedCases.validate(c)).isEmpty();
    List<Finding> all = new ArrayList<>();
    for (boolean podLevel : new boolean[] {true, false}) {
      all.addAll(
          GeneratedCases.invariants(c, GeneratedCases.render(c, "generated", podLevel), podLevel));
    }
    assertThat(all).filteredOn(f -> f.kind().contains("cpu")).isEmpty();
  }

  private static boolean shows(GeneratedCase c, String kind) {
    for (boolean podLevel : new boolean[] {true, false}) {
      var d = GeneratedCases.render(c, "generated", podLevel);
      if (GeneratedCases.invariants(c, d, podLevel).stream().anyMatch(f -> f.kind().equals(kind)))
        return true;
    }
    return false;
  }

  /** The seed of case {@code i} of a run: SplitMix64 over base + i, so neighbours differ. */
  static long seedOf(long base, int i) {
    long z = base + 0x9E3779B97F4A7C15L * (i + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
