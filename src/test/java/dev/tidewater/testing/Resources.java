package dev.tidewater.testing;

import dev.tidewater.api.v1alpha1.service.EcsService;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Loads Tidewater resources from YAML (examples/, test data) for tests. */
public final class Resources {

  /**
   * Changes {@code name} as a user's edit does. The operator writes the object's status meanwhile,
   * so an edit can meet a newer resourceVersion (409): it is read and made again, up to five times.
   */
  public static <T extends HasMetadata> void edit(
      KubernetesClient client, Class<T> type, String namespace, String name, Consumer<T> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(type)
            .inNamespace(namespace)
            .withName(name)
            .edit(
                o -> {
                  change.accept(o);
                  return o;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) throw e;
      }
    }
  }

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Resources() {}

  /** The resource of one YAML document, as {@code type}. */
  public static <T> T fromYaml(String yaml, Class<T> type) {
    return SERIALIZATION.unmarshal(yaml, type);
  }

  /** Server-side applies every document of {@code file} into {@code namespace}. */
  public static void applyFile(KubernetesClient client, Path file, String namespace) {
    try {
      apply(client, Files.readString(file), namespace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Server-side applies every document of {@code yaml} into {@code namespace}, untyped (as kubectl
   * does), so what the API server stores is exactly the YAML.
   */
  public static void apply(KubernetesClient client, String yaml, String namespace) {
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.isBlank()) continue;
      GenericKubernetesResource item =
          SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class);
      item.getMetadata().setNamespace(namespace);
      client.resource(item).fieldManager("tidewater-tests").forceConflicts().serverSideApply();
    }
  }

  /**
   * The Events recorded in {@code namespace} on the object named {@code name} with {@code reason}.
   */
  public static List<Event> events(
      KubernetesClient client, String namespace, String name, String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  /**
   * The Pod a workload controller would make of {@code template} (its labels and annotations, its
   * spec), named {@code name} in {@code namespace}: what a server-side dry-run checks beyond the
   * workload object, whose own validation of the template is not the kubelet-facing Pod's.
   */
  public static Pod podOf(String name, String namespace, PodTemplateSpec template) {
    var meta = template.getMetadata();
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(meta == null ? null : meta.getLabels())
                .withAnnotations(meta == null ? null : meta.getAnnotations())
                .build())
        .withSpec(template.getSpec())
        .build();
  }

  /**
   * The smallest valid TaskDefinition {@code app} (one EC2 container, 128 MiB, port 8080), for
   * tests about the operator rather than about task shapes.
   */
  public static final String MINIMAL_TASK_DEFINITION =
      """
      apiVersion: ecs.tidewater.dev/v1alpha1
      kind: TaskDefinition
      metadata:
        name: app
      spec:
        requiresCompatibilities: [EC2]
        containerDefinitions:
        - name: app
          image: public.ecr.aws/nginx/nginx:1.27
          memory: 128
          portMappings:
          - containerPort: 8080
      """;

  /** A Service {@code name} of the TaskDefinition {@code app} with {@code desiredCount} tasks. */
  public static String service(String name, int desiredCount) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: %s
        spec:
          taskDefinitionRef: {name: app}
          desiredCount: %d
        """
        .formatted(name, desiredCount);
  }

  /**
   * Sets a Service's desiredCount by a merge patch without a resourceVersion, as a user's edit
   * would while the operator writes the Service's status.
   */
  public static void desiredCount(
      KubernetesClient client, String namespace, String name, int count) {
    client
        .resources(EcsService.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"desiredCount\":" + count + "}}");
  }
}
