package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Service's own ECS fields on the pod template its TaskDefinition revision renders to: the health
 * check grace period ({@link StartupBudget}), placement constraints and strategies ({@link
 * ServicePlacement}) and managed EBS volumes ({@link ManagedEbsVolumes}); every other field the
 * kubernetes backend cannot honour is a warning. A pure function over the renderer's result:
 * template, warnings and refusals in, a changed copy out (the input is not modified). Warning and
 * refusal paths are relative to the Service's spec ({@code placementStrategy[0].field}), like the
 * backend's other Service warnings; docs/kubernetes-mapping.md has the field table.
 */
public final class ServicePodMapping {

  /**
   * The Service's spec, the revision's spec that was rendered, the Cluster's spec (null = defaults)
   * and the labels that select the Service's pods (those of the workload's selector).
   */
  public record Input(
      EcsServiceSpec service,
      TaskDefinitionSpec task,
      ClusterSpec cluster,
      Map<String, String> podLabels) {}

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ServicePodMapping() {}

  /** {@code rendered} with the Service's fields applied; never throws for an admitted spec. */
  public static PodTemplateRenderer.Result applyTo(PodTemplateRenderer.Result rendered, Input in) {
    Objects.requireNonNull(rendered, "rendered");
    EcsServiceSpec s = Objects.requireNonNull(in.service(), "in.service");
    PodTemplateSpec template = JSON.clone(rendered.template());
    if (template.getSpec() == null) {
      template.setSpec(new PodSpec());
    }
    PodSpec pod = template.getSpec();
    List<StatusWarning> warnings = new ArrayList<>(rendered.warnings());
    List<Problem> refusals = new ArrayList<>(rendered.refusals());
    boolean daemon = "DAEMON".equals(s.schedulingStrategy);

    if (s.healthCheckGracePeriodSeconds != null) {
      StartupBudget.extend(pod, s.healthCheckGracePeriodSeconds);
    }
    ServicePlacement.constraints(s.placementConstraints, daemon, in.podLabels(), pod, warnings);
    ServicePlacement.strategies(s.placementStrategy, daemon, in.podLabels(), pod, warnings);
    Set<Integer> replaced =
        ManagedEbsVolumes.apply(s.volumeConfigurations, in.task(), in.cluster(), pod, warnings);
    // the renderer's "emptyDir placeholder" warning no longer holds for a replaced volume
    warnings.removeIf(
        w ->
            MappingReasons.VOLUME_CONFIGURED_AT_LAUNCH.equals(w.reason())
                && replaced.stream()
                    .anyMatch(j -> w.field().equals("volumes[" + j + "].configuredAtLaunch")));
    notHonoured(s, warnings);
    return new PodTemplateRenderer.Result(
        template, List.copyOf(warnings), List.copyOf(refusals), rendered.externalSecrets());
  }

  /** Warnings for the fields with no Kubernetes counterpart that are set to a non-default. */
  private static void notHonoured(EcsServiceSpec s, List<StatusWarning> warnings) {
    capacityProviders(s, warnings);
    if (notEmpty(s.loadBalancers)) {
      warnings.add(
          new StatusWarning(
              "loadBalancers",
              MappingReasons.LOAD_BALANCERS_NOT_MAPPED,
              "target groups given by ARN are not registered on Kubernetes; route traffic with a"
                  + " LoadBalancerRoute"));
    }
    if (notEmpty(s.serviceRegistries)) {
      warnings.add(
          new StatusWarning(
              "serviceRegistries",
              MappingReasons.SERVICE_DISCOVERY_NOT_MAPPED,
              "no Cloud Map registration is made; inside the cluster, reach the pods through a"
                  + " Kubernetes Service (a LoadBalancerRoute makes one) and its DNS name"));
    }
    if (s.serviceConnectConfiguration != null
        && Boolean.TRUE.equals(s.serviceConnectConfiguration.enabled)) {
      warnings.add(
          new StatusWarning(
              "serviceConnectConfiguration",
              MappingReasons.SERVICE_DISCOVERY_NOT_MAPPED,
              "Service Connect is not set up: no proxy, no client aliases; inside the cluster,"
                  + " reach the pods through a Kubernetes Service and its DNS name"));
    }
    if (notEmpty(s.vpcLatticeConfigurations)) {
      warnings.add(
          new StatusWarning(
              "vpcLatticeConfigurations",
              MappingReasons.VPC_LATTICE_NOT_MAPPED,
              "the pods are not registered in VPC Lattice target groups (the AWS Gateway API"
                  + " Controller does that for Gateway routes)"));
    }
    if (s.deploymentController != null
        && s.deploymentController.type != null
        && !"ECS".equals(s.deploymentController.type)) {
      warnings.add(
          new StatusWarning(
              "deploymentController.type",
              MappingReasons.DEPLOYMENT_CONTROLLER_NOT_MAPPED,
              s.deploymentController.type
                  + " deployments are not handed over; Tidewater rolls the workload out itself"));
    }
    if (Boolean.TRUE.equals(s.enableExecuteCommand)) {
      warnings.add(
          new StatusWarning(
              "enableExecuteCommand",
              MappingReasons.EXECUTE_COMMAND_NOT_MAPPED,
              "ECS Exec (the SSM agent in each task, aws ecs execute-command) is not set up; on"
                  + " Kubernetes kubectl exec reaches the containers where RBAC allows pods/exec"));
    }
    deployment(s.deploymentConfiguration, warnings);
  }

  private static void capacityProviders(EcsServiceSpec s, List<StatusWarning> warnings) {
    List<CapacityProviderStrategyItem> items = s.capacityProviderStrategy;
    if (items == null || items.isEmpty()) {
      return;
    }
    boolean shares = items.size() > 1;
    boolean base = items.stream().anyMatch(c -> c.base != null && c.base > 0);
    boolean spot = items.stream().anyMatch(c -> "FARGATE_SPOT".equals(c.capacityProvider));
    if (!shares && !base && !spot) {
      return;
    }
    String launchType = launchType(s);
    warnings.add(
        new StatusWarning(
            "capacityProviderStrategy",
            MappingReasons.CAPACITY_PROVIDER_STRATEGY_APPROXIMATED,
            "every pod gets the Cluster's "
                + launchType
                + " placement"
                + (shares || base ? "; weights and base are not honoured" : "")
                + (spot ? "; FARGATE_SPOT capacity is placed like FARGATE" : "")));
  }

  private static void deployment(DeploymentConfiguration d, List<StatusWarning> warnings) {
    if (d == null) {
      return;
    }
    if (d.alarms != null && Boolean.TRUE.equals(d.alarms.enable)) {
      warnings.add(
          new StatusWarning(
              "deploymentConfiguration.alarms",
              MappingReasons.DEPLOYMENT_ALARMS_NOT_MAPPED,
              "CloudWatch alarms are not watched; only the circuit breaker (progress deadline)"
                  + " fails a rollout"));
    }
    if (d.strategy != null && !"ROLLING".equals(d.strategy)) {
      warnings.add(
          new StatusWarning(
              "deploymentConfiguration.strategy",
              MappingReasons.DEPLOYMENT_STRATEGY_NOT_MAPPED,
              d.strategy + " is rolled out as a rolling update; no traffic is shifted"));
    }
    if (d.bakeTimeInMinutes != null && d.bakeTimeInMinutes > 0) {
      warnings.add(
          new StatusWarning(
              "deploymentConfiguration.bakeTimeInMinutes",
              MappingReasons.DEPLOYMENT_STRATEGY_NOT_MAPPED,
              "old pods go as soon as new ones are ready; there is no bake time"));
    }
    if (notEmpty(d.lifecycleHooks)) {
      warnings.add(
          new StatusWarning(
              "deploymentConfiguration.lifecycleHooks",
              MappingReasons.DEPLOYMENT_STRATEGY_NOT_MAPPED,
              "lifecycle hooks are not invoked"));
    }
  }

  private static boolean notEmpty(List<?> list) {
    return list != null && !list.isEmpty();
  }

  /** The launch type the Service asks for: launchType, or FARGATE from its capacity providers. */
  public static String launchType(EcsServiceSpec spec) {
    if (spec.launchType != null) return spec.launchType;
    if (spec.capacityProviderStrategy != null
        && spec.capacityProviderStrategy.stream()
            .anyMatch(
                c -> c.capacityProvider != null && c.capacityProvider.startsWith("FARGATE"))) {
      return "FARGATE";
    }
    return spec.capacityProviderStrategy != null ? "EC2" : null;
  }
}
