package dev.tidewater.migration;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * What a migration IT works in: its own namespace on the test ground, a VPC with one subnet per
 * {@code 10.0.N.0/24} and a security group in moto, and what the tests read of a Service on both
 * sides (its ECS service by the unambiguous name, its Deployment, its conditions).
 */
final class MigrationWorld {

  final String ns;
  final List<String> subnets = new ArrayList<>();
  final String securityGroup;
  private final TestGround ground;
  private final KubernetesClient admin;
  private final AwsClientFactory aws;
  private final AwsContext moto;

  /**
   * @param prefix the namespace's name prefix
   * @param cidrs the third octets of the subnets, one per availability zone a, b, ...
   */
  MigrationWorld(TestGround ground, AwsClientFactory aws, String prefix, int... cidrs) {
    this.ground = ground;
    this.admin = ground.admin();
    this.aws = aws;
    this.moto = ground.motoContext();
    this.ns = ground.createNamespace(prefix);
    Ec2Client ec2 = aws.ec2(moto);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    for (int i = 0; i < cidrs.length; i++) {
      String cidr = "10.0." + cidrs[i] + ".0/24";
      String az = "us-east-1" + (char) ('a' + i);
      subnets.add(
          ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(az))
              .subnet()
              .subnetId());
    }
    this.securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
  }

  void delete() {
    ground.deleteNamespace(ns);
  }

  /** Points the namespace's default Cluster at {@code backend}. */
  void flip(String backend) {
    editCluster(spec -> spec.backend = backend);
  }

  /** Changes the default Cluster's spec as a user's edit does (again on a 409). */
  void editCluster(Consumer<ClusterSpec> change) {
    Resources.edit(admin, Cluster.class, ns, "default", c -> change.accept(c.getSpec()));
  }

  EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  /** The default Cluster's ECS cluster ARN, null before it has one. */
  String clusterArn() {
    Cluster c = admin.resources(Cluster.class).inNamespace(ns).withName("default").get();
    return c == null || c.getStatus() == null ? null : c.getStatus().clusterArn;
  }

  EcsClient ecs() {
    return aws.ecs(moto);
  }

  /** The Service's ECS service while it is ACTIVE (moto keeps deleted ones as INACTIVE). */
  Optional<Service> ecsService(String name) {
    String cluster = clusterArn();
    if (cluster == null) return Optional.empty();
    return ecs()
        .describeServices(r -> r.cluster(cluster).services(ns + "_" + name))
        .services()
        .stream()
        .filter(s -> "ACTIVE".equals(s.status()))
        .findFirst();
  }

  Deployment deploymentOrNull(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  /** A Deployment's ready replicas (0 when it or its status is not there). */
  static int ready(Deployment d) {
    return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null
        ? 0
        : d.getStatus().getReadyReplicas();
  }

  /** {@code status/reason} of the Service's condition {@code type}, null without one. */
  static String condition(EcsService s, String type) {
    return s.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  /** Runs {@code sample} once a second until stopped; a sample that fails to read is skipped. */
  static final class EverySecond {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    EverySecond(Runnable sample) {
      timer.scheduleAtFixedRate(
          () -> {
            try {
              sample.run();
            } catch (RuntimeException e) {
              // a failed read is no sample
            }
          },
          0,
          1,
          TimeUnit.SECONDS);
    }

    void stop() {
      timer.shutdownNow();
    }
  }
}
