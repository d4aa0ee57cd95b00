package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.EcsClusterSettings;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.BackendKind;
import dev.tidewater.backend.ClusterBackend;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterField;
import software.amazon.awssdk.services.ecs.model.ClusterSetting;
import software.amazon.awssdk.services.ecs.model.ClusterSettingName;
import software.amazon.awssdk.services.ecs.model.CreateClusterRequest;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * The ECS cluster of a {@code backend: ecs} Cluster: found by name (one DescribeClusters per
 * reconcile), created when missing and {@code create: true} (owner-tagged, so a crash between the
 * create and the status write finds it again by name), otherwise required to exist.
 */
public final class EcsClusterBackend implements ClusterBackend {

  private static final Logger LOG = Logger.getLogger(EcsClusterBackend.class);

  /**
   * The ECS cluster in effect.
   *
   * @param name its name
   * @param arn its ARN
   * @param created whether this call created it
   * @param ours whether it carries this Cluster's owner tag (created by Tidewater for it)
   */
  public record EcsCluster(String name, String arn, boolean created, boolean ours) {}

  private final AwsClientFactory aws;
  private final ClusterAwsContexts awsContexts;
  private final KubernetesClient client;

  /** For {@link #ensure(Cluster, AwsContext)} alone, with an AWS context at hand. */
  public EcsClusterBackend(AwsClientFactory aws) {
    this(aws, null, null);
  }

  /**
   * @param client reads a Cluster's credentials Secret when its AWS context is built
   */
  public EcsClusterBackend(
      AwsClientFactory aws, ClusterAwsContexts awsContexts, KubernetesClient client) {
    this.aws = aws;
    this.awsContexts = awsContexts;
    this.client = client;
  }

  @Override
  public String requestedEcsCluster(Cluster cluster) {
    return clusterName(cluster);
  }

  @Override
  public ClusterState ensure(Cluster cluster, ResolvedCluster resolved) {
    try {
      AwsContext context =
          awsContexts.resolve(resolved, cluster.getMetadata().getNamespace(), client);
      EcsCluster ecs = ensure(cluster, context);
      return new ClusterState(
          "EcsClusterReady",
          "workloads of this cluster run on ECS cluster " + ecs.name() + " in " + context.region(),
          ecs.arn(),
          ecs.created()
              ? List.of(new Problem(null, "EcsClusterCreated", "created ECS cluster " + ecs.arn()))
              : List.of());
    } catch (ClusterAwsContexts.InvalidAwsContext e) {
      throw BackendFailure.degraded(e.reason(), e.getMessage(), e);
    } catch (SdkException e) {
      throw BackendFailure.degraded(AwsErrors.reasonOf(e).name(), AwsErrors.messageOf(e), e);
    }
  }

  /**
   * The ECS cluster a TenancyPolicy's {@code aws.allowedEcsClusters} judges for a Cluster: the one
   * it uses on the ecs backend (named or derived), else the one it names, if any.
   */
  public static String governedClusterName(Cluster cluster) {
    return governedClusterName(
        cluster.getSpec(), cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
  }

  /** As {@link #governedClusterName(Cluster)}, for a Cluster of this spec, namespace and name. */
  public static String governedClusterName(ClusterSpec spec, String namespace, String name) {
    ClusterSpec s = spec == null ? new ClusterSpec() : spec;
    if (new ResolvedCluster(name, s, false).backend() == BackendKind.ECS) {
      return clusterName(s.ecs, namespace, name);
    }
    return s.ecs == null ? null : s.ecs.clusterName;
  }

  /** The ECS cluster name of a Cluster: {@code spec.ecs.clusterName}, else derived. */
  public static String clusterName(Cluster cluster) {
    return clusterName(
        cluster.getSpec() == null ? null : cluster.getSpec().ecs,
        cluster.getMetadata().getNamespace(),
        cluster.getMetadata().getName());
  }

  /**
   * The ECS cluster name of the Cluster a resource in {@code namespace} resolved to (what the
   * Service backend passes as {@code cluster}).
   */
  public static String clusterName(ResolvedCluster cluster, String namespace) {
    return clusterName(cluster.spec().ecs, namespace, cluster.name());
  }

  private static String clusterName(EcsClusterSettings ecs, String namespace, String name) {
    return ecs != null && ecs.clusterName != null
        ? ecs.clusterName
        : AwsNames.of(AwsNames.Kind.ECS_CLUSTER, namespace, name);
  }

  /**
   * Finds the ECS cluster, creating it when missing and the spec says {@code create: true}.
   *
   * @throws BackendFailure {@code EcsClusterNotFound} when it is missing and not to be created
   */
  public EcsCluster ensure(Cluster cluster, AwsContext context) {
    EcsClient ecs = aws.ecs(context);
    String name = clusterName(cluster);
    Optional<EcsCluster> found = find(ecs, cluster, name);
    if (found.isPresent()) {
      return found.get();
    }
    EcsClusterSettings settings =
        cluster.getSpec().ecs == null ? new EcsClusterSettings() : cluster.getSpec().ecs;
    if (!Boolean.TRUE.equals(settings.create)) {
      throw BackendFailure.degraded(
          "EcsClusterNotFound",
          "spec.ecs.clusterName: ECS cluster "
              + name
              + " does not exist in "
              + context.region()
              + " (set spec.ecs.create: true to create it)");
    }
    var created = ecs.createCluster(createRequest(cluster, name)).cluster();
    LOG.infof(
        "created ECS cluster %s for Cluster %s/%s",
        created.clusterArn(),
        cluster.getMetadata().getNamespace(),
        cluster.getMetadata().getName());
    return new EcsCluster(name, created.clusterArn(), true, true);
  }

  private static Optional<EcsCluster> find(EcsClient ecs, Cluster cluster, String name) {
    var response = ecs.describeClusters(r -> r.clusters(name).include(ClusterField.TAGS));
    return response.clusters().stream()
        .filter(c -> "ACTIVE".equals(c.status()))
        .filter(c -> name.equals(c.clusterName()))
        .findFirst()
        .map(
            c -> {
              Map<String, String> tags =
                  c.tags().stream()
                      .collect(
                          java.util.stream.Collectors.toMap(
                              Tag::key, Tag::value, (a, b) -> b, java.util.LinkedHashMap::new));
              return new EcsCluster(
                  name, c.clusterArn(), false, AwsOwnership.claim(cluster, tags).ours());
            });
  }

  /**
   * The CreateCluster request of a Cluster: capacity providers, default strategy, the Container
   * Insights setting and the user's tags plus owner and uid tags (one call: never untagged).
   */
  static CreateClusterRequest createRequest(Cluster cluster, String name) {
    EcsClusterSettings s =
        cluster.getSpec().ecs == null ? new EcsClusterSettings() : cluster.getSpec().ecs;
    CreateClusterRequest.Builder b = CreateClusterRequest.builder().clusterName(name);
    if (s.capacityProviders != null) {
      b.capacityProviders(s.capacityProviders);
    }
    if (s.defaultCapacityProviderStrategy != null) {
      b.defaultCapacityProviderStrategy(
          s.defaultCapacityProviderStrategy.stream().map(EcsClusterBackend::strategy).toList());
    }
    if (s.containerInsights != null) {
      b.settings(
          ClusterSetting.builder()
              .name(ClusterSettingName.CONTAINER_INSIGHTS)
              .value(s.containerInsights)
              .build());
    }
    List<Tag> tags =
        AwsOwnership.tags(cluster, AwsOwnership.userTags(s.tags)).entrySet().stream()
            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
            .toList();
    return b.tags(tags).build();
  }

  private static software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem strategy(
      CapacityProviderStrategyItem item) {
    return software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem.builder()
        .capacityProvider(item.capacityProvider)
        .weight(item.weight)
        .base(item.base)
        .build();
  }
}
