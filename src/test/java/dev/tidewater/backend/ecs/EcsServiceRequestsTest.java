package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.common.PlacementConstraint;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.DeploymentCircuitBreaker;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.AssignPublicIp;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.LaunchType;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.SchedulingStrategy;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

class EcsServiceRequestsTest {

  private static final String TD1 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1";
  private static final String TD2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2";
  private static final String TG =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef";

  private static EcsServiceSpec spec() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "web";
    spec.desiredCount = 2;
    spec.launchType = "FARGATE";
    spec.networkConfiguration = new NetworkConfiguration();
    spec.networkConfiguration.awsvpcConfiguration = new AwsVpcConfiguration();
    spec.networkConfiguration.awsvpcConfiguration.subnets = List.of("subnet-1", "subnet-2");
    spec.networkConfiguration.awsvpcConfiguration.securityGroups = List.of("sg-1");
    spec.networkConfiguration.awsvpcConfiguration.assignPublicIp = "DISABLED";
    spec.deploymentConfiguration = new DeploymentConfiguration();
    spec.deploymentConfiguration.maximumPercent = 200;
    spec.deploymentConfiguration.minimumHealthyPercent = 50;
    spec.deploymentConfiguration.deploymentCircuitBreaker = new DeploymentCircuitBreaker();
    spec.deploymentConfiguration.deploymentCircuitBreaker.enable = true;
    spec.deploymentConfiguration.deploymentCircuitBreaker.rollback = true;
    PlacementConstraint pc = new PlacementConstraint();
    pc.type = "distinctInstance";
    spec.placementConstraints = List.of(pc);
    spec.healthCheckGracePeriodSeconds = 30;
    spec.propagateTags = "SERVICE";
    Tag team = new Tag();
    team.key = "team";
    team.value = "web";
    spec.tags = List.of(team);
    spec.deletionPolicy = "Retain";
    spec.adopt = false;
    return spec;
  }

  private static EcsServiceRequests.Target target(String td, List<LoadBalancer> lbs) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("team", "web");
    tags.put("tidewater.dev/owner", "Service/shop/web");
    tags.put("tidewater.dev/uid", "u-1");
    return new EcsServiceRequests.Target("arn:cluster/c", "shop-web", td, lbs, tags, "tok-1");
  }

  private static LoadBalancer routeLb() {
    return LoadBalancer.builder()
        .targetGroupArn(TG)
        .containerName("web")
        .containerPort(8080)
        .build();
  }

  /** What ECS reports after creating the service from {@code request} (plus its own defaults). */
  private static Service described(CreateServiceRequest request) {
    return Service.builder()
        .serviceName(request.serviceName())
        .status("ACTIVE")
        .taskDefinition(request.taskDefinition())
        .desiredCount(request.desiredCount())
        .launchType(request.launchType())
        .schedulingStrategy(SchedulingStrategy.REPLICA)
        .networkConfiguration(
            n ->
                n.awsvpcConfiguration(
                    a ->
                        a.subnets("subnet-2", "subnet-1") // ECS may reorder
                            .securityGroups("sg-1")
                            .assignPublicIp(AssignPublicIp.DISABLED)))
        .deploymentConfiguration(
            d ->
                d.maximumPercent(200)
                    .minimumHealthyPercent(50)
                    .deploymentCircuitBreaker(c -> c.enable(true).rollback(true))
                    .strategy("ROLLING")) // a default ECS adds
        .placementConstraints(request.placementConstraints())
        .healthCheckGracePeriodSeconds(30)
        .propagateTags("SERVICE")
        .enableECSManagedTags(false)
        .loadBalancers(request.loadBalancers())
        .build();
  }

  @Test
  void createCarriesTheSpecTheRevisionTheRoutesTagsAndToken() {
    CreateServiceRequest r = EcsServiceRequests.create(spec(), target(TD1, List.of(routeLb())));

    assertThat(r.cluster()).isEqualTo("arn:cluster/c");
    assertThat(r.serviceName()).isEqualTo("shop-web");
    assertThat(r.taskDefinition()).isEqualTo(TD1);
    assertThat(r.desiredCount()).isEqualTo(2);
    assertThat(r.launchType()).isEqualTo(LaunchType.FARGATE);
    assertThat(r.networkConfiguration().awsvpcConfiguration().subnets())
        .containsExactly("subnet-1", "subnet-2");
    assertThat(r.deploymentConfiguration().deploymentCircuitBreaker().rollback()).isTrue();
    assertThat(r.deploymentConfiguration().minimumHealthyPercent()).isEqualTo(50);
    assertThat(r.placementConstraints())
        .singleElement()
        .satisfies(p -> assertThat(p.typeAsString()).isEqualTo("distinctInstance"));
    assertThat(r.healthCheckGracePeriodSeconds()).isEqualTo(30);
    assertThat(r.loadBalancers()).containsExactly(routeLb());
    assertThat(r.clientToken()).isEqualTo("tok-1");
    assertThat(r.propagateTagsAsString()).isEqualTo("SERVICE");
    assertThat(r.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .containsExactly(
            "team=web", "tidewater.dev/owner=Service/shop/web", "tidewater.dev/uid=u-1");
  }

  @Test
  void desiredCountDefaultsToOneOrTheScalerFloorAndIsAbsentForDaemons() {
    EcsServiceSpec spec = spec();
    spec.desiredCount = null;
    assertThat(EcsServiceRequests.create(spec, target(TD1, List.of())).desiredCount()).isEqualTo(1);
    spec.autoscaling = new Autoscaling();
    spec.autoscaling.minTasks = 3;
    spec.autoscaling.maxTasks = 6;
    assertThat(EcsServiceRequests.create(spec, target(TD1, List.of())).desiredCount()).isEqualTo(3);
    spec.autoscaling = null;
    spec.schedulingStrategy = "DAEMON";
    spec.launchType = "EC2";
    CreateServiceRequest daemon = EcsServiceRequests.create(spec, target(TD1, List.of()));
    assertThat(daemon.desiredCount()).isNull();
    assertThat(daemon.schedulingStrategy()).isEqualTo(SchedulingStrategy.DAEMON);
  }

  @Test
  void anUnchangedServiceNeedsNoUpdateEvenWithEcsDefaultsAndReorderedSubnets() {
    CreateServiceRequest desired =
        EcsServiceRequests.create(spec(), target(TD1, List.of(routeLb())));

    EcsServiceRequests.Difference d =
        EcsServiceRequests.difference(desired, described(desired), false);

    assertThat(d.update()).isEmpty();
    assertThat(d.fields()).isEmpty();
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void aNewRevisionUpdatesOnlyTheTaskDefinition() {
    Service observed = described(EcsServiceRequests.create(spec(), target(TD1, List.of())));
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD2, List.of()));

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, observed, false);

    assertThat(d.fields()).containsExactly("taskDefinition");
    UpdateServiceRequest u = d.update().orElseThrow();
    assertThat(u.taskDefinition()).isEqualTo(TD2);
    assertThat(u.cluster()).isEqualTo("arn:cluster/c");
    assertThat(u.service()).isEqualTo("shop-web");
    assertThat(u.desiredCount()).isNull();
    assertThat(u.networkConfiguration()).isNull();
    assertThat(u.forceNewDeployment()).as("a new revision is a deployment anyway").isNull();
  }

  private static CapacityProviderStrategyItem provider(String name, int weight) {
    CapacityProviderStrategyItem item = new CapacityProviderStrategyItem();
    item.capacityProvider = name;
    item.weight = weight;
    return item;
  }

  private static EcsServiceSpec onProviders(CapacityProviderStrategyItem... items) {
    EcsServiceSpec spec = spec();
    spec.launchType = null;
    spec.capacityProviderStrategy = List.of(items);
    return spec;
  }

  /** What ECS reports for a service on capacity providers: the strategy, no launch type. */
  private static Service describedOnProviders(CreateServiceRequest request) {
    return described(request).toBuilder()
        .launchType((String) null)
        .capacityProviderStrategy(request.capacityProviderStrategy())
        .build();
  }

  @Test
  void aChangedCapacityProviderStrategyIsSentWithANewDeployment() {
    Service observed =
        describedOnProviders(
            EcsServiceRequests.create(onProviders(provider("FARGATE", 1)), target(TD1, List.of())));
    CreateServiceRequest desired =
        EcsServiceRequests.create(
            onProviders(provider("FARGATE", 1), provider("FARGATE_SPOT", 3)),
            target(TD1, List.of()));

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, observed, false);

    assertThat(d.fields()).containsExactly("capacityProviderStrategy");
    UpdateServiceRequest u = d.update().orElseThrow();
    assertThat(u.capacityProviderStrategy())
        .extracting(
            software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem
                ::capacityProvider)
        .containsExactly("FARGATE", "FARGATE_SPOT");
    assertThat(u.forceNewDeployment())
        .as("ECS refuses a changed strategy without forceNewDeployment")
        .isTrue();
    assertThat(
            EcsServiceRequests.difference(desired, describedOnProviders(desired), false).update())
        .as("an unchanged strategy is no update")
        .isEmpty();
  }

  @Test
  void aLaunchTypeServiceMovesToCapacityProvidersWithANewDeployment() {
    Service onFargateLaunchType =
        described(EcsServiceRequests.create(spec(), target(TD1, List.of())));
    CreateServiceRequest desired =
        EcsServiceRequests.create(onProviders(provider("FARGATE_SPOT", 1)), target(TD1, List.of()));

    EcsServiceRequests.Difference d =
        EcsServiceRequests.difference(desired, onFargateLaunchType, false);

    assertThat(d.fields()).containsExactly("capacityProviderStrategy");
    UpdateServiceRequest u = d.update().orElseThrow();
    assertThat(u.capacityProviderStrategy())
        .extracting(
            software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem
                ::capacityProvider)
        .containsExactly("FARGATE_SPOT");
    assertThat(u.forceNewDeployment()).isTrue();
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void aCapacityProviderServiceMovesBackToTheLaunchTypeWithAnEmptyStrategy() {
    Service onProviders =
        describedOnProviders(
            EcsServiceRequests.create(
                onProviders(provider("FARGATE_SPOT", 1)), target(TD1, List.of())));
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, onProviders, false);

    assertThat(d.fields()).containsExactly("capacityProviderStrategy");
    UpdateServiceRequest u = d.update().orElseThrow();
    assertThat(u.hasCapacityProviderStrategy()).as("an empty list, sent (not left out)").isTrue();
    assertThat(u.capacityProviderStrategy()).isEmpty();
    assertThat(u.forceNewDeployment()).isTrue();
    // once ECS reports the launch type and no strategy, nothing is left to do
    Service switched =
        onProviders.toBuilder()
            .capacityProviderStrategy(
                List.<software.amazon.awssdk.services.ecs.model.CapacityProviderStrategyItem>of())
            .launchType(LaunchType.FARGATE)
            .build();
    assertThat(EcsServiceRequests.difference(desired, switched, false).update()).isEmpty();
  }

  @Test
  void aSpecWithNeitherLaunchTypeNorProvidersLeavesTheClusterDefaultStrategyAlone() {
    EcsServiceSpec spec = spec();
    spec.launchType = null;
    CreateServiceRequest desired = EcsServiceRequests.create(spec, target(TD1, List.of()));
    Service onClusterDefault =
        described(desired).toBuilder()
            .launchType((String) null)
            .capacityProviderStrategy(c -> c.capacityProvider("FARGATE").weight(1))
            .build();

    assertThat(EcsServiceRequests.difference(desired, onClusterDefault, false).update()).isEmpty();
  }

  @Test
  void settingsEcsGivesOnlyToNewTasksAreSentWithANewDeployment() {
    CreateServiceRequest before = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    Service observed = described(before).toBuilder().enableExecuteCommand(false).build();
    EcsServiceSpec changed = spec();
    changed.enableExecuteCommand = true;
    changed.propagateTags = "TASK_DEFINITION";
    changed.enableECSManagedTags = true;

    EcsServiceRequests.Difference d =
        EcsServiceRequests.difference(
            EcsServiceRequests.create(changed, target(TD1, List.of())), observed, false);

    assertThat(d.fields())
        .containsExactlyInAnyOrder("enableExecuteCommand", "enableECSManagedTags", "propagateTags");
    UpdateServiceRequest u = d.update().orElseThrow();
    assertThat(u.enableExecuteCommand()).isTrue();
    assertThat(u.forceNewDeployment())
        .as("running tasks get exec, tags and managed tags only when they are replaced")
        .isTrue();
    // each one alone forces too
    EcsServiceSpec onlyTags = spec();
    onlyTags.propagateTags = "TASK_DEFINITION";
    assertThat(
            EcsServiceRequests.difference(
                    EcsServiceRequests.create(onlyTags, target(TD1, List.of())), observed, false)
                .update()
                .orElseThrow()
                .forceNewDeployment())
        .isTrue();
  }

  @Test
  void aDesiredCountChangeIsNotForced() {
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    Service scaled = described(desired).toBuilder().desiredCount(7).build();

    assertThat(
            EcsServiceRequests.difference(desired, scaled, false)
                .update()
                .orElseThrow()
                .forceNewDeployment())
        .isNull();
  }

  @Test
  void desiredCountDriftIsRestoredUnlessTheScalerOwnsIt() {
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    Service scaledOutOfBand = described(desired).toBuilder().desiredCount(7).build();

    EcsServiceRequests.Difference fixed =
        EcsServiceRequests.difference(desired, scaledOutOfBand, false);
    EcsServiceRequests.Difference scaled =
        EcsServiceRequests.difference(desired, scaledOutOfBand, true);

    assertThat(fixed.fields()).containsExactly("desiredCount");
    assertThat(fixed.update().orElseThrow().desiredCount()).isEqualTo(2);
    assertThat(scaled.update()).isEmpty();
  }

  @Test
  void aNewRouteTargetGroupIsAnUpdateOfLoadBalancers() {
    Service observed = described(EcsServiceRequests.create(spec(), target(TD1, List.of())));
    CreateServiceRequest desired =
        EcsServiceRequests.create(spec(), target(TD1, List.of(routeLb())));

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, observed, false);

    assertThat(d.fields()).containsExactly("loadBalancers");
    assertThat(d.update().orElseThrow().loadBalancers()).containsExactly(routeLb());
  }

  @Test
  void fieldsTheDescriptionDoesNotReportAreNotCompared() {
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    // an emulator that keeps neither deployment configuration nor placement nor grace period
    Service sparse =
        described(desired).toBuilder()
            .deploymentConfiguration(
                (software.amazon.awssdk.services.ecs.model.DeploymentConfiguration) null)
            .placementConstraints(
                (List<software.amazon.awssdk.services.ecs.model.PlacementConstraint>) null)
            .healthCheckGracePeriodSeconds(null)
            .build();

    assertThat(EcsServiceRequests.difference(desired, sparse, false).update()).isEmpty();
  }

  @Test
  void aChangedDeploymentSettingIsRestoredAsAWholeObject() {
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    Service changed =
        described(desired).toBuilder()
            .deploymentConfiguration(
                d ->
                    d.maximumPercent(200)
                        .minimumHealthyPercent(100)
                        .deploymentCircuitBreaker(c -> c.enable(true).rollback(true)))
            .build();

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, changed, false);

    assertThat(d.fields()).containsExactly("deploymentConfiguration");
    assertThat(d.update().orElseThrow().deploymentConfiguration().minimumHealthyPercent())
        .isEqualTo(50);
  }

  @Test
  void aLaunchTypeChangeIsAWarningNotAnUpdate() {
    CreateServiceRequest desired = EcsServiceRequests.create(spec(), target(TD1, List.of()));
    Service onEc2 = described(desired).toBuilder().launchType(LaunchType.EC2).build();

    EcsServiceRequests.Difference d = EcsServiceRequests.difference(desired, onEc2, false);

    assertThat(d.update()).isEmpty();
    assertThat(d.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.field()).isEqualTo("launchType");
              assertThat(w.reason()).isEqualTo(EcsServiceRequests.REQUIRES_NEW_SERVICE);
            });
  }
}
