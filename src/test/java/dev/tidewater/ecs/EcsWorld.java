package dev.tidewater.ecs;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.ecs.EcsTaskDefinitionBackend;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.ExampleResource;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * The moto ECS of the test ground as the ecs backend ITs see it: the backends' AWS context (the
 * operator's keys), an admin client of their own, and the objects (task-definition revisions,
 * clusters) listed and described by tag.
 */
final class EcsWorld {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final TestGround ground = TestGround.get();

  /** The backends' context: the operator's keys, limited to deploy/iam-policy.json. */
  private final AwsContext aws = ground.operatorAwsContext();

  /** The tests' own look-ups: the strict layer's unrestricted admin. */
  private final AwsContext admin = ground.motoContext();

  private final AwsClientFactory factory =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());

  AwsContext aws() {
    return aws;
  }

  EcsClient ecs() {
    return factory.ecs(admin);
  }

  String owner(HasMetadata resource) {
    return AwsOwnership.owner(resource);
  }

  /** A Cluster with {@code create: true}, unique per call. */
  Cluster cluster(String prefix) {
    return EcsCrashSafetyIT.newCluster(prefix);
  }

  /**
   * The example TaskDefinition (without its role reference) under a unique name, in memory (uid,
   * generation 1), with {@code image} as its first container's image.
   */
  TaskDefinition taskDefinition(String prefix, String image) {
    TaskDefinition td =
        JSON.convertValue(
            ExampleResource.with("taskdefinition", "spec.taskRoleRef: null"), TaskDefinition.class);
    td.getMetadata().setNamespace("crash");
    td.getMetadata().setName(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    td.getMetadata().setUid(UUID.randomUUID().toString());
    td.getMetadata().setGeneration(1L);
    td.getSpec().containerDefinitions.get(0).image = image;
    return td;
  }

  /** ARNs of the family's revisions in {@code status} (ACTIVE / INACTIVE), exact family only. */
  List<String> revisions(String family, String status) {
    return ecs()
        .listTaskDefinitionsPaginator(
            r -> r.familyPrefix(family).status(TaskDefinitionStatus.fromValue(status)))
        .taskDefinitionArns()
        .stream()
        .filter(arn -> arn.substring(arn.lastIndexOf('/') + 1).startsWith(family + ":"))
        .sorted()
        .toList();
  }

  /** The hash tag a revision was registered with. */
  String hashTag(String arn) {
    return tag(arn, EcsTaskDefinitionBackend.HASH_TAG);
  }

  /** A tag of a revision, or null. */
  String tag(String arn, String key) {
    return ecs()
        .describeTaskDefinition(r -> r.taskDefinition(arn).include(TaskDefinitionField.TAGS))
        .tags()
        .stream()
        .filter(t -> t.key().equals(key))
        .map(t -> t.value())
        .findFirst()
        .orElse(null);
  }
}
