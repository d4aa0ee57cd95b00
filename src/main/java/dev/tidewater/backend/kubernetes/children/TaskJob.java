package dev.tidewater.backend.kubernetes.children;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.NamedPaths;
import dev.tidewater.backend.kubernetes.render.MappingReasons;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer;
import dev.tidewater.backend.kubernetes.render.ServicePodMapping;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskOverrides;
import dev.tidewater.model.TaskValidator;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Job of a Task on the kubernetes backend (pure): the pod template from the renderer Services
 * use (so every mapping, warning and refusal is shared), with RunTask's overrides applied first,
 * and ECS's task semantics on top.
 *
 * <ul>
 *   <li>{@code completions} = {@code parallelism} = count, Indexed, {@code backoffLimitPerIndex: 0}
 *       and {@code restartPolicy: Never}: each task runs once and is never retried, and one task
 *       that fails does not stop the others (with a Job-wide {@code backoffLimit: 0} the Job
 *       controller would kill every running pod at the first failure, which RunTask never does);
 *   <li>non-essential containers that the renderer left as regular containers become native
 *       sidecars (init containers with {@code restartPolicy: Always}), so the pod ends when its
 *       essential containers end and the kubelet stops the sidecars with it, as ECS stops the other
 *       containers of a task whose essential container exited.
 * </ul>
 */
public final class TaskJob {

  /** Label on a Task's pods: the Task's name as a label value (the pod informer selects it). */
  public static final String TASK_LABEL = TidewaterLabels.TASK;

  /** Annotation on a Task's pods: the Task's exact name (the label value may be shortened). */
  public static final String TASK_ANNOTATION = TidewaterLabels.TASK;

  /**
   * Annotation on the Job: Kubernetes container name → ECS container name (JSON), so that a started
   * Task's pods are reported under their ECS names without its TaskDefinition.
   */
  public static final String CONTAINER_NAMES_ANNOTATION = "tidewater.dev/container-names";

  /** Annotation on the Job and its pods: the Task's startedBy (RunTask's; ECS has no other use). */
  public static final String STARTED_BY_ANNOTATION = "tidewater.dev/started-by";

  /** Annotation on the Job and its pods: the Task's group (RunTask's task group). */
  public static final String GROUP_ANNOTATION = "tidewater.dev/group";

  /** propagateTags has nothing to propagate to on the kubernetes backend. */
  public static final String PROPAGATE_TAGS_NOT_HONOURED = "PropagateTagsNotHonoured";

  /** A Task asked for something the Job cannot honour. */
  public static final String DELETION_POLICY_RETAIN_NOT_HONOURED = "RetainNotHonoured";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TaskJob() {}

  /**
   * What the Job depends on besides the Task and its plan.
   *
   * @param cluster the Cluster's spec (null: defaults)
   * @param podLevelResources whether the API server takes pod-level resources
   */
  public record Inputs(
      Task task, ClusterSpec cluster, TaskBackend.Plan plan, boolean podLevelResources) {}

  /**
   * The Job, or the refusals that stop it (then no Job), with what could not be honoured.
   *
   * @param containerNames Kubernetes container name → ECS container name
   */
  public record Desired(
      Job job,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      Map<String, String> containerNames) {}

  /** The Job's name: the Task's, as a DNS label (the Job controller labels pods with it). */
  public static String name(Task task) {
    return KubernetesNames.dnsLabel(task.getMetadata().getName());
  }

  /** The Job for {@code in}. */
  public static Desired desired(Inputs in) {
    Task task = in.task();
    TaskSpec spec = task.getSpec();
    TaskDefinitionSpec revision = TaskOverrides.apply(in.plan().task(), spec.overrides);
    List<Problem> refusals = new ArrayList<>(TaskValidator.withRevision(spec, in.plan().task()));
    PodTemplateRenderer.Result rendered =
        new PodTemplateRenderer()
            .render(
                new PodTemplateRenderer.Input(
                    revision,
                    spec.launchType,
                    in.cluster(),
                    in.podLevelResources(),
                    in.plan().serviceAccountName()));
    // RunTask's placement, capacity and exec fields are CreateService's: the Service mapping
    // places the pods and warns of what Kubernetes cannot honour, with the same paths
    rendered =
        ServicePodMapping.applyTo(
            rendered,
            new ServicePodMapping.Input(
                runTaskFields(spec),
                revision,
                in.cluster(),
                Map.of(TASK_LABEL, TidewaterLabels.value(task.getMetadata().getName()))));
    List<StatusWarning> warnings = new ArrayList<>();
    for (StatusWarning w : NamedPaths.warnings(rendered.warnings(), revision)) {
      // a Task's non-essential containers stop with the task (sidecars), as on ECS
      if (!MappingReasons.NON_ESSENTIAL_RESTARTED.equals(w.reason())) warnings.add(w);
    }
    if (spec.propagateTags != null && !"NONE".equals(spec.propagateTags)) {
      warnings.add(
          new StatusWarning(
              "spec.propagateTags",
              PROPAGATE_TAGS_NOT_HONOURED,
              "pods carry no AWS tags: the task definition's tags are not propagated to them"));
    }
    if ("Retain".equals(spec.deletionPolicy)) {
      warnings.add(
          new StatusWarning(
              "spec.deletionPolicy",
              DELETION_POLICY_RETAIN_NOT_HONOURED,
              "on the kubernetes backend the Job and its pods are garbage-collected with the Task"));
    }
    refusals.addAll(NamedPaths.problems(rendered.refusals(), revision));
    List<String> k8sNames = PodTemplateRenderer.containerNames(revision);
    Map<String, String> names = new LinkedHashMap<>();
    for (int i = 0; i < k8sNames.size(); i++) {
      names.put(k8sNames.get(i), revision.containerDefinitions.get(i).name);
    }
    if (!refusals.isEmpty()) {
      return new Desired(null, warnings, refusals, names);
    }
    PodTemplateSpec template = asTask(rendered.template(), revision, k8sNames);
    labelled(template, task, in.plan());
    int count = spec.count == null ? 1 : spec.count;
    Job job =
        new JobBuilder()
            .withMetadata(meta(task, names))
            .withNewSpec()
            .withCompletions(count)
            .withParallelism(count)
            .withCompletionMode("Indexed")
            .withBackoffLimitPerIndex(0)
            .withPodReplacementPolicy("Failed")
            .withManualSelector(false)
            .withTemplate(template)
            .endSpec()
            .build();
    return new Desired(job, warnings, List.of(), names);
  }

  /**
   * The fields RunTask shares with CreateService, as a Service spec for {@link ServicePodMapping}.
   */
  private static EcsServiceSpec runTaskFields(TaskSpec spec) {
    EcsServiceSpec s = new EcsServiceSpec();
    s.launchType = spec.launchType;
    s.capacityProviderStrategy = spec.capacityProviderStrategy;
    s.placementConstraints = spec.placementConstraints;
    s.placementStrategy = spec.placementStrategy;
    s.networkConfiguration = spec.networkConfiguration;
    s.platformVersion = spec.platformVersion;
    s.enableExecuteCommand = spec.enableExecuteCommand;
    s.enableECSManagedTags = spec.enableECSManagedTags;
    s.tags = spec.tags;
    return s;
  }

  private static ObjectMeta meta(Task task, Map<String, String> containerNames) {
    var m =
        new ObjectMetaBuilder()
            .withName(name(task))
            .withNamespace(task.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(TASK_LABEL, TidewaterLabels.value(task.getMetadata().getName()))
            .addToAnnotations(CONTAINER_NAMES_ANNOTATION, JSON.asJson(containerNames))
            .addToAnnotations(runAnnotations(task.getSpec()));
    if (task.getMetadata().getUid() != null) {
      m.addToOwnerReferences(OwnerReferences.controlledBy(task));
    }
    return m.build();
  }

  /** restartPolicy Never; non-essential regular containers as native sidecars. */
  private static PodTemplateSpec asTask(
      PodTemplateSpec rendered, TaskDefinitionSpec revision, List<String> k8sNames) {
    PodTemplateSpec t = JSON.clone(rendered);
    PodSpec pod = t.getSpec();
    pod.setRestartPolicy("Never");
    Set<String> nonEssential = new HashSet<>();
    for (int i = 0; i < revision.containerDefinitions.size(); i++) {
      ContainerDefinition d = revision.containerDefinitions.get(i);
      if (d.essential != null && !d.essential) nonEssential.add(k8sNames.get(i));
    }
    List<Container> regular = new ArrayList<>();
    List<Container> init =
        pod.getInitContainers() == null
            ? new ArrayList<>()
            : new ArrayList<>(pod.getInitContainers());
    for (Container c : pod.getContainers()) {
      if (nonEssential.contains(c.getName())) {
        c.setRestartPolicy("Always");
        init.add(c);
      } else {
        regular.add(c);
      }
    }
    pod.setInitContainers(init);
    pod.setContainers(regular);
    return t;
  }

  private static void labelled(PodTemplateSpec t, Task task, TaskBackend.Plan plan) {
    if (t.getMetadata() == null) t.setMetadata(new ObjectMeta());
    Map<String, String> labels = new LinkedHashMap<>();
    if (t.getMetadata().getLabels() != null) labels.putAll(t.getMetadata().getLabels());
    labels.put(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE);
    labels.put(TASK_LABEL, TidewaterLabels.value(task.getMetadata().getName()));
    labels.put(TidewaterLabels.TASK_DEFINITION, TidewaterLabels.value(plan.taskDefinitionName()));
    labels.put(TidewaterLabels.REVISION, String.valueOf(plan.revision()));
    t.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (t.getMetadata().getAnnotations() != null) {
      annotations.putAll(t.getMetadata().getAnnotations());
    }
    annotations.put(TASK_ANNOTATION, task.getMetadata().getName());
    annotations.putAll(runAnnotations(task.getSpec()));
    t.getMetadata().setAnnotations(annotations);
  }

  /** RunTask's startedBy and group, which Kubernetes has no field for, as annotations. */
  private static Map<String, String> runAnnotations(TaskSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    if (spec.startedBy != null) out.put(STARTED_BY_ANNOTATION, spec.startedBy);
    if (spec.group != null) out.put(GROUP_ANNOTATION, spec.group);
    return out;
  }

  /**
   * The Kubernetes → ECS container names a Job was made with ({@link #CONTAINER_NAMES_ANNOTATION});
   * empty for a Job without it (then the pods' names are reported as they are).
   */
  public static Map<String, String> containerNames(Job job) {
    var a = job.getMetadata().getAnnotations();
    String json = a == null ? null : a.get(CONTAINER_NAMES_ANNOTATION);
    if (json == null) return Map.of();
    try {
      Map<String, String> out = new LinkedHashMap<>();
      JSON.unmarshal(json, Map.class)
          .forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
      return out;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }
}
