package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.kubernetes.render.MappingReasons;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRulesBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HorizontalPodAutoscaler of an autoscaled REPLICA Service (pure): target tracking on average
 * CPU / memory utilisation between minTasks and maxTasks, with Application Auto Scaling's cooldowns
 * approximated by HPA scaling behaviour (docs/kubernetes-mapping.md, "Where each object comes
 * from", Cooldowns).
 */
public final class ServiceAutoscaler {

  /** Application Auto Scaling's default scale-out and scale-in cooldown for ECS services. */
  public static final int ECS_DEFAULT_COOLDOWN_SECONDS = 300;

  /** The shortest policy period: the HPA's own default period and sync interval. */
  static final int MIN_PERIOD_SECONDS = 15;

  /** The longest policy period the API server accepts. */
  static final int MAX_PERIOD_SECONDS = 1800;

  /** The longest stabilization window the API server accepts. */
  static final int MAX_STABILIZATION_SECONDS = 3600;

  /** Per period, the Kubernetes default scale-up step: double, or 4 pods, whichever is more. */
  static final int SCALE_UP_PERCENT = 100;

  static final int SCALE_UP_PODS = 4;

  private ServiceAutoscaler() {}

  /** The HPA, when the Service autoscales and is not a DAEMON (which has no replica count). */
  public static Optional<HorizontalPodAutoscaler> desired(EcsService service) {
    Autoscaling a = service.getSpec().autoscaling;
    if (a == null || "DAEMON".equals(service.getSpec().schedulingStrategy)) {
      return Optional.empty();
    }
    List<MetricSpec> metrics = new ArrayList<>();
    if (a.targetCpuUtilization != null) metrics.add(utilization("cpu", a.targetCpuUtilization));
    if (a.targetMemoryUtilization != null) {
      metrics.add(utilization("memory", a.targetMemoryUtilization));
    }
    return Optional.of(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(ChildMeta.of(service, null))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(service.getMetadata().getName())
            .endScaleTargetRef()
            .withMinReplicas(Math.max(1, a.minTasks))
            .withMaxReplicas(a.maxTasks)
            .withMetrics(metrics)
            .withNewBehavior()
            .withScaleUp(scaleUp(cooldown(a.scaleOutCooldownSeconds)))
            .withScaleDown(scaleDown(cooldown(a.scaleInCooldownSeconds)))
            .endBehavior()
            .endSpec()
            .build());
  }

  /**
   * What the HPA cannot honour: minTasks 0 (an HPA keeps at least one pod), and cooldowns beyond
   * what its policies take (a scale-up period of at most 1800 s, a scale-down window of at most
   * 3600 s) or below the scale-up period's floor of 15 s.
   */
  static List<StatusWarning> warnings(EcsService service) {
    Autoscaling a = service.getSpec().autoscaling;
    if (a == null || "DAEMON".equals(service.getSpec().schedulingStrategy)) {
      return List.of();
    }
    List<StatusWarning> out = new ArrayList<>();
    if (a.minTasks != null && a.minTasks == 0) {
      out.add(
          new StatusWarning(
              "autoscaling.minTasks",
              MappingReasons.SCALE_TO_ZERO_NOT_SUPPORTED,
              "a HorizontalPodAutoscaler keeps at least 1 pod; minTasks 0 is applied as 1"));
    }
    int out0 = cooldown(a.scaleOutCooldownSeconds);
    if (out0 > MAX_PERIOD_SECONDS || out0 < MIN_PERIOD_SECONDS) {
      out.add(
          new StatusWarning(
              "autoscaling.scaleOutCooldownSeconds",
              MappingReasons.COOLDOWN_CLAMPED,
              "an HPA scale-up policy period is 15 to 1800 s; "
                  + out0
                  + " s is applied as "
                  + Math.min(MAX_PERIOD_SECONDS, Math.max(MIN_PERIOD_SECONDS, out0))
                  + " s"));
    }
    int in0 = cooldown(a.scaleInCooldownSeconds);
    if (in0 > MAX_STABILIZATION_SECONDS) {
      out.add(
          new StatusWarning(
              "autoscaling.scaleInCooldownSeconds",
              MappingReasons.COOLDOWN_CLAMPED,
              "an HPA scale-down stabilization window is at most 3600 s; "
                  + in0
                  + " s is applied as 3600 s"));
    }
    return out;
  }

  private static int cooldown(Integer seconds) {
    return seconds == null ? ECS_DEFAULT_COOLDOWN_SECONDS : seconds;
  }

  /**
   * Scale-out at once (no stabilization window, which would delay the first scale-out by the
   * cooldown), by at most double or 4 pods within any cooldown-long period: growth beyond that step
   * waits until the period has passed, close to Application Auto Scaling's spacing of scale-out
   * activities (the HPA limits how much is added per sliding period, not each step).
   */
  static HPAScalingRules scaleUp(int cooldownSeconds) {
    int period = Math.min(MAX_PERIOD_SECONDS, Math.max(MIN_PERIOD_SECONDS, cooldownSeconds));
    return new HPAScalingRulesBuilder()
        .withStabilizationWindowSeconds(0)
        .withSelectPolicy("Max")
        .addNewPolicy()
        .withType("Percent")
        .withValue(SCALE_UP_PERCENT)
        .withPeriodSeconds(period)
        .endPolicy()
        .addNewPolicy()
        .withType("Pods")
        .withValue(SCALE_UP_PODS)
        .withPeriodSeconds(period)
        .endPolicy()
        .build();
  }

  /**
   * Scale-in only to the highest count recommended over the cooldown: a scale-in waits until load
   * stayed low that long, and the next one until it stays lower, as target tracking's cautious
   * scale-in does (its low alarm wants 15 minutes of data).
   */
  static HPAScalingRules scaleDown(int cooldownSeconds) {
    return new HPAScalingRulesBuilder()
        .withStabilizationWindowSeconds(Math.min(MAX_STABILIZATION_SECONDS, cooldownSeconds))
        .build();
  }

  private static MetricSpec utilization(String resource, int percent) {
    return new MetricSpecBuilder()
        .withType("Resource")
        .withNewResource()
        .withName(resource)
        .withNewTarget()
        .withType("Utilization")
        .withAverageUtilization(percent)
        .endTarget()
        .endResource()
        .build();
  }
}
