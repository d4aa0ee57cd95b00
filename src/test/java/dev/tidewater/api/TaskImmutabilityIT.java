package dev.tidewater.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.testing.Crds;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed Task CRD makes the real API server refuse a change of every field that defines the
 * run (set, changed or removed), naming the field, and accept a change of the TTL and the deletion
 * policy. No operator runs: this is the CRD's CEL alone.
 */
class TaskImmutabilityIT {

  private static TestGround ground;
  private static KubernetesClient client;
  private static String ns;

  @BeforeAll
  static void setUp() {
    ground = TestGround.get();
    client = ground.admin();
    Crds.apply(client);
    ns = ground.createNamespace("taskimmutable");
  }

  @AfterAll
  static void tearDown() {
    if (ns != null) ground.deleteNamespace(ns);
  }

  private static Task created(String name) {
    Resources.apply(
        client,
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Task
        metadata:
          name: %s
        spec:
          taskDefinitionRef:
            name: batch
          count: 2
          launchType: FARGATE
          startedBy: pipeline-1
          networkConfiguration:
            awsvpcConfiguration:
              subnets: [subnet-1]
          tags:
          - key: team
            value: data
          ttlSecondsAfterFinished: 60
        """
            .formatted(name),
        ns);
    return client.resources(Task.class).inNamespace(ns).withName(name).get();
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        Arguments.of("count", (Consumer<Task>) t -> t.getSpec().count = 3),
        Arguments.of(
            "taskDefinitionRef", (Consumer<Task>) t -> t.getSpec().taskDefinitionRef.revision = 2),
        Arguments.of("startedBy", (Consumer<Task>) t -> t.getSpec().startedBy = "pipeline-2"),
        Arguments.of("startedBy", (Consumer<Task>) t -> t.getSpec().startedBy = null),
        Arguments.of("group", (Consumer<Task>) t -> t.getSpec().group = "family:x"),
        Arguments.of("launchType", (Consumer<Task>) t -> t.getSpec().launchType = "EC2"),
        Arguments.of(
            "networkConfiguration",
            (Consumer<Task>)
                t ->
                    t.getSpec().networkConfiguration.awsvpcConfiguration.subnets =
                        java.util.List.of("subnet-2")),
        Arguments.of("tags", (Consumer<Task>) t -> t.getSpec().tags = null),
        Arguments.of("propagateTags", (Consumer<Task>) t -> t.getSpec().propagateTags = "NONE"),
        Arguments.of(
            "clusterRef",
            (Consumer<Task>)
                t -> {
                  t.getSpec().clusterRef = new dev.tidewater.api.v1alpha1.common.ObjectRef();
                  t.getSpec().clusterRef.name = "other";
                }));
  }

  private static int n;

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void aChangeOfWhatDefinesTheRunIsRefusedNamingTheField(String field, Consumer<Task> change) {
    Task t = created("t" + (++n));
    change.accept(t);

    KubernetesClientException e =
        catchThrowableOfType(KubernetesClientException.class, () -> client.resource(t).update());

    assertThat(e.getCode()).isEqualTo(422);
    assertThat(e.getMessage())
        .contains("spec." + field)
        .contains("a Task runs once: its " + field + " cannot change");
  }

  @Test
  void theTtlAndTheDeletionPolicyMayChange() {
    Task t = created("mutable");
    t.getSpec().ttlSecondsAfterFinished = 600;
    t.getSpec().deletionPolicy = "Retain";

    assertThatCode(() -> client.resource(t).update()).doesNotThrowAnyException();
  }
}
