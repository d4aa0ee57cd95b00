package dev.tidewater.backend.kubernetes.render;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.KubernetesNames;
import dev.tidewater.backend.kubernetes.render.ContainerStartOrder.Role;
import dev.tidewater.model.PodSecurityGuardrails;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Renders a task definition revision as a Kubernetes pod template (pure).
 *
 * <p>Every field of the task definition is either mapped, approximated with a warning, refused
 * (guardrails) or documented as not applicable; docs/kubernetes-mapping.md has the full table and
 * the reasons ({@link MappingReasons}). The caller adds labels, selectors, owner references and the
 * workload around the template.
 */
public final class PodTemplateRenderer {

  /**
   * What to render: the revision's spec (already canonical: defaults filled), the launch type the
   * Service asks for ("FARGATE", "EC2", "EXTERNAL" or null = from requiresCompatibilities, first of
   * FARGATE/EC2), the Cluster spec (null = defaults: no placement, strict guardrails), whether the
   * API server supports pod-level resources (spec.resources on the Pod, Kubernetes >= 1.34 beta),
   * the ServiceAccount of the task role (null = none), whether the External Secrets Operator's
   * ExternalSecret kind is installed, and the name of the Secret(s) an ExternalSecret fills for
   * this workload (the base name: {@code -ssm} / {@code -sm} are appended when the task reads both
   * SSM and Secrets Manager).
   */
  public record Input(
      TaskDefinitionSpec task,
      String launchType,
      ClusterSpec cluster,
      boolean podLevelResources,
      String serviceAccountName,
      boolean externalSecrets,
      String externalSecretName) {

    /** An input for a cluster without the External Secrets Operator. */
    public Input(
        TaskDefinitionSpec task,
        String launchType,
        ClusterSpec cluster,
        boolean podLevelResources,
        String serviceAccountName) {
      this(task, launchType, cluster, podLevelResources, serviceAccountName, false, null);
    }
  }

  /**
   * The template, warnings for what was accepted but approximated or dropped, refusals (guardrail
   * violations) that must stop the rollout, and the entries of the ExternalSecrets the template's
   * secretKeyRefs read from (empty unless {@link Input#externalSecrets()}).
   */
  public record Result(
      PodTemplateSpec template,
      List<StatusWarning> warnings,
      List<Problem> refusals,
      List<ExternalSecretEntry> externalSecrets) {}

  /**
   * One key of an ExternalSecret's target Secret: where the External Secrets Operator reads it
   * ({@code storeKind} "ParameterStore" or "SecretsManager", {@code remoteKey}, the JSON {@code
   * property} and {@code version} of a Secrets Manager reference, null when absent). Only
   * references, never values.
   */
  public record ExternalSecretEntry(
      String target,
      String secretKey,
      String remoteKey,
      String property,
      String version,
      String storeKind) {}

  /** The {@code storeKind} of an SSM Parameter Store entry. */
  public static final String PARAMETER_STORE = "ParameterStore";

  /** The {@code storeKind} of a Secrets Manager entry. */
  public static final String SECRETS_MANAGER = "SecretsManager";

  /** The ExternalSecret (and target Secret) name of a workload's ECS secrets. */
  public static String externalSecretBaseName(String workload) {
    return KubernetesNames.dnsSubdomain(workload + "-ecs-secrets");
  }

  /** Prefix of the pod annotations that carry the containers' Docker labels. */
  public static final String DOCKER_LABEL_ANNOTATION_PREFIX = "ecs.tidewater.dev/docker-label.";

  /** The {@code valueFrom} prefix of a secret read from a Kubernetes Secret (Tidewater only). */
  public static final String K8S_SECRET_PREFIX = "k8s:secret/";

  /** ECS's and Kubernetes' default stop timeout / termination grace period, in seconds. */
  public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 30;

  /** The extended resource GPUs are requested as (NVIDIA device plugin). */
  public static final String GPU_RESOURCE = "nvidia.com/gpu";

  /** Renders {@code in}; never throws for a spec the schema admits. */
  public Result render(Input in) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(in.task(), "in.task");
    PodRendering r = new PodRendering(in);
    ContainerRendering containers = new ContainerRendering(r);
    NetworkRendering network = new NetworkRendering(r);
    SecurityRendering security = new SecurityRendering(r);
    UnmappedFields unmapped = new UnmappedFields(r);
    VolumeRendering volumes = new VolumeRendering(r);
    ResourceRendering resources = new ResourceRendering(r);
    EnvironmentRendering environment = new EnvironmentRendering(r);
    ProbeRendering probes = new ProbeRendering(r);
    DockerLabelAnnotations labels = new DockerLabelAnnotations(r);
    PlacementRendering placement = new PlacementRendering(r);

    // The order of the calls is the order of the warnings and refusals in the result.
    r.nameContainers();
    ContainerStartOrder order = ContainerStartOrder.of(r.defs, r.warnings, r.refusals);

    network.networkMode();
    security.hostNamespaces();
    // one place decides what the Cluster's guardrails refuse, for the validator and here
    r.refusals.addAll(PodSecurityGuardrails.check(in.task(), r.guardrailContext));
    unmapped.taskFields();
    volumes.taskVolumes();
    List<List<VolumeMount>> mounts = volumes.mounts();
    ResourceRendering.TaskResources shares = resources.taskResources(order);

    Container[] rendered = new Container[r.defs.size()];
    for (int i = 0; i < r.defs.size(); i++) {
      ContainerDefinition d = r.defs.get(i);
      Role role = order.role(i);
      Container k = containers.container(i, role);
      k.setEnv(environment.env(i, d));
      k.setPorts(network.ports(i, d));
      k.setResources(resources.containerResources(i, d, shares));
      k.setSecurityContext(security.containerContext(i, d));
      probes.probes(i, d, role, order.waitedForHealthy(i), k);
      k.setVolumeMounts(volumes.containerMounts(i, d, mounts.get(i)));
      labels.dockerLabels(i, d);
      security.systemControls(i, d);
      unmapped.containerFields(i, d);
      rendered[i] = k;
    }
    PodSpec pod = r.pod;
    List<Container> init = new ArrayList<>();
    order.initOrder().forEach(i -> init.add(rendered[i]));
    List<Container> regular = new ArrayList<>();
    order.containerOrder().forEach(i -> regular.add(rendered[i]));
    pod.setInitContainers(init);
    pod.setContainers(regular);
    pod.setVolumes(volumes.volumes());

    containers.terminationGracePeriod();
    network.dns();
    network.extraHosts();
    network.hostname();
    environment.pullSecrets();
    placement.place();
    pod.setServiceAccountName(PodRendering.blankToNull(in.serviceAccountName()));
    // ECS injects no <SERVICE>_SERVICE_HOST variables; they could also shadow the task's env.
    pod.setEnableServiceLinks(false);
    security.podSecurityContext();

    PodTemplateSpec template = new PodTemplateSpec();
    if (!labels.annotations().isEmpty()) {
      ObjectMeta meta = new ObjectMeta();
      meta.setAnnotations(labels.annotations());
      template.setMetadata(meta);
    }
    template.setSpec(pod);
    return new Result(
        template, List.copyOf(r.warnings), List.copyOf(r.refusals), environment.externalSecrets());
  }

  /**
   * The Kubernetes name of each container of {@code task}, in the order of containerDefinitions:
   * the names {@link #render} gives them, so a pod's container statuses map back to ECS names.
   */
  public static List<String> containerNames(TaskDefinitionSpec task) {
    PodRendering r = new PodRendering(new Input(task, null, null, false, null));
    r.nameContainers();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < r.defs.size(); i++) out.add(r.containerName(i));
    return out;
  }

  /**
   * The pod annotation of a Docker label: {@code ecs.tidewater.dev/docker-label.<key>} when that is
   * a valid annotation key (the part after the slash at most 63 characters of {@code
   * [A-Za-z0-9-_.]}); otherwise other characters become {@code '_'} and the name is cut to 54
   * characters plus {@code "-"} and 8 hex characters of SHA-256 over the key.
   */
  public static String dockerLabelAnnotation(String key) {
    return DockerLabelAnnotations.annotation(key);
  }
}
