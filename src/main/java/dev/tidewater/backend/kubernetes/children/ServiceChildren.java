package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.NamedPaths;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer;
import dev.tidewater.backend.kubernetes.render.ServicePodMapping;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;

/**
 * Every Kubernetes object of a Service on the kubernetes backend, from explicit inputs (pure): the
 * one function both the operator's apply path and the CLI's {@code render} call, so what render
 * prints is what the operator applies (DESIGN.md rule 12). The apply path adds only what is
 * bookkeeping of the write itself: the applied-hash annotation, and the replica hand-off to the
 * HPA, a separate field manager's write of {@code spec.replicas} alone.
 */
public final class ServiceChildren {

  /**
   * What the objects depend on besides the Service and its plan, each something the operator learns
   * from the API server and render takes from its flags.
   *
   * @param cluster the Cluster's spec (null: defaults)
   * @param podLevelResources whether the API server takes pod-level resources (Kubernetes ≥ 1.34)
   * @param externalSecretApiVersion the served ExternalSecret apiVersion, null when the External
   *     Secrets Operator is not installed (SSM / Secrets Manager secrets are then refused)
   * @param observedReplicas the replicas of the Deployment already there, null when there is none;
   *     carried when the Service sets neither desiredCount nor autoscaling
   */
  public record Inputs(
      EcsService service,
      ClusterSpec cluster,
      ServicePlan plan,
      boolean podLevelResources,
      String externalSecretApiVersion,
      Integer observedReplicas) {}

  /**
   * The objects, in the order they are applied, with what could not be honoured ({@code warnings},
   * field paths relative to the TaskDefinition spec or, for {@code autoscaling.*}, the Service
   * spec) and what stops the rollout: {@code refusals} of the task (TaskDefinition paths) and
   * {@code serviceRefusals} (Service paths). With a refusal there are no objects.
   */
  public record Desired(
      List<GenericKubernetesResource> externalSecrets,
      HasMetadata workload,
      HorizontalPodAutoscaler autoscaler,
      PodDisruptionBudget disruptionBudget,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      List<Problem> serviceRefusals) {

    /** Every object, ExternalSecrets first (the workload reads their Secrets). */
    public List<HasMetadata> objects() {
      List<HasMetadata> out = new ArrayList<>(externalSecrets);
      if (workload != null) out.add(workload);
      if (autoscaler != null) out.add(autoscaler);
      if (disruptionBudget != null) out.add(disruptionBudget);
      return out;
    }

    /** Both kinds of refusal. */
    public List<Problem> allRefusals() {
      List<Problem> out = new ArrayList<>(refusals);
      out.addAll(serviceRefusals);
      return out;
    }
  }

  private ServiceChildren() {}

  /** The Service's objects for {@code in}. */
  public static Desired desired(Inputs in) {
    EcsService service = in.service();
    EcsServiceSpec spec = service.getSpec();
    ServicePlan plan = in.plan();
    boolean externalSecrets = in.externalSecretApiVersion() != null;
    PodTemplateRenderer.Result rendered =
        new PodTemplateRenderer()
            .render(
                new PodTemplateRenderer.Input(
                    plan.task(),
                    ServicePodMapping.launchType(spec),
                    in.cluster(),
                    in.podLevelResources(),
                    plan.serviceAccountName(),
                    externalSecrets,
                    PodTemplateRenderer.externalSecretBaseName(service.getMetadata().getName())));
    // the Service's own fields on the template: grace period, placement, managed EBS volumes
    rendered =
        ServicePodMapping.applyTo(
            rendered,
            new ServicePodMapping.Input(
                spec, plan.task(), in.cluster(), ChildMeta.selector(service)));
    List<StatusWarning> warnings =
        new ArrayList<>(NamedPaths.warnings(rendered.warnings(), plan.task()));
    warnings.addAll(ServiceAutoscaler.warnings(service));
    List<Problem> refusals = NamedPaths.problems(rendered.refusals(), plan.task());
    List<Problem> serviceRefusals = EcsServiceValidator.withRevision(spec, plan.task());
    if (!refusals.isEmpty() || !serviceRefusals.isEmpty()) {
      return new Desired(List.of(), null, null, null, warnings, refusals, serviceRefusals);
    }
    List<GenericKubernetesResource> secrets =
        externalSecrets
            ? ServiceExternalSecrets.desired(
                service, in.cluster(), rendered.externalSecrets(), in.externalSecretApiVersion())
            : List.of();
    List<String> secretNames = secrets.stream().map(es -> es.getMetadata().getName()).toList();
    PodTemplateSpec template = ServiceWorkload.labelled(rendered.template(), service, plan);
    HasMetadata workload =
        "DAEMON".equals(spec.schedulingStrategy)
            ? ServiceDaemonSet.desired(service, template, secretNames)
            : ServiceDeployment.desired(service, template, in.observedReplicas(), secretNames);
    return new Desired(
        secrets,
        workload,
        ServiceAutoscaler.desired(service).orElse(null),
        ServiceDisruptionBudget.desired(service).orElse(null),
        warnings,
        List.of(),
        List.of());
  }

  /**
   * Whether an API server of this version takes pod-level resources (beta and on by default since
   * Kubernetes 1.34).
   */
  public static boolean podLevelResources(int major, int minor) {
    return major > 1 || (major == 1 && minor >= 34);
  }
}
