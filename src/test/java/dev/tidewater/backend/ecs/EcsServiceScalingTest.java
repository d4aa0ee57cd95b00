package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;

class EcsServiceScalingTest {

  private static final String ID = "service/c/shop-web";

  private static Autoscaling autoscaling() {
    Autoscaling a = new Autoscaling();
    a.minTasks = 2;
    a.maxTasks = 6;
    a.targetCpuUtilization = 60;
    a.scaleInCooldownSeconds = 120;
    return a;
  }

  private static ScalableTarget registered(int min, int max) {
    return ScalableTarget.builder()
        .resourceId(ID)
        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
        .minCapacity(min)
        .maxCapacity(max)
        .build();
  }

  private static ScalingPolicy asRegistered(PutScalingPolicyRequest p) {
    return ScalingPolicy.builder()
        .policyName(p.policyName())
        .resourceId(p.resourceId())
        .targetTrackingScalingPolicyConfiguration(p.targetTrackingScalingPolicyConfiguration())
        .build();
  }

  @Test
  void aNewServiceGetsItsTargetAndOnePolicyPerMetric() {
    Autoscaling a = autoscaling();
    a.targetMemoryUtilization = 70;

    EcsServiceScaling.Plan plan = EcsServiceScaling.plan(a, ID, Optional.empty(), List.of());

    assertThat(plan.register().orElseThrow().minCapacity()).isEqualTo(2);
    assertThat(plan.register().orElseThrow().maxCapacity()).isEqualTo(6);
    assertThat(plan.put())
        .extracting(
            p ->
                p.policyName()
                    + ":"
                    + p.targetTrackingScalingPolicyConfiguration()
                        .predefinedMetricSpecification()
                        .predefinedMetricType()
                    + "="
                    + p.targetTrackingScalingPolicyConfiguration().targetValue())
        .containsExactly(
            "tidewater-cpu:" + MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION + "=60.0",
            "tidewater-memory:" + MetricType.ECS_SERVICE_AVERAGE_MEMORY_UTILIZATION + "=70.0");
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.deregister()).isFalse();
  }

  @Test
  void whatIsRegisteredAlreadyNeedsNoWrite() {
    Autoscaling a = autoscaling();
    List<ScalingPolicy> policies =
        EcsServiceScaling.policies(a, ID).values().stream()
            .map(EcsServiceScalingTest::asRegistered)
            .toList();

    assertThat(EcsServiceScaling.plan(a, ID, Optional.of(registered(2, 6)), policies).isEmpty())
        .isTrue();
  }

  @Test
  void changedBoundsReRegisterAndAChangedTargetRePutsOnlyThatPolicy() {
    Autoscaling before = autoscaling();
    List<ScalingPolicy> policies =
        EcsServiceScaling.policies(before, ID).values().stream()
            .map(EcsServiceScalingTest::asRegistered)
            .toList();
    Autoscaling after = autoscaling();
    after.maxTasks = 10;
    after.targetCpuUtilization = 50;

    EcsServiceScaling.Plan plan =
        EcsServiceScaling.plan(after, ID, Optional.of(registered(2, 6)), policies);

    assertThat(plan.register().orElseThrow().maxCapacity()).isEqualTo(10);
    assertThat(plan.put())
        .extracting(PutScalingPolicyRequest::policyName)
        .containsExactly("tidewater-cpu");
  }

  @Test
  void aMetricNoLongerTargetedLosesItsPolicyButForeignPoliciesStay() {
    Autoscaling a = autoscaling();
    ScalingPolicy memory =
        ScalingPolicy.builder().policyName("tidewater-memory").resourceId(ID).build();
    ScalingPolicy foreign = ScalingPolicy.builder().policyName("ops-step").resourceId(ID).build();
    ScalingPolicy otherService =
        ScalingPolicy.builder().policyName("tidewater-cpu").resourceId(ID + "-2").build();

    EcsServiceScaling.Plan plan =
        EcsServiceScaling.plan(
            a, ID, Optional.of(registered(2, 6)), List.of(memory, foreign, otherService));

    assertThat(plan.delete()).containsExactly("tidewater-memory");
    assertThat(plan.put())
        .extracting(PutScalingPolicyRequest::policyName)
        .containsExactly("tidewater-cpu");
  }

  @Test
  void removedAutoscalingDeregistersTheTargetAndDeletesOurPolicies() {
    ScalingPolicy cpu = ScalingPolicy.builder().policyName("tidewater-cpu").resourceId(ID).build();

    EcsServiceScaling.Plan plan =
        EcsServiceScaling.plan(null, ID, Optional.of(registered(2, 6)), List.of(cpu));

    assertThat(plan.deregister()).isTrue();
    assertThat(plan.delete()).containsExactly("tidewater-cpu");
    assertThat(EcsServiceScaling.plan(null, ID, Optional.empty(), List.of()).isEmpty()).isTrue();
  }

  @Test
  void resourceIdsUseTheClusterName() {
    assertThat(
            EcsServiceScaling.resourceId(
                EcsServiceScaling.clusterName("arn:aws:ecs:us-east-1:1:cluster/prod"), "shop-web"))
        .isEqualTo("service/prod/shop-web");
  }
}
