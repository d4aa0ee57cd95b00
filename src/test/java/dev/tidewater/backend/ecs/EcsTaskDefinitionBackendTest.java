package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.EcsClusterSettings;
import dev.tidewater.api.v1alpha1.common.KeyValuePair;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.model.CanonicalTaskDefinition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/** The ECS requests the ecs backend sends, as data. */
class EcsTaskDefinitionBackendTest {

  private static TaskDefinition td(List<KeyValuePair> env) {
    TaskDefinition td = new TaskDefinition();
    td.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("web").withUid("uid-1").build());
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    spec.taskRoleRef = new ObjectRef();
    spec.taskRoleRef.name = "web";
    spec.adopt = true;
    spec.revisionHistoryLimit = 3;
    Tag tag = new Tag();
    tag.key = "team";
    tag.value = "shop";
    spec.tags = List.of(tag);
    ContainerDefinition c = new ContainerDefinition();
    c.name = "web";
    c.image = "nginx";
    c.memory = 256;
    c.environment = env;
    spec.containerDefinitions = List.of(c);
    td.setSpec(spec);
    return td;
  }

  private static KeyValuePair env(String name, String value) {
    KeyValuePair p = new KeyValuePair();
    p.name = name;
    p.value = value;
    return p;
  }

  private static Map<String, String> tags(RegisterTaskDefinitionRequest r) {
    return r.tags().stream()
        .collect(
            Collectors.toMap(
                software.amazon.awssdk.services.ecs.model.Tag::key,
                software.amazon.awssdk.services.ecs.model.Tag::value));
  }

  @Test
  void registersTheCanonicalSpecUnderTheFamilyWithOwnerUidAndHashTags() {
    TaskDefinition td = td(List.of(env("B", "2"), env("A", "1")));
    CanonicalTaskDefinition canonical = CanonicalTaskDefinition.of(td.getSpec());

    RegisterTaskDefinitionRequest request =
        EcsTaskDefinitionBackend.registerRequest(
            td,
            "shop-web",
            canonical,
            new EcsTaskDefinitionBackend.RoleArns("arn:aws:iam::123456789012:role/web", null));

    assertThat(request.family()).isEqualTo("shop-web");
    assertThat(request.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/web");
    assertThat(request.executionRoleArn()).isNull();
    assertThat(tags(request))
        .containsEntry("team", "shop")
        .containsEntry(AwsOwnership.OWNER_TAG, "TaskDefinition/shop/web")
        .containsEntry(AwsOwnership.UID_TAG, "uid-1")
        .containsEntry(EcsTaskDefinitionBackend.HASH_TAG, canonical.hash());
    // the normal form: defaults filled, lists in the user's order (the hash is order-free)
    assertThat(request.containerDefinitions().get(0).environment())
        .extracting(software.amazon.awssdk.services.ecs.model.KeyValuePair::name)
        .containsExactly("B", "A");
    assertThat(request.containerDefinitions().get(0).essential()).isTrue();
  }

  @Test
  void reorderedEnvHasTheSameHashAndRegistersInTheUsersOrder() {
    TaskDefinition a = td(List.of(env("B", "2"), env("A", "1")));
    TaskDefinition b = td(List.of(env("A", "1"), env("B", "2")));
    var roles = new EcsTaskDefinitionBackend.RoleArns(null, null);

    RegisterTaskDefinitionRequest first =
        EcsTaskDefinitionBackend.registerRequest(
            a, "f", CanonicalTaskDefinition.of(a.getSpec()), roles);
    RegisterTaskDefinitionRequest second =
        EcsTaskDefinitionBackend.registerRequest(
            b, "f", CanonicalTaskDefinition.of(b.getSpec()), roles);

    assertThat(tags(first).get(EcsTaskDefinitionBackend.HASH_TAG))
        .isEqualTo(tags(second).get(EcsTaskDefinitionBackend.HASH_TAG));
    assertThat(first.containerDefinitions().get(0).environment())
        .containsExactlyInAnyOrderElementsOf(second.containerDefinitions().get(0).environment())
        .isNotEqualTo(second.containerDefinitions().get(0).environment());
  }

  @Test
  void adoptAndHistoryLimitAreNotPartOfTheRevision() {
    TaskDefinition a = td(List.of(env("A", "1")));
    TaskDefinition b = td(List.of(env("A", "1")));
    b.getSpec().adopt = null;
    b.getSpec().revisionHistoryLimit = null;

    assertThat(CanonicalTaskDefinition.of(a.getSpec()).hash())
        .isEqualTo(CanonicalTaskDefinition.of(b.getSpec()).hash());
  }

  @Test
  void familyAndRevisionComeFromTheArn() {
    assertThat(
            EcsTaskDefinitionBackend.familyRevision(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-web:12"))
        .contains(Map.entry("shop-web", 12));
    assertThat(EcsTaskDefinitionBackend.familyRevision("not-an-arn")).isEmpty();
  }

  @Test
  void createClusterCarriesCapacityProvidersStrategyInsightsAndOwnerTags() {
    Cluster cluster = new Cluster();
    cluster.setMetadata(
        new ObjectMetaBuilder().withNamespace("shop").withName("prod").withUid("uid-2").build());
    cluster.setSpec(new ClusterSpec());
    cluster.getSpec().backend = "ecs";
    EcsClusterSettings ecs = new EcsClusterSettings();
    ecs.create = true;
    ecs.capacityProviders = List.of("FARGATE", "FARGATE_SPOT");
    CapacityProviderStrategyItem item = new CapacityProviderStrategyItem();
    item.capacityProvider = "FARGATE";
    item.weight = 1;
    item.base = 2;
    ecs.defaultCapacityProviderStrategy = List.of(item);
    ecs.containerInsights = "enhanced";
    cluster.getSpec().ecs = ecs;

    String name = EcsClusterBackend.clusterName(cluster);
    CreateClusterRequest request = EcsClusterBackend.createRequest(cluster, name);

    assertThat(name).isEqualTo("shop-prod");
    assertThat(request.clusterName()).isEqualTo("shop-prod");
    assertThat(request.capacityProviders()).containsExactly("FARGATE", "FARGATE_SPOT");
    assertThat(request.defaultCapacityProviderStrategy())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.capacityProvider()).isEqualTo("FARGATE");
              assertThat(s.weight()).isEqualTo(1);
              assertThat(s.base()).isEqualTo(2);
            });
    assertThat(request.settings())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.name()).isEqualTo(ClusterSettingName.CONTAINER_INSIGHTS);
              assertThat(s.value()).isEqualTo("enhanced");
            });
    assertThat(request.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .containsExactlyInAnyOrder(
            "tidewater.dev/owner=Cluster/shop/prod", "tidewater.dev/uid=uid-2");

    assertThat(
            EcsClusterBackend.clusterName(
                new dev.tidewater.backend.ResolvedCluster("prod", cluster.getSpec(), false),
                "shop"))
        .isEqualTo("shop-prod");
    ecs.clusterName = "shared";
    assertThat(EcsClusterBackend.clusterName(cluster)).isEqualTo("shared");
  }
}
