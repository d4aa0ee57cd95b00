package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.Crds;
import dev.tidewater.testing.ExampleResource;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server accepts each TaskDefinition that only the validator can refuse (the list in {@link
 * SchemaValidationIT} and {@code docs/schema-validation.md}): the schema alone is not enough, so
 * reconcilers must run {@code TaskDefinitionValidator} before acting.
 */
class ValidatorOnlyCasesIT {

  private static TestGround ground;
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void setUp() {
    ground = TestGround.get();
    client = ground.admin();
    Crds.apply(client);
    ns = ground.createNamespace("validator-only");
  }

  @AfterAll
  static void tearDown() {
    if (ns != null) ground.deleteNamespace(ns);
  }

  /** A TaskDefinition ECS would refuse, as overrides of {@code examples/taskdefinition.yaml}. */
  record Case(String name, String what, String overrides) {
    @Override
    public String toString() {
      return what;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "fargate-cpu-memory",
            "a cpu / memory pair Fargate does not offer (0.25 vCPU with 4 GB)",
            "spec.cpu: '256'\nspec.memory: 4 GB"),
        new Case(
            "depends-on-cycle",
            "a dependsOn cycle (web waits for metrics, metrics for web)",
            "spec.containerDefinitions[0].dependsOn: [{containerName: metrics, condition:"
                + " START}]"),
        new Case(
            "depends-on-missing",
            "dependsOn naming a container that does not exist",
            "spec.containerDefinitions[1].dependsOn[0].containerName: db"),
        new Case(
            "mount-missing-volume",
            "a mount point of a volume the task does not have",
            "spec.containerDefinitions[0].mountPoints: [{sourceVolume: data, containerPath:"
                + " /data}]"),
        new Case(
            "volumes-from-missing",
            "volumesFrom a container that does not exist",
            "spec.containerDefinitions[1].volumesFrom: [{sourceContainer: db}]"),
        new Case(
            "proxy-missing-container",
            "an App Mesh proxy container that does not exist",
            "spec.proxyConfiguration: {type: APPMESH, containerName: envoy}"),
        new Case(
            "ec2-memory",
            "EC2 without task memory and a container with neither memory nor memoryReservation",
            "spec.requiresCompatibilities: [EC2]\nspec.networkMode: bridge\nspec.cpu: null"
                + "\nspec.memory: null"),
        new Case(
            "container-memory-above-task",
            "container memory above the task memory",
            "spec.containerDefinitions[0].memory: 4096"),
        new Case(
            "duplicate-host-port",
            "two containers on the same host port",
            "spec.requiresCompatibilities: [EC2]\nspec.networkMode: bridge"
                + "\nspec.containerDefinitions[1].portMappings: [{containerPort: 9090, hostPort:"
                + " 8080}]"),
        new Case(
            "duplicate-port-name",
            "the same port mapping name in two containers",
            "spec.containerDefinitions[1].portMappings: [{containerPort: 9090, name: http}]"),
        new Case(
            "secret-value-from",
            "a secrets valueFrom that is neither an ARN nor a parameter name",
            "spec.containerDefinitions[0].secrets[0].valueFrom: 'not a secret: reference!'"),
        new Case(
            "gpu-on-fargate",
            "a GPU on Fargate",
            "spec.containerDefinitions[0].resourceRequirements: [{type: GPU, value: '1'}]"),
        new Case(
            "privileged-on-fargate",
            "a privileged container on Fargate",
            "spec.containerDefinitions[0].privileged: true"),
        new Case(
            "port-range-inverted",
            "a containerPortRange whose start is above its end",
            "spec.containerDefinitions[1].portMappings: [{containerPortRange: 9100-9000}]"),
        new Case(
            "port-range-too-high",
            "a containerPortRange beyond port 65535",
            "spec.containerDefinitions[1].portMappings: [{containerPortRange: 70000-70100}]"),
        new Case(
            "links-under-awsvpc",
            "links under awsvpc",
            "spec.containerDefinitions[1].links: [web]"),
        new Case(
            "hostname-under-awsvpc",
            "hostname under awsvpc",
            "spec.containerDefinitions[0].hostname: web.internal"),
        new Case(
            "firelens-without-router",
            "the awsfirelens log driver without a FireLens container",
            "spec.containerDefinitions[0].logConfiguration: {logDriver: awsfirelens, options:"
                + " {Name: cloudwatch}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void apiServerAccepts(Case c) {
    GenericKubernetesResource sent =
        Serialization.jsonMapper()
            .convertValue(
                ExampleResource.with("taskdefinition", c.overrides()),
                GenericKubernetesResource.class);
    sent.getMetadata().setName(c.name().toLowerCase(Locale.ROOT));
    sent.getMetadata().setNamespace(ns);

    GenericKubernetesResource stored = client.resource(sent).inNamespace(ns).create();

    assertThat(stored.getMetadata().getUid()).isNotBlank();
    assertThat(stored.getAdditionalProperties().get("spec"))
        .as("stored as written")
        .isEqualTo(sent.getAdditionalProperties().get("spec"));
  }
}
