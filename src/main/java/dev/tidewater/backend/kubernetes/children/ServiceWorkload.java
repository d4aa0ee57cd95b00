package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Deployment and the DaemonSet of a Service share: the pod template with the Service's
 * labels, the annotation naming the ExternalSecrets the workload reads, and the rollout deadline.
 */
public final class ServiceWorkload {

  /** Per-Service override of the rollout deadline (the circuit breaker's trip time). */
  public static final String PROGRESS_DEADLINE_ANNOTATION =
      "tidewater.dev/progress-deadline-seconds";

  /** Who sets the Deployment's replicas: {@code desiredCount} or {@code autoscaling} (the HPA). */
  public static final String SCALING_ANNOTATION = "tidewater.dev/scaling";

  /**
   * The ExternalSecrets applied for the workload, comma-separated: stale ones are deleted without a
   * LIST.
   */
  public static final String EXTERNAL_SECRETS_ANNOTATION = "tidewater.dev/external-secrets";

  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private ServiceWorkload() {}

  /** The rendered template with the Service's selector and the revision's labels. */
  static PodTemplateSpec labelled(PodTemplateSpec template, EcsService service, ServicePlan plan) {
    PodTemplateSpec t = JSON.clone(template);
    if (t.getMetadata() == null) t.setMetadata(new ObjectMeta());
    Map<String, String> labels = new LinkedHashMap<>();
    if (t.getMetadata().getLabels() != null) labels.putAll(t.getMetadata().getLabels());
    labels.putAll(ChildMeta.selector(service));
    labels.put(TidewaterLabels.TASK_DEFINITION, TidewaterLabels.value(plan.taskDefinitionName()));
    labels.put(TidewaterLabels.REVISION, String.valueOf(plan.revision()));
    t.getMetadata().setLabels(labels);
    return t;
  }

  static <T extends HasMetadata> T withExternalSecrets(T workload, List<String> names) {
    if (!names.isEmpty()) {
      if (workload.getMetadata().getAnnotations() == null) {
        workload.getMetadata().setAnnotations(new LinkedHashMap<>());
      }
      workload
          .getMetadata()
          .getAnnotations()
          .put(EXTERNAL_SECRETS_ANNOTATION, String.join(",", names));
    }
    return workload;
  }

  static int progressDeadline(EcsService service) {
    var annotations = service.getMetadata().getAnnotations();
    String v = annotations == null ? null : annotations.get(PROGRESS_DEADLINE_ANNOTATION);
    if (v != null) {
      try {
        return Math.max(1, Integer.parseInt(v.trim()));
      } catch (NumberFormatException ignored) {
        // an unreadable override keeps the default
      }
    }
    return DEFAULT_PROGRESS_DEADLINE_SECONDS;
  }
}
