package dev.tidewater.generated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import dev.tidewater.model.Problem;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
    // the ground's External Secrets Operator CRD (its real schema): the ExternalSecrets rendered
    // for SSM / Secrets Manager secrets are checked against it
    ground.installExternalSecretCrd();
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
  record Rejection(String klass, String message, GeneratedCase c, boolean podLevel, String kind) {}

  @Test
  void everythingRenderedFromGeneratedCasesIsAcceptedByTheApiServer() throws Exception {
    Map<String, AtomicInteger> refused = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> renderRefused = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> rejectedCount = new ConcurrentHashMap<>();
    Map<String, Rejection> rejectedFirst = new ConcurrentHashMap<>();
    AtomicInteger rendered = new AtomicInteger();
    AtomicInteger dryRuns = new AtomicInteger();
    AtomicInteger rejectedCases = new AtomicInteger();
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
                  boolean rejected = false;
                  for (boolean podLevel : new boolean[] {true, false}) {
                    GeneratedCases.Rendered d = GeneratedCases.render(c, ns, podLevel);
                    d.refusals().forEach(p -> count(renderRefused, GeneratedCases.refusalClass(p)));
                    List<Rejection> rejections = dryRun(c, d, podLevel);
                    rejected |= !rejections.isEmpty();
                    for (Rejection r : rejections) {
                      count(rejectedCount, r.klass());
                      rejectedFirst.putIfAbsent(r.klass(), r);
                    }
                    dryRuns.addAndGet(d.objects().size() + (d.objects().isEmpty() ? 0 : 1));
                  }
                  if (rejected) rejectedCases.incrementAndGet();
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
        .append(" objects (+ a Pod each) to dry-run, in ")
        .append(String.format("%.0f", seconds))
        .append(" s\n");
    out.append("refused by the renderer after the validators accepted:\n");
    sorted(renderRefused)
        .forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    out.append("rejected by the API server: ")
        .append(rejectedCases)
        .append(" cases; by class (one count per object and cause):\n");
    sorted(rejectedCount)
        .forEach((k, v) -> out.append("  ").append(v).append("  ").append(k).append('\n'));
    // the smallest case of each class, shrunk in parallel (each attempt is one dry-run)
    ExecutorService shrinkers = Executors.newFixedThreadPool(THREADS);
    try {
      Map<String, Future<GeneratedCase>> smallest = new TreeMap<>();
      for (Rejection r : rejectedFirst.values()) {
        smallest.put(
            r.klass(),
            shrinkers.submit(() -> CaseMinimizer.minimize(r.c(), c -> rejectedAs(c, r), 300)));
      }
      for (var e : smallest.entrySet()) {
        out.append("\n--- ").append(e.getKey()).append('\n');
        out.append("API server: ").append(rejectedFirst.get(e.getKey()).message()).append('\n');
        out.append(GeneratedCases.yaml(e.getValue().get()));
      }
    } finally {
      shrinkers.shutdownNow();
    }
    System.out.println(out);
    // the generator must reach the API server: most cases are valid and render something
    assertThat(rendered.get()).as("cases rendered").isGreaterThanOrEqualTo(CASES * 4 / 5);
    assertThat(dryRuns.get()).as("objects dry-run").isGreaterThanOrEqualTo(rendered.get() * 2);
    // a case the validators accept is rendered: a renderer refusal would hide it from the server
    assertThat(new TreeMap<>(renderRefused).keySet())
        .as("refused by the renderer after the validators accepted (report above)")
        .isEmpty();
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
  void hostNetworkWithNetSysctlIsRefusedByTheValidatorNamingTheField() {
    // ECS does not support network sysctls on the host's network either
    assertThat(GeneratedCases.validate(RegressionCases.hostNetworkWithNetSysctl()))
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple(
                "TaskDefinition spec.containerDefinitions[0].systemControls[0].namespace",
                "SystemControlWithHostNamespace"));
  }

  @Test
  void upperCaseExtraHostIsAccepted() {
    assertAccepted(RegressionCases.upperCaseExtraHost());
  }

  @Test
  void upperCaseSearchDomainIsAccepted() {
    assertAccepted(RegressionCases.upperCaseSearchDomain());
  }

  @Test
  void uidAboveTheApisRangeIsAccepted() {
    assertAccepted(RegressionCases.uidAboveTheApisRange());
  }

  @Test
  void initProcessWithHostPidIsAccepted() {
    assertAccepted(RegressionCases.initProcessWithHostPid());
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
    assertThat(all.stream().map(r -> r.klass() + " <- " + r.message()).toList())
        .as("API-server rejections of %s", c.shape())
        .isEmpty();
  }

  /** Whether the case is still rejected the same way (in that mode, for that kind). */
  private static boolean rejectedAs(GeneratedCase c, Rejection original) {
    var d = GeneratedCases.render(c, ns, original.podLevel());
    return dryRun(c, d, original.podLevel(), original.kind()).stream()
        .anyMatch(r -> r.klass().equals(original.klass()));
  }

  /**
   * Dry-runs every rendered object as the operator, and a Pod of the workload's template as the
   * workload controller would create it; the rejections, classed.
   */
  static List<Rejection> dryRun(GeneratedCase c, GeneratedCases.Rendered d, boolean podLevel) {
    return dryRun(c, d, podLevel, null);
  }

  private static final String POD_KIND = "Pod (from the template)";

  /** As {@link #dryRun(GeneratedCase, GeneratedCases.Rendered, boolean)}, one kind only. */
  static List<Rejection> dryRun(
      GeneratedCase c, GeneratedCases.Rendered d, boolean podLevel, String onlyKind) {
    String mode = podLevel ? "pod-level" : "split";
    List<Rejection> out = new ArrayList<>();
    boolean workloadAccepted = true;
    for (HasMetadata o : d.objects()) {
      if (onlyKind != null && !onlyKind.equals(kindOf(o))) continue;
      o.getMetadata().setNamespace(ns);
      try {
        operator.resource(o).dryRun().fieldValidation(Validation.STRICT).create();
      } catch (KubernetesClientException e) {
        if (o instanceof Deployment || o instanceof DaemonSet) workloadAccepted = false;
        for (String k : classes(kindOf(o), mode, e)) {
          out.add(new Rejection(k, e.getMessage(), c, podLevel, kindOf(o)));
        }
      }
    }
    // a Pod of a template the workload's own validation refused would be refused the same way
    PodTemplateSpec t = GeneratedCases.template(d);
    if (t != null
        && (workloadAccepted || onlyKind != null)
        && (onlyKind == null || onlyKind.equals(POD_KIND))) {
      Pod pod = Resources.podOf("generated-pod", ns, t);
      try {
        admin.resource(pod).dryRun().fieldValidation(Validation.STRICT).create();
      } catch (KubernetesClientException e) {
        for (String k : classes(POD_KIND, mode, e)) {
          out.add(new Rejection(k, e.getMessage(), c, podLevel, POD_KIND));
        }
      }
    }
    return out;
  }

  /**
   * The classes of a rejection, one per cause: the kind, the resource mode, and the cause's field
   * (indexes as [*]) and message with values blanked, so one bug is one class whatever the numbers
   * and whatever else the same object got wrong.
   */
  static List<String> classes(String kind, String mode, KubernetesClientException e) {
    List<StatusCause> causes =
        Optional.ofNullable(e.getStatus())
            .map(s -> s.getDetails() == null ? null : s.getDetails().getCauses())
            .orElse(List.of());
    String prefix = kind + " [" + mode + "] ";
    if (e.getCode() == 403) {
      return List.of(prefix + "Forbidden (RBAC): " + blank(e.getStatus().getMessage()));
    }
    if (causes == null || causes.isEmpty()) {
      return List.of(
          prefix + blank(e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
    }
    return causes.stream()
        .map(
            x ->
                prefix
                    + (x.getField() == null ? "" : x.getField().replaceAll("\\[\\d+]", "[*]"))
                    + ": "
                    + blank(x.getMessage()))
        .distinct()
        .toList();
  }

  /** Deployments and DaemonSets share their pod template rendering: one class for both. */
  private static String kindOf(HasMetadata o) {
    return o instanceof Deployment || o instanceof DaemonSet ? WORKLOAD : o.getKind();
  }

  private static final String WORKLOAD = "Deployment/DaemonSet";

  private static String blank(String message) {
    if (message == null) return "";
    return message
        .replaceAll("Invalid value: \\{.*}:", "Invalid value: {…}:")
        .replaceAll("Invalid value: \\[[^\\]]*]:", "Invalid value: […]:")
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
