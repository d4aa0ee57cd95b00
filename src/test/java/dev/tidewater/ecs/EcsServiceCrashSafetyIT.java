package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.backend.ecs.EcsServiceBackend;
import dev.tidewater.backend.ecs.EcsServiceScaling;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;

/**
 * Crash safety of the ecs Service backend (DESIGN.md rule 4): for every AWS call N along the create
 * path (describe, CreateService, scalable target, scaling policy) and the delete path, the operator
 * "crashes" right after call N took effect, then a fresh backend (a restarted operator: empty
 * caches) reconciles; the cluster holds exactly one live service of the resource, one scalable
 * target and one policy, and CreateService took effect exactly once (moto overwrites a same-name
 * service silently, so calls are counted rather than services).
 */
class EcsServiceCrashSafetyIT {

  private static final TestGround ground = TestGround.get();
  private static final AwsContext MOTO = ground.motoContext();
  // the backend under test signs as the operator (deploy/iam-policy.json); MOTO is for look-ups
  private static final AwsContext OPERATOR = ground.operatorAwsContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());
  private static String clusterArn;
  private static String taskDefinitionArn;
  private static String prefix;

  /** One service of the scenario: the resource as the reconciler hands it to the backend. */
  private record Scenario(EcsService service) {}

  @BeforeAll
  static void clusterAndRevision() {
    prefix = "crash-" + UUID.randomUUID().toString().substring(0, 6);
    EcsClient ecs = aws.ecs(MOTO);
    clusterArn = ecs.createCluster(r -> r.clusterName(prefix)).cluster().clusterArn();
    taskDefinitionArn =
        ecs.registerTaskDefinition(
                r ->
                    r.family(prefix)
                        .requiresCompatibilitiesWithStrings("FARGATE")
                        .networkMode("awsvpc")
                        .cpu("256")
                        .memory("512")
                        .containerDefinitions(c -> c.name("web").image("nginx:1.27")))
            .taskDefinition()
            .taskDefinitionArn();
  }

  private static EcsServiceBackend backend(AwsClientFactory factory) {
    return new EcsServiceBackend(
        factory, null, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(5));
  }

  private static Scenario scenario(String name) {
    EcsService service = new EcsService();
    service.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(prefix)
            .withName(name)
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .build());
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "web";
    spec.launchType = "FARGATE";
    spec.desiredCount = 1;
    spec.autoscaling = new Autoscaling();
    spec.autoscaling.minTasks = 1;
    spec.autoscaling.maxTasks = 3;
    spec.autoscaling.targetCpuUtilization = 50;
    // moto validates awsvpc subnets against its EC2: a service without network configuration
    // keeps this test about the create path
    spec.networkConfiguration = null;
    service.setSpec(spec);
    return new Scenario(service);
  }

  private static EcsServiceBackend.Inputs inputs() {
    return new EcsServiceBackend.Inputs(
        OPERATOR, clusterArn, List.of(), Map.of(1, taskDefinitionArn));
  }

  private static ServicePlan plan() {
    return new ServicePlan(1, null, "web", null, taskDefinitionArn);
  }

  private static long count(List<String> calls, String api) {
    return Collections.frequency(calls, api);
  }

  private static String resourceId(EcsService service) {
    return EcsServiceScaling.resourceId(prefix, EcsServiceBackend.serviceName(service));
  }

  /** The live (not INACTIVE) services of the cluster that carry this resource's owner tag. */
  private static List<Service> ours(EcsService service) {
    EcsClient ecs = aws.ecs(MOTO);
    List<String> arns = ecs.listServices(r -> r.cluster(clusterArn)).serviceArns();
    if (arns.isEmpty()) return List.of();
    return arns.stream()
        .flatMap(
            arn ->
                ecs
                    .describeServices(
                        r -> r.cluster(clusterArn).services(arn).include(ServiceField.TAGS))
                    .services()
                    .stream())
        .filter(s -> !"INACTIVE".equals(s.status()))
        .filter(
            s ->
                s.tags().stream()
                    .anyMatch(
                        t ->
                            t.key().equals(AwsOwnership.OWNER_TAG)
                                && t.value().equals(AwsOwnership.owner(service))))
        .toList();
  }

  @Test
  void createPath() {
    List<String> path =
        CrashAfterNthCall.everyCallOf(
            n -> scenario("create-" + n),
            (s, f) -> backend(f).apply(s.service(), plan(), inputs()),
            (s, f) -> backend(f).apply(s.service(), plan(), inputs()),
            (s, calls) -> {
              assertThat(count(calls, "Ecs:CreateService")).as("CreateService calls").isEqualTo(1);
              assertThat(ours(s.service()))
                  .singleElement()
                  .satisfies(
                      svc -> {
                        assertThat(svc.taskDefinition()).isEqualTo(taskDefinitionArn);
                        assertThat(svc.status()).isEqualTo("ACTIVE");
                      });
              var scaler = aws.autoScaling(MOTO);
              String id = resourceId(s.service());
              assertThat(
                      scaler
                          .describeScalableTargets(
                              r -> r.serviceNamespace(ServiceNamespace.ECS).resourceIds(id))
                          .scalableTargets())
                  .filteredOn(t -> id.equals(t.resourceId()))
                  .hasSize(1);
              assertThat(
                      scaler
                          .describeScalingPolicies(
                              r -> r.serviceNamespace(ServiceNamespace.ECS).resourceId(id))
                          .scalingPolicies())
                  .filteredOn(p -> id.equals(p.resourceId()))
                  .extracting(p -> p.policyName())
                  .containsExactly("tidewater-cpu");
            });
    assertThat(path)
        .containsExactly(
            "Ecs:DescribeServices",
            "Ecs:CreateService",
            "ApplicationAutoScaling:RegisterScalableTarget",
            "ApplicationAutoScaling:PutScalingPolicy");
  }

  @Test
  void deletePath() {
    List<String> path =
        CrashAfterNthCall.everyCallOf(
            n -> {
              Scenario s = scenario("delete-" + n);
              try (AwsClientFactory f =
                  new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter())) {
                backend(f).apply(s.service(), plan(), inputs());
              }
              return s;
            },
            (s, f) -> backend(f).remove(s.service(), OPERATOR, clusterArn),
            (s, f) -> backend(f).remove(s.service(), OPERATOR, clusterArn),
            (s, calls) -> {
              assertThat(ours(s.service())).as("live services left").isEmpty();
              String id = resourceId(s.service());
              assertThat(
                      aws.autoScaling(MOTO)
                          .describeScalableTargets(
                              r -> r.serviceNamespace(ServiceNamespace.ECS).resourceIds(id))
                          .scalableTargets())
                  .filteredOn(t -> id.equals(t.resourceId()))
                  .isEmpty();
            });
    assertThat(path)
        .containsExactly(
            "Ecs:DescribeServices",
            "ApplicationAutoScaling:DescribeScalableTargets",
            "ApplicationAutoScaling:DescribeScalingPolicies",
            "ApplicationAutoScaling:DeleteScalingPolicy",
            "ApplicationAutoScaling:DeregisterScalableTarget",
            "Ecs:UpdateService",
            "Ecs:DeleteService");
  }
}
