package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.cli.EcsJsonImport;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real ECS task definitions ({@code ../shared/corpus/ecs/task-definitions}) go the whole way on the
 * real control plane: import, apply, a Service running them, and the operator's workload accepted
 * by the API server, with a server-side dry-run of a Pod from each rendered template proving the
 * pod spec is admissible even where the images could never run.
 */
class CorpusWorkloadsIT {

  private static final Path TASK_DEFINITIONS = dev.tidewater.testing.EcsCorpus.TASK_DEFINITIONS;
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final int AT_LEAST_ACCEPTED = 20;

  // Guardrails allow what the corpus asks for (privileged agents, host networking, host paths),
  // and Fargate / GPU tasks get the ground's tolerations, so refusals would be renderer faults.
  private static final String CLUSTER =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: Cluster
      metadata:
        name: default
      spec:
        backend: kubernetes
        placement:
          fargate:
            nodeSelector: {eks.amazonaws.com/compute-type: fargate}
            tolerations:
            - {key: eks.amazonaws.com/compute-type, value: fargate, effect: NoSchedule}
          gpu:
            tolerations:
            - {key: nvidia.com/gpu, effect: NoSchedule}
        guardrails:
          allowPrivileged: true
          allowHostNetwork: true
          allowHostPath: true
      """;

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("corpus", Map.of(), List.of("-Dtidewater.resync-period=3s"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  /** One corpus file on its way: what import gave, and the Service that runs it. */
  private record Candidate(String file, String taskDefinition, String service) {}

  /** Where one file ended. */
  private record Result(String file, boolean accepted, String outcome) {}

  @Test
  void importableCorpusTaskDefinitionsBecomeWorkloadsTheApiServerAccepts() throws IOException {
    Resources.apply(admin, CLUSTER, ns);
    List<Result> results = new ArrayList<>();
    List<Candidate> candidates = new ArrayList<>();
    for (Path file : corpusFiles()) {
      String name = file.getFileName().toString();
      Outcome imported = EcsJsonImport.importJson(Files.readString(file), name, null);
      if (!imported.ok()) {
        results.add(
            new Result(
                name,
                false,
                "import rejected: "
                    + imported.problems().size()
                    + " problem(s), first at "
                    + imported.problems().get(0).path()));
        continue;
      }
      TaskDefinition td = (TaskDefinition) imported.resources().get(0).resource();
      Resources.apply(admin, document(td), ns);
      String service = "corpus-" + name.substring(0, 3);
      Resources.apply(admin, serviceYaml(service, td.getMetadata().getName()), ns);
      candidates.add(new Candidate(name, td.getMetadata().getName(), service));
    }
    assertThat(candidates)
        .as("files the importer accepts")
        .hasSizeGreaterThanOrEqualTo(AT_LEAST_ACCEPTED);

    // every Service ends in a workload or a refusal; a TaskDefinition the validator refuses stops
    // before a revision exists
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                assertThat(candidates)
                    .allSatisfy(
                        c ->
                            assertThat(
                                    deployment(c.service()) != null
                                        || degraded(service(c.service())).isPresent()
                                        || degraded(taskDefinition(c.taskDefinition())).isPresent())
                                .as("%s settled", c.file())
                                .isTrue()));

    for (Candidate c : candidates) {
      results.add(settle(c));
    }
    results.sort((a, b) -> a.file().compareTo(b.file()));
    System.out.println(report(results));

    assertThat(results.stream().filter(Result::accepted).count())
        .as("files that reached an accepted workload")
        .isGreaterThanOrEqualTo(AT_LEAST_ACCEPTED);
  }

  @Test
  void withoutAClusterTheStrictGuardrailsRefuseHostAccessNamingTheField() throws IOException {
    Map<String, String> refusedField =
        Map.of(
            "017-ecs-agent-ipc-host.json", "spec.ipcMode",
            "027-containers-consul-host.json", "spec.networkMode",
            "049-fluentbit-coredump-ec2-ulimits.json", "spec.volumes[0].host.sourcePath");
    Map<String, String> taskDefinitionOf = new java.util.HashMap<>();
    for (String file : refusedField.keySet()) {
      Outcome imported =
          EcsJsonImport.importJson(Files.readString(TASK_DEFINITIONS.resolve(file)), file, null);
      assertThat(imported.problems()).as("problems of %s", file).isEmpty();
      TaskDefinition td = (TaskDefinition) imported.resources().get(0).resource();
      taskDefinitionOf.put(file, td.getMetadata().getName());
      Resources.apply(admin, document(td), ns);
      Resources.apply(
          admin, serviceYaml("corpus-" + file.substring(0, 3), td.getMetadata().getName()), ns);
    }
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(refusedField)
                    .allSatisfy(
                        (file, field) -> {
                          String service = "corpus-" + file.substring(0, 3);
                          // the TaskDefinition validator checks the Cluster's guardrails
                          // (InvalidSpec); what only rendering finds stops the Service
                          // (GuardrailViolation)
                          Optional<Condition> degraded =
                              degraded(taskDefinition(taskDefinitionOf.get(file)))
                                  .or(() -> degraded(service(service)));
                          assertThat(degraded).as("%s Degraded", file).isPresent();
                          assertThat(degraded.get().getReason())
                              .isIn("InvalidSpec", "GuardrailViolation");
                          assertThat(degraded.get().getMessage()).contains(field + ": ");
                          assertThat(deployment(service)).as("%s workload", file).isNull();
                        }));
  }

  /** The outcome of one imported file once its Service has settled, asserted on the way. */
  private Result settle(Candidate c) {
    Deployment d = deployment(c.service());
    if (d == null) {
      Optional<Condition> refusedTd = degraded(taskDefinition(c.taskDefinition()));
      Condition refused = refusedTd.orElseGet(() -> degraded(service(c.service())).orElseThrow());
      assertThat(refused.getMessage())
          .as("%s: the refusal names the field", c.file())
          .containsPattern("spec\\.[A-Za-z]+");
      return new Result(
          c.file(),
          false,
          (refusedTd.isPresent() ? "TaskDefinition" : "Service")
              + " Degraded "
              + refused.getReason()
              + ": "
              + refused.getMessage());
    }
    String dryRun = dryRunPod(c.service(), d.getSpec().getTemplate());
    assertThat(dryRun).as("%s: pod dry-run", c.file()).isEqualTo("accepted");
    List<Pod> pods =
        admin
            .pods()
            .inNamespace(ns)
            .withLabel("tidewater.dev/service", c.service())
            .list()
            .getItems();
    String podState =
        pods.isEmpty()
            ? "no pod yet"
            : pods.stream()
                .map(
                    p ->
                        p.getStatus().getPhase()
                            + (p.getSpec().getNodeName() == null
                                ? ""
                                : " on " + p.getSpec().getNodeName()))
                .collect(Collectors.joining(", "));
    EcsService s = service(c.service());
    int warnings = s == null || s.getStatus() == null ? 0 : s.getStatus().getWarnings().size();
    return new Result(
        c.file(),
        true,
        "Deployment "
            + d.getMetadata().getName()
            + " accepted, pod dry-run accepted, "
            + warnings
            + " warning(s), pods: "
            + podState);
  }

  /** Server-side dry-run create of a Pod made of {@code template}: "accepted" or the refusal. */
  private String dryRunPod(String name, PodTemplateSpec template) {
    Pod pod = Resources.podOf(name + "-dry-run", ns, template);
    try {
      admin.resource(pod).dryRun().create();
      return "accepted";
    } catch (KubernetesClientException e) {
      return "refused: " + e.getMessage();
    }
  }

  private static String report(List<Result> results) {
    StringBuilder out = new StringBuilder("corpus task definitions on the kubernetes backend:\n");
    for (Result r : results) {
      out.append(r.accepted() ? "  ACCEPTED " : "  -------- ")
          .append(r.file())
          .append(": ")
          .append(r.outcome())
          .append('\n');
    }
    out.append("  ")
        .append(results.stream().filter(Result::accepted).count())
        .append(" of ")
        .append(results.size())
        .append(" files reached an accepted workload");
    return out.toString();
  }

  private static List<Path> corpusFiles() throws IOException {
    try (Stream<Path> files = Files.list(TASK_DEFINITIONS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** The imported resource as {@code hack/tidewater import} prints it: what a user applies. */
  private static String document(TaskDefinition td) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", HasMetadata.getApiVersion(TaskDefinition.class));
    doc.put("kind", HasMetadata.getKind(TaskDefinition.class));
    doc.putObject("metadata").put("name", td.getMetadata().getName());
    doc.set("spec", JSON.valueToTree(td.getSpec()));
    try {
      return JSON.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String serviceYaml(String name, String taskDefinition) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: %s
        spec:
          taskDefinitionRef: {name: %s}
          desiredCount: 1
        """
        .formatted(name, taskDefinition);
  }

  private Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private TaskDefinition taskDefinition(String name) {
    return admin.resources(TaskDefinition.class).inNamespace(ns).withName(name).get();
  }

  private static Optional<Condition> degraded(
      CustomResource<?, ? extends TidewaterStatus> resource) {
    if (resource == null || resource.getStatus() == null) return Optional.empty();
    return resource.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
