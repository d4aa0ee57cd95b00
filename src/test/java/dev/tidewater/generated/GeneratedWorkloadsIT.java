package dev.tidewater.generated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import dev.tidewater.model.Problem;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN rule 12 on a generated corpus: for 5,000 TaskDefinition + Service pairs ECS would accept
 * (fixed seed), everything the kubernetes backend renders — in both pod-resource modes — is
 * server-side dry-run ({@code dryRun=All}, {@code fieldValidation=Strict}) by the real API server
 * as the operator's own identity (the Helm chart's ServiceAccount), and a Pod made from each
 * workload's template is dry-run as the ReplicaSet / DaemonSet controller would create it. Cases
 * the validators refuse are counted by reason; each class of API rejection is printed with the
 * smallest case that still shows it.
 */
class GeneratedWorkloadsIT {

  static final long SEED = 20261206L;
  static final int CASES = 5000;
  static final int THREADS = 4;

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient operator = ground.operator();
  private static final KubernetesClient admin = ground.admin();
  private static String ns;

  @BeforeAll
  static void namespace() {
    ns = ground.createNamespace("generated");
    // task role references become serviceAccountName; pods need the ServiceAccount to exist
    for (String sa : WorkloadGenerator.TASK_ROLES) {
      admin
          .serviceAccounts()
          .inNamespace(ns)
          .resource(
              new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build())
          .create();
    }
  }

  @AfterAll
  static void cleanUp() {
    ground.deleteNamespace(ns);
  }

  /** One API-server refusal: its class, the message, and the case that got it. */
  record Rejection(String klass, String message, GeneratedCase c) {}

  @Test
  void everythingRenderedFromGeneratedCasesIsAcceptedByTheApiServer() throws Exception {
    Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> renderRefused = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> rejectedCount = new ConcurrentHashMap<>();
    Map<String, Rejection> rejectedFirst = new ConcurrentHashMap<>();
    AtomicInteger rendered = new AtomicInteger();
    AtomicInteger dryRuns = new AtomicInteger();
    AtomicInteger refusedCases = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < CASES; i++) {
        GeneratedCase c = WorkloadGenerator.generate(GeneratedWorkloadsTest.seedOf(SEED, i));
        work.add(
            pool.submit(
                () -> {
                  List<Problem> problems = GeneratedCases.validate(c);
                  if (!problems.isEmpty()) {
                    refusedCases.incrementAndGet();
                    problems.stream()
                        .map(GeneratedCases::refusalClass)
                        .distinct()
                        .forEach(k -> count(refused, k));
                    return;
                  }
                  rendered.incrementAndGet();
                  for (boolean podLevel : new boolean[] {true, false}) {
                    KubernetesServiceBackend.Desired d = GeneratedCases.render(c, ns, podLevel);
                    d.refusals().forEach(p -> count(renderRefused, GeneratedCases.refusalClass(p)));
                    for (Rejection r : dryRun(c, d, podLevel)) {
                      count(rejectedCount, r.klass());
                      rejectedFirst.putIfAbsent(r.klass(), r);
                    }
                    dryRuns.addAndGet(d.objects().size() + (d.objects().isEmpty() ? 0 : 1));
                  }
                }));
      }
      for (Future<?> f : work) f.get();
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    StringBuilder out = new StringBuilder("\n=== generated workloads on the API server ===\n");
    out.append("generated: ").append(CASES).append(" (seed ").append(SEED).append(")\n");
    out.append("refused by the validators: ").append(refusedCases).append(" cases\n");
    sorted(refused)
        .forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("rendered: ")
        .append(rendered)
        .append(" cases x 2 resource modes, ")
        .append(dryRuns)
        .append(" dry-runs in ")
        .append(String.format("%.0f", seconds))
        .append(" s\n");
    out.append("refused by the renderer after the validators accepted:\n");
    sorted(renderRefused)
        .forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("rejected by the API server: ")
        .append(rejectedCount.values().stream().mapToInt(AtomicInteger::get).sum())
        .append('\n');
    sorted(rejectedCount)
        .forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    for (Rejection r : new TreeMap<>(rejectedFirst).values()) {
      GeneratedCase min = CaseMinimizer.minimize(r.c(), c -> rejectedAs(c, r.klass()), 300);
      out.append("\n--- ").append(r.klass()).append('\n');
      out.append("API server: ").append(r.message()).append('\n');
      out.append(GeneratedCases.yaml(min));
    }
    System.out.println(out);
    assertThat(new TreeMap<>(rejectedCount).keySet())
        .as("classes of API-server rejections (report above)")
        .isEmpty();
  }

  // The shapes of issue 14, by name.

  @Test
  void xraySidecarSplitIsAccepted() {
    assertAccepted(RegressionCases.xraySidecar());
  }

  @Test
  void datadogSidecarSplitIsAccepted() {
    assertAccepted(RegressionCases.datadogSidecar());
  }

  @Test
  void twoContainersWithTwoDnsServersEachAreAccepted() {
    assertAccepted(RegressionCases.twoContainersWithTwoDnsServersEach());
  }

  @Test
  void hostNetworkWithNetSysctlIsAccepted() {
    assertAccepted(RegressionCases.hostNetworkWithNetSysctl());
  }

  @Test
  void privilegedWithNoNewPrivilegesIsAccepted() {
    assertAccepted(RegressionCases.privilegedWithNoNewPrivileges());
  }

  private static void assertAccepted(GeneratedCase c) {
    assertThat(GeneratedCases.validate(c)).as("validators").isEmpty();
    List<Rejection> all = new ArrayList<>();
    for (boolean podLevel : new boolean[] {true, false}) {
      var d = GeneratedCases.render(c, ns, podLevel);
      assertThat(d.refusals()).as("renderer refusals").isEmpty();
      all.addAll(dryRun(c, d, podLevel));
    }
    assertThat(all.stream().map(r -> r.klass() + ": " + r.message()).toList())
        .as("API-server rejections of %s", c.shape())
        .isEmpty();
  }

  private static boolean rejectedAs(GeneratedCase c, String klass) {
    for (boolean podLevel : new boolean[] {true, false}) {
      var d = GeneratedCases.render(c, ns, podLevel);
      if (dryRun(c, d, podLevel).stream().anyMatch(r -> r.klass().equals(klass))) return true;
    }
    return false;
  }

  /**
   * Dry-runs every rendered object as the operator, and a Pod of the workload's template as the
   * workload controller would create it; the rejections, classed.
   */
  static List<Rejection> dryRun(
      GeneratedCase c, KubernetesServiceBackend.Desired d, boolean podLevel) {
    String mode = podLevel ? "pod-level" : "split";
    List<Rejection> out = new ArrayList<>();
    for (HasMetadata o : d.objects()) {
      o.getMetadata().setNamespace(ns);
      try {
        operator.resource(o).dryRun().fieldValidation(Validation.STRICT).create();
      } catch (KubernetesClientException e) {
        out.add(new Rejection(klass(o.getKind(), mode, e), e.getMessage(), c));
      }
    }
    PodTemplateSpec t = GeneratedCases.template(d);
    if (t != null) {
      Pod pod =
          new PodBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName("generated-pod")
                      .withNamespace(ns)
                      .withLabels(t.getMetadata().getLabels())
                      .withAnnotations(t.getMetadata().getAnnotations())
                      .build())
              .withSpec(t.getSpec())
              .build();
      try {
        admin.resource(pod).dryRun().fieldValidation(Validation.STRICT).create();
      } catch (KubernetesClientException e) {
        out.add(new Rejection(klass("Pod (from the template)", mode, e), e.getMessage(), c));
      }
    }
    return out;
  }

  /**
   * The class of a rejection: the kind, the resource mode, and each cause's field (indexes as [*])
   * and message with values blanked, so one bug is one class whatever the numbers.
   */
  static String klass(String kind, String mode, KubernetesClientException e) {
    List<StatusCause> causes =
        Optional.ofNullable(e.getStatus())
            .map(s -> s.getDetails() == null ? null : s.getDetails().getCauses())
            .orElse(List.of());
    String what;
    if (e.getCode() == 403) {
      what = "Forbidden (RBAC): " + blank(e.getStatus().getMessage());
    } else if (causes == null || causes.isEmpty()) {
      what = blank(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    } else {
      what =
          causes.stream()
              .map(
                  x ->
                      (x.getField() == null ? "" : x.getField().replaceAll("\\[\\d+]", "[*]"))
                          + ": "
                          + blank(x.getMessage()))
              .distinct()
              .sorted()
              .collect(Collectors.joining("; "));
    }
    return kind + " [" + mode + "] " + what;
  }

  private static String blank(String message) {
    if (message == null) return "";
    return message
        .replaceAll("\"[^\"]*\"", "\"…\"")
        .replaceAll("\\b\\d+(\\.\\d+)?(m|Mi|Gi)?\\b", "N")
        .replaceAll("\\s+", " ")
        .strip();
  }

  private static void count(Map<String, AtomicInteger> counts, String key) {
    counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  private static Map<String, Integer> sorted(Map<String, AtomicInteger> counts) {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
