package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.KubernetesServiceBackend;
import dev.tidewater.backend.kubernetes.KubernetesTaskDefinitionBackend;
import dev.tidewater.backend.kubernetes.ServiceChildStore;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.NeedsEcsCorpus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Render is apply (DESIGN.md rule 12): the YAML {@code render} prints for a Service's objects is,
 * byte for byte, the serialisation of what the operator's apply path sends to the API server for
 * the same input. The two sides meet only at their output: render goes through the CLI (file
 * reading, checks, revision and ServiceAccount resolution, its flags); the operator side reads the
 * revision back from a ControllerRevision as the operator does and runs {@link
 * KubernetesServiceBackend#apply} against a store that records every write.
 *
 * <p>The operator's writes carry the applied-hash annotation (its compare-before-write
 * bookkeeping), which render leaves out; with a real Service (uid, namespace) they also carry an
 * owner reference and the namespace, which files do not have. Those are the only differences, and
 * the test removes exactly them.
 */
class RenderCommandApplyParityTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Set<String> SERVICE_CHILD_KINDS =
      Set.of(
          "ExternalSecret",
          "Deployment",
          "DaemonSet",
          "HorizontalPodAutoscaler",
          "PodDisruptionBudget");
  private static final String HAND_MADE = "src/test/resources/cli/render-apply/";

  /** The operator's writes, as sent (serialised when written). */
  static final class RecordingStore implements ServiceChildStore {
    final List<HasMetadata> applied = new ArrayList<>();
    final List<String> writes = new ArrayList<>();
    final Map<String, HasMetadata> server = new LinkedHashMap<>();

    @Override
    public Optional<Deployment> deployment() {
      return find(Deployment.class);
    }

    @Override
    public Optional<DaemonSet> daemonSet() {
      return find(DaemonSet.class);
    }

    @Override
    public Optional<HorizontalPodAutoscaler> autoscaler() {
      return find(HorizontalPodAutoscaler.class);
    }

    @Override
    public Optional<PodDisruptionBudget> disruptionBudget() {
      return find(PodDisruptionBudget.class);
    }

    @Override
    public Optional<GenericKubernetesResource> externalSecret(
        String apiVersion, String namespace, String name) {
      return Optional.ofNullable((GenericKubernetesResource) server.get("ExternalSecret/" + name));
    }

    @Override
    public <T extends HasMetadata> Optional<T> uncached(
        Class<T> type, String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public void apply(HasMetadata desired) {
      // what goes over the wire, read back as the API server would store it
      String sent = SERIALIZATION.asJson(desired);
      writes.add("apply " + desired.getKind() + "/" + desired.getMetadata().getName());
      HasMetadata copy = SERIALIZATION.unmarshal(sent, desired.getClass());
      applied.add(copy);
      server.put(desired.getKind() + "/" + desired.getMetadata().getName(), copy);
    }

    @Override
    public void replace(HasMetadata replacement) {
      writes.add("replace " + replacement.getKind());
    }

    @Override
    public void handOffReplicas(String namespace, String name, int replicas) {
      writes.add("handoff " + name + " " + replicas);
    }

    @Override
    public void delete(HasMetadata observed) {
      writes.add("delete " + observed.getKind() + "/" + observed.getMetadata().getName());
    }

    @Override
    public void deleteExternalSecret(String apiVersion, String namespace, String name) {
      writes.add("delete ExternalSecret/" + name);
    }

    private <T extends HasMetadata> Optional<T> find(Class<T> type) {
      return server.values().stream().filter(type::isInstance).map(type::cast).findFirst();
    }
  }

  static Stream<Arguments> inputs() {
    return Stream.of(
        Arguments.of("examples/", List.of()),
        Arguments.of(HAND_MADE, List.of()),
        Arguments.of(HAND_MADE, List.of("--kubernetes-version", "1.33")),
        Arguments.of(HAND_MADE, List.of("--external-secrets", "v1beta1")));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("inputs")
  void renderPrintsWhatTheOperatorApplies(String path, List<String> flags) throws IOException {
    List<String> args = new ArrayList<>(List.of("render", "-f", path));
    args.addAll(flags);
    Rendered rendered = render("", args);
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();

    StringBuilder operator = new StringBuilder();
    for (EcsService service : inputs(path).services()) {
      operator.append(operatorYaml(inputs(path), service, options(flags), false));
    }
    assertThat(serviceChildren(rendered.out())).isNotEmpty().isEqualTo(operator.toString());
  }

  @Test
  void withAUidAndNamespaceOnlyTheOwnerReferenceAndNamespaceDiffer() throws IOException {
    Inputs in = inputs(HAND_MADE);
    StringBuilder operator = new StringBuilder();
    for (EcsService service : in.services()) {
      operator.append(operatorYaml(in, service, options(List.of()), true));
    }
    assertThat(serviceChildren(render("", List.of("render", "-f", HAND_MADE)).out()))
        .isEqualTo(operator.toString());
  }

  @Test
  void withoutTheExternalSecretsOperatorBothRefuseTheServiceThatReadsAwsSecrets()
      throws IOException {
    Rendered rendered =
        render("", List.of("render", "-f", HAND_MADE, "--external-secrets", "none"));
    assertThat(rendered.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);

    Inputs in = inputs(HAND_MADE);
    List<String> refused = new ArrayList<>();
    for (EcsService service : in.services()) {
      RecordingStore store = new RecordingStore();
      var observed =
          KubernetesServiceBackend.apply(
              service, in.cluster(service), operatorPlan(in, service), true, null, store);
      if (!observed.refusals().isEmpty()) {
        refused.add(service.getMetadata().getName());
        assertThat(store.writes).as(service.getMetadata().getName()).isEmpty();
        assertThat(rendered.err())
            .contains("Service/" + service.getMetadata().getName() + ": ")
            .contains(observed.refusals().get(0).path());
      }
    }
    assertThat(refused).isNotEmpty();
  }

  @Test
  void aSecondApplyOfTheSameInputWritesNothing() throws IOException {
    Inputs in = inputs(HAND_MADE);
    for (EcsService service : in.services()) {
      RecordingStore store = new RecordingStore();
      ServicePlan plan = operatorPlan(in, service);
      KubernetesServiceBackend.apply(
          service, in.cluster(service), plan, true, "external-secrets.io/v1", store);
      store.writes.clear();
      KubernetesServiceBackend.apply(
          service, in.cluster(service), plan, true, "external-secrets.io/v1", store);
      assertThat(store.writes).as(service.getMetadata().getName()).isEmpty();
    }
  }

  @NeedsEcsCorpus
  @Test
  void corpusTasksRenderAsTheOperatorAppliesThem() {
    int compared = 0;
    for (EcsCorpus.Entry entry : EcsCorpus.withoutPlaceholders()) {
      TaskDefinition td = new TaskDefinition();
      td.getMetadata().setName("corpus");
      td.setSpec(entry.spec());
      String yaml =
          SERIALIZATION.asYaml(td)
              + """
              ---
              apiVersion: ecs.tidewater.dev/v1alpha1
              kind: Service
              metadata:
                name: corpus
              spec:
                taskDefinitionRef:
                  name: corpus
                desiredCount: 2
                deploymentConfiguration:
                  minimumHealthyPercent: 50
              ---
              apiVersion: ecs.tidewater.dev/v1alpha1
              kind: Cluster
              metadata:
                name: default
              spec:
                guardrails: {allowPrivileged: true, allowHostNetwork: true, allowHostPath: true}
              """;
      Rendered rendered = render(yaml, List.of("render", "-f", "-"));
      if (rendered.exitCode() != 0) {
        continue; // refused offline (validation or guardrails): nothing rendered to compare
      }
      Inputs in = Inputs.of(yaml);
      String operator = operatorYaml(in, in.services().get(0), options(List.of()), false);
      assertThat(serviceChildren(rendered.out())).as(entry.file()).isEqualTo(operator);
      compared++;
    }
    // some are refused offline (placeholders); a Cluster allowing privileged tasks lets the ones
    // Pod Security baseline would refuse (capabilities, sysctls, host paths) be compared too
    assertThat(compared).isGreaterThanOrEqualTo(15);
  }

  /** The flags as the operator's explicit inputs: pod-level resources, ExternalSecret version. */
  private record Options(boolean podLevelResources, String externalSecretApiVersion) {}

  private static Options options(List<String> flags) {
    boolean podLevel = !flags.contains("1.33");
    String es =
        flags.contains("none")
            ? null
            : flags.contains("v1beta1") ? "external-secrets.io/v1beta1" : "external-secrets.io/v1";
    return new Options(podLevel, es);
  }

  private static String operatorYaml(
      Inputs in, EcsService original, Options options, boolean asInTheCluster) {
    EcsService service = SERIALIZATION.clone(original);
    if (asInTheCluster) {
      service.getMetadata().setUid("0f0e0d0c-0000-4000-8000-000000000001");
      service.getMetadata().setNamespace("team-a");
    }
    RecordingStore store = new RecordingStore();
    KubernetesServiceBackend.apply(
        service,
        in.cluster(service),
        operatorPlan(in, service),
        options.podLevelResources(),
        options.externalSecretApiVersion(),
        store);
    StringBuilder out = new StringBuilder();
    for (HasMetadata sent : store.applied) {
      HasMetadata o = SERIALIZATION.clone(sent);
      assertThat(o.getMetadata().getAnnotations()).containsKey(TidewaterLabels.APPLIED_HASH);
      o.getMetadata().getAnnotations().remove(TidewaterLabels.APPLIED_HASH);
      if (asInTheCluster) {
        assertThat(o.getMetadata().getOwnerReferences())
            .singleElement()
            .satisfies(r -> assertThat(r.getUid()).isEqualTo(service.getMetadata().getUid()));
        assertThat(o.getMetadata().getNamespace()).isEqualTo("team-a");
        o.getMetadata().setOwnerReferences(null);
        o.getMetadata().setNamespace(null);
      }
      out.append(SERIALIZATION.asYaml(o));
    }
    return out.toString();
  }

  /**
   * The plan the operator makes: the revision read back from its ControllerRevision (stored as the
   * TaskDefinition backend stores it), the ServiceAccount of the TaskRole.
   */
  private static ServicePlan operatorPlan(Inputs in, EcsService service) {
    TaskDefinition td = in.taskDefinitions().get(service.getSpec().taskDefinitionRef.name);
    CanonicalTaskDefinition canonical = CanonicalTaskDefinition.of(td.getSpec());
    ControllerRevision stored =
        new ControllerRevisionBuilder()
            .withNewMetadata()
            .withName(KubernetesTaskDefinitionBackend.revisionName(td.getMetadata().getName(), 1))
            .endMetadata()
            .withRevision(1L)
            .withData(Map.of("spec", SERIALIZATION.unmarshal(canonical.json(), Map.class)))
            .build();
    ControllerRevision read =
        SERIALIZATION.unmarshal(SERIALIZATION.asJson(stored), ControllerRevision.class);
    String role = td.getSpec().taskRoleRef == null ? null : td.getSpec().taskRoleRef.name;
    String serviceAccount =
        role == null
            ? null
            : in.taskRoles().containsKey(role)
                ? TaskRoleNames.serviceAccountName(in.taskRoles().get(role))
                : role;
    return new ServicePlan(
        1,
        KubernetesTaskDefinitionBackend.specOf(read),
        td.getMetadata().getName(),
        serviceAccount);
  }

  /** The documents of render's output that are a Service's children, in order. */
  private static String serviceChildren(String out) {
    StringBuilder kept = new StringBuilder();
    for (String doc : out.split("(?m)^(?=---\n)")) {
      String body = doc.lines().filter(l -> !l.startsWith("#")).reduce("", (a, l) -> a + l + "\n");
      if (body.isBlank()) continue;
      for (String kind : SERVICE_CHILD_KINDS) {
        if (body.contains("\nkind: \"" + kind + "\"\n")) {
          kept.append(body);
          break;
        }
      }
    }
    return kept.toString();
  }

  private record Rendered(int exitCode, String out, String err) {}

  private static Rendered render(String stdin, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TidewaterCli.execute(
            args.toArray(String[]::new),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Rendered(code, out.toString(), err.toString());
  }

  /** The resources of the input, read as the operator would find them in the API server. */
  private record Inputs(
      Map<String, Cluster> clusters,
      Map<String, TaskDefinition> taskDefinitions,
      Map<String, TaskRole> taskRoles,
      List<EcsService> services) {

    ClusterSpec cluster(EcsService service) {
      String name =
          service.getSpec().clusterRef == null ? "default" : service.getSpec().clusterRef.name;
      Cluster c = clusters.get(name);
      return c == null || c.getSpec() == null ? new ClusterSpec() : c.getSpec();
    }

    static Inputs of(String text) {
      Inputs in =
          new Inputs(
              new LinkedHashMap<>(),
              new LinkedHashMap<>(),
              new LinkedHashMap<>(),
              new ArrayList<>());
      in.add(text);
      return in;
    }

    void add(String text) {
      try (MappingIterator<JsonNode> docs =
          new YAMLMapper().readerFor(JsonNode.class).readValues(text)) {
        while (docs.hasNextValue()) {
          JsonNode doc = docs.nextValue();
          if (doc == null || !doc.isObject() || !doc.has("kind")) continue;
          // through JSON, as the operator receives objects from the API server
          String json = doc.toString();
          switch (doc.get("kind").asText()) {
            case "Cluster" -> put(clusters, SERIALIZATION.unmarshal(json, Cluster.class));
            case "TaskDefinition" ->
                put(taskDefinitions, SERIALIZATION.unmarshal(json, TaskDefinition.class));
            case "TaskRole" -> put(taskRoles, SERIALIZATION.unmarshal(json, TaskRole.class));
            case "Service" -> services.add(SERIALIZATION.unmarshal(json, EcsService.class));
            default -> {}
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static <T extends HasMetadata> void put(Map<String, T> map, T item) {
      map.put(item.getMetadata().getName(), item);
    }
  }

  /** Every resource in the files under {@code path}, in the order render reads them. */
  private static Inputs inputs(String path) {
    Inputs in = Inputs.of("");
    for (InputFiles.Input input :
        InputFiles.read(List.of(path), Set.of(".yaml", ".yml", ".json"), System.in)) {
      in.add(input.text());
    }
    return in;
  }
}
