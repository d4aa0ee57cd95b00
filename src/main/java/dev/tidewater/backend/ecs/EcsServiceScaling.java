package dev.tidewater.backend.ecs;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.applicationautoscaling.model.MetricType;
import software.amazon.awssdk.services.applicationautoscaling.model.PolicyType;
import software.amazon.awssdk.services.applicationautoscaling.model.PredefinedMetricSpecification;
import software.amazon.awssdk.services.applicationautoscaling.model.PutScalingPolicyRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.RegisterScalableTargetRequest;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableTarget;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.applicationautoscaling.model.TargetTrackingScalingPolicyConfiguration;

/**
 * Pure planning of a Service's Application Auto Scaling: the scalable target ({@code
 * ecs:service:DesiredCount} between minTasks and maxTasks) and one target-tracking policy per
 * metric the spec targets (average CPU, average memory), compared with what is registered; only
 * policies Tidewater names ({@value #POLICY_PREFIX}...) are ever changed or deleted.
 */
public final class EcsServiceScaling {

  /** Prefix of the scaling policies Tidewater owns on a service. */
  public static final String POLICY_PREFIX = "tidewater-";

  static final String CPU_POLICY = POLICY_PREFIX + "cpu";
  static final String MEMORY_POLICY = POLICY_PREFIX + "memory";

  /**
   * The writes that bring the registered scaling to the spec.
   *
   * @param register RegisterScalableTarget (new target or other bounds)
   * @param put PutScalingPolicy per missing or different policy
   * @param delete names of our policies the spec no longer asks for
   * @param deregister the spec has no autoscaling but a target is registered
   */
  public record Plan(
      Optional<RegisterScalableTargetRequest> register,
      List<PutScalingPolicyRequest> put,
      List<String> delete,
      boolean deregister) {

    /** Whether nothing needs writing. */
    public boolean isEmpty() {
      return register.isEmpty() && put.isEmpty() && delete.isEmpty() && !deregister;
    }
  }

  private EcsServiceScaling() {}

  /** The Application Auto Scaling resource id of an ECS service. */
  public static String resourceId(String clusterName, String serviceName) {
    return "service/" + clusterName + "/" + serviceName;
  }

  /** The ECS cluster name of a cluster ARN (or the name itself). */
  public static String clusterName(String clusterArnOrName) {
    int slash = clusterArnOrName.lastIndexOf('/');
    return slash < 0 ? clusterArnOrName : clusterArnOrName.substring(slash + 1);
  }

  /** The scalable target of {@code autoscaling} on {@code resourceId}. */
  public static RegisterScalableTargetRequest target(Autoscaling autoscaling, String resourceId) {
    return RegisterScalableTargetRequest.builder()
        .serviceNamespace(ServiceNamespace.ECS)
        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
        .resourceId(resourceId)
        .minCapacity(autoscaling.minTasks)
        .maxCapacity(autoscaling.maxTasks)
        .build();
  }

  /** The target-tracking policies of {@code autoscaling}, by name. */
  public static Map<String, PutScalingPolicyRequest> policies(
      Autoscaling autoscaling, String resourceId) {
    Map<String, PutScalingPolicyRequest> out = new TreeMap<>();
    if (autoscaling.targetCpuUtilization != null) {
      out.put(
          CPU_POLICY,
          policy(
              CPU_POLICY,
              resourceId,
              MetricType.ECS_SERVICE_AVERAGE_CPU_UTILIZATION,
              autoscaling.targetCpuUtilization,
              autoscaling));
    }
    if (autoscaling.targetMemoryUtilization != null) {
      out.put(
          MEMORY_POLICY,
          policy(
              MEMORY_POLICY,
              resourceId,
              MetricType.ECS_SERVICE_AVERAGE_MEMORY_UTILIZATION,
              autoscaling.targetMemoryUtilization,
              autoscaling));
    }
    return out;
  }

  private static PutScalingPolicyRequest policy(
      String name, String resourceId, MetricType metric, int target, Autoscaling a) {
    return PutScalingPolicyRequest.builder()
        .policyName(name)
        .serviceNamespace(ServiceNamespace.ECS)
        .scalableDimension(ScalableDimension.ECS_SERVICE_DESIRED_COUNT)
        .resourceId(resourceId)
        .policyType(PolicyType.TARGET_TRACKING_SCALING)
        .targetTrackingScalingPolicyConfiguration(
            TargetTrackingScalingPolicyConfiguration.builder()
                .predefinedMetricSpecification(
                    PredefinedMetricSpecification.builder().predefinedMetricType(metric).build())
                .targetValue((double) target)
                .scaleInCooldown(a.scaleInCooldownSeconds)
                .scaleOutCooldown(a.scaleOutCooldownSeconds)
                .build())
        .build();
  }

  /**
   * The writes for {@code autoscaling} (null: none wanted) given what is registered for the
   * service: its scalable target (if any) and its scaling policies (any owner).
   */
  public static Plan plan(
      Autoscaling autoscaling,
      String resourceId,
      Optional<ScalableTarget> registered,
      List<ScalingPolicy> registeredPolicies) {
    List<ScalingPolicy> ours =
        registeredPolicies.stream()
            .filter(p -> resourceId.equals(p.resourceId()))
            .filter(p -> p.policyName() != null && p.policyName().startsWith(POLICY_PREFIX))
            .toList();
    if (autoscaling == null) {
      return new Plan(
          Optional.empty(),
          List.of(),
          ours.stream().map(ScalingPolicy::policyName).sorted().toList(),
          registered.isPresent());
    }
    RegisterScalableTargetRequest target = target(autoscaling, resourceId);
    Optional<RegisterScalableTargetRequest> register =
        registered.isPresent()
                && Objects.equals(registered.get().minCapacity(), target.minCapacity())
                && Objects.equals(registered.get().maxCapacity(), target.maxCapacity())
            ? Optional.empty()
            : Optional.of(target);
    Map<String, PutScalingPolicyRequest> wanted = policies(autoscaling, resourceId);
    List<PutScalingPolicyRequest> put = new ArrayList<>();
    wanted.forEach(
        (name, request) -> {
          Optional<ScalingPolicy> have =
              ours.stream().filter(p -> name.equals(p.policyName())).findFirst();
          if (have.isEmpty() || !sameTracking(have.get(), request)) {
            put.add(request);
          }
        });
    List<String> delete =
        ours.stream()
            .map(ScalingPolicy::policyName)
            .filter(n -> !wanted.containsKey(n))
            .sorted()
            .toList();
    return new Plan(register, put, delete, false);
  }

  private static boolean sameTracking(ScalingPolicy have, PutScalingPolicyRequest want) {
    TargetTrackingScalingPolicyConfiguration h = have.targetTrackingScalingPolicyConfiguration();
    TargetTrackingScalingPolicyConfiguration w = want.targetTrackingScalingPolicyConfiguration();
    if (h == null || h.predefinedMetricSpecification() == null) return false;
    return Objects.equals(
            h.predefinedMetricSpecification().predefinedMetricTypeAsString(),
            w.predefinedMetricSpecification().predefinedMetricTypeAsString())
        && h.targetValue() != null
        && Double.compare(h.targetValue(), w.targetValue()) == 0
        && (w.scaleInCooldown() == null || w.scaleInCooldown().equals(h.scaleInCooldown()))
        && (w.scaleOutCooldown() == null || w.scaleOutCooldown().equals(h.scaleOutCooldown()));
  }
}
