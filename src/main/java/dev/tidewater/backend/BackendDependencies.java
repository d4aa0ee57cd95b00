package dev.tidewater.backend;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsSettings;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.RouteElb;
import dev.tidewater.backend.aws.TaskRoleIam;
import dev.tidewater.backend.ecs.EcsServiceSettings;
import dev.tidewater.backend.kubernetes.KubernetesBackendSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * What the backends of every place are built from: the clients, the settings, and the AWS parts two
 * backends share (one TaskRoleIam, one RouteElb, so their caches are one).
 *
 * @param resyncPeriod the operator's resync period
 */
public record BackendDependencies(
    KubernetesClient client,
    AwsClientFactory aws,
    ClusterAwsContexts awsContexts,
    AwsSettings awsSettings,
    KubernetesBackendSettings kubernetesSettings,
    EcsServiceSettings ecsServiceSettings,
    Duration resyncPeriod,
    TaskRoleIam taskRoleIam,
    RouteElb routeElb) {}
