package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.ExternalSecretEntry;
import dev.tidewater.controller.TidewaterLabels;
import dev.tidewater.model.Problem;
import dev.tidewater.model.Sha256;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Service as a Deployment (REPLICA) or DaemonSet (DAEMON), with an HPA for autoscaling and a PDB
 * when minimumHealthyPercent is below 100, and ExternalSecrets for SSM / Secrets Manager secrets
 * when the External Secrets Operator is installed; written by server-side apply only when the
 * desired object differs from the one last applied.
 *
 * <p>ExternalSecrets have no informer (their CRD may not exist): a Service that uses them costs one
 * GET per ExternalSecret per reconcile, and the workload's {@value #EXTERNAL_SECRETS_ANNOTATION}
 * annotation remembers which were applied so stale ones are deleted without a LIST.
 */
public class KubernetesServiceBackend implements ServiceBackend {

  /** Per-Service override of the rollout deadline (the circuit breaker's trip time). */
  public static final String PROGRESS_DEADLINE_ANNOTATION =
      "tidewater.dev/progress-deadline-seconds";

  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
  static final String SCALING_ANNOTATION = "tidewater.dev/scaling";
  static final String HANDOFF_MANAGER = "tidewater-replicas-handoff";

  /** The CRD whose presence turns SSM / Secrets Manager secrets into ExternalSecrets. */
  public static final String EXTERNAL_SECRET_CRD = "externalsecrets.external-secrets.io";

  static final String EXTERNAL_SECRET_GROUP = "external-secrets.io";

  /** Preferred first: current External Secrets Operator releases serve v1 only. */
  static final List<String> EXTERNAL_SECRET_VERSIONS = List.of("v1", "v1beta1");

  static final String EXTERNAL_SECRET_KIND = "ExternalSecret";
  static final String EXTERNAL_SECRETS_ANNOTATION = "tidewater.dev/external-secrets";
  static final String DEFAULT_PARAMETER_STORE = "aws-parameter-store";
  static final String DEFAULT_SECRETS_MANAGER = "aws-secrets-manager";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final PodTemplateRenderer renderer = new PodTemplateRenderer();
  private volatile Boolean podLevelResources;
  private final Duration crdCheckPeriod;
  private volatile CrdCheck crdCheck;

  /** The answer of one look-up of the ExternalSecret CRD, and when it was made. */
  private record CrdCheck(Optional<String> apiVersion, long atNanos) {}

  public KubernetesServiceBackend() {
    this(Duration.ofMinutes(2));
  }

  public KubernetesServiceBackend(Duration crdCheckPeriod) {
    this.crdCheckPeriod = crdCheckPeriod;
  }

  @Override
  public List<Integer> revisions(
      EcsService service, TaskDefinition taskDefinition, Context<EcsService> context) {
    return controllerRevisions(service, taskDefinition, context).stream()
        .map(r -> r.getRevision().intValue())
        .sorted()
        .toList();
  }

  @Override
  public Optional<Problem> waitingFor(
      EcsService service,
      TaskDefinition taskDefinition,
      int revision,
      Context<EcsService> context) {
    TaskDefinitionSpec spec = spec(service, taskDefinition, revision, context);
    if (spec.taskRoleRef == null || serviceAccount(service, spec, context).isPresent()) {
      return Optional.empty();
    }
    // without its ServiceAccount no pod is created, and the rollout would "fail"
    return Optional.of(
        new Problem(
            "taskRoleRef",
            "TaskRoleNotFound",
            "TaskRole " + spec.taskRoleRef.name + " does not exist or has no ServiceAccount yet"));
  }

  @Override
  public ServicePlan plan(
      EcsService service,
      TaskDefinition taskDefinition,
      int revision,
      Context<EcsService> context) {
    TaskDefinitionSpec spec = spec(service, taskDefinition, revision, context);
    String serviceAccount =
        spec.taskRoleRef == null ? null : serviceAccount(service, spec, context).orElseThrow();
    return new ServicePlan(revision, spec, taskDefinition.getMetadata().getName(), serviceAccount);
  }

  // read from the informers' caches by label / name: the secondary index only knows services that
  // existed when a revision or role last changed
  @SuppressWarnings("unchecked")
  private static <R extends HasMetadata> InformerEventSource<R, EcsService> informer(
      Context<EcsService> context, Class<R> type) {
    return (InformerEventSource<R, EcsService>)
        context.eventSourceRetriever().getEventSourceFor(type);
  }

  private static List<ControllerRevision> controllerRevisions(
      EcsService service, TaskDefinition taskDefinition, Context<EcsService> context) {
    String label = TidewaterLabels.value(taskDefinition.getMetadata().getName());
    return informer(context, ControllerRevision.class)
        .byIndex(
            TidewaterLabels.TASK_DEFINITION_INDEX,
            TidewaterLabels.taskDefinitionKey(service.getMetadata().getNamespace(), label));
  }

  private static TaskDefinitionSpec spec(
      EcsService service,
      TaskDefinition taskDefinition,
      int revision,
      Context<EcsService> context) {
    return controllerRevisions(service, taskDefinition, context).stream()
        .filter(r -> r.getRevision().intValue() == revision)
        .findFirst()
        .map(KubernetesTaskDefinitionBackend::specOf)
        .orElseThrow(() -> new IllegalArgumentException("no revision " + revision));
  }

  /** The ServiceAccount of the task role a revision names, once that TaskRole has one. */
  private static Optional<String> serviceAccount(
      EcsService service, TaskDefinitionSpec spec, Context<EcsService> context) {
    return informer(context, TaskRole.class)
        .get(new ResourceID(spec.taskRoleRef.name, service.getMetadata().getNamespace()))
        .map(r -> r.getStatus() == null ? null : r.getStatus().serviceAccountName);
  }

  @Override
  public ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Context<EcsService> context) {
    EcsServiceSpec spec = service.getSpec();
    KubernetesClient client = context.getClient();
    Optional<String> externalSecretVersion = externalSecretVersion(client);
    boolean externalSecrets = externalSecretVersion.isPresent();
    PodTemplateRenderer.Result rendered =
        renderer.render(
            new PodTemplateRenderer.Input(
                plan.task(),
                launchType(spec),
                cluster.spec(),
                podLevelResources(client),
                plan.serviceAccountName(),
                externalSecrets,
                PodTemplateRenderer.externalSecretBaseName(service.getMetadata().getName())));
    List<StatusWarning> warnings =
        new ArrayList<>(NamedPaths.warnings(rendered.warnings(), plan.task()));
    if (!rendered.refusals().isEmpty()) {
      return new ServiceObservation(
          null,
          null,
          null,
          plan.revision(),
          null,
          warnings,
          NamedPaths.problems(rendered.refusals(), plan.task()));
    }
    List<GenericKubernetesResource> secrets =
        externalSecrets(service, cluster.spec(), rendered.externalSecrets());
    externalSecretVersion.ifPresent(v -> secrets.forEach(es -> es.setApiVersion(v)));
    for (GenericKubernetesResource es : secrets) {
      applyIfChanged(client, es, observedExternalSecret(client, es));
    }
    Set<String> stale = appliedExternalSecrets(context);
    secrets.forEach(es -> stale.remove(es.getMetadata().getName()));
    String secretNames =
        String.join(",", secrets.stream().map(es -> es.getMetadata().getName()).toList());
    PodTemplateSpec template = labelled(rendered.template(), service, plan);
    boolean daemon = "DAEMON".equals(spec.schedulingStrategy);
    if (daemon) {
      DaemonSet desired = withExternalSecrets(daemonSet(service, template), secretNames);
      Optional<DaemonSet> observed = context.getSecondaryResource(DaemonSet.class);
      Optional<Problem> conflict = adoptOrRefuse(client, service, desired, observed);
      if (conflict.isPresent()) {
        return new ServiceObservation(
            null, null, null, plan.revision(), null, warnings, List.of(conflict.get()));
      }
      applyIfChanged(client, desired, observed);
    } else {
      Optional<Deployment> observed = context.getSecondaryResource(Deployment.class);
      Deployment desired =
          withExternalSecrets(
              deployment(
                  service, template, observed.map(d -> d.getSpec().getReplicas()).orElse(null)),
              secretNames);
      Optional<Problem> conflict = adoptOrRefuse(client, service, desired, observed);
      if (conflict.isPresent()) {
        return new ServiceObservation(
            null, null, null, plan.revision(), null, warnings, List.of(conflict.get()));
      }
      boolean scaledByHpa =
          observed.isPresent()
              && "autoscaling".equals(annotation(observed.get(), SCALING_ANNOTATION));
      if (spec.autoscaling != null && observed.isPresent() && !scaledByHpa) {
        handOffReplicas(client, desired, observed.get().getSpec().getReplicas());
      }
      applyIfChanged(client, desired, observed);
      if (spec.autoscaling != null && observed.isEmpty()) {
        // a new Deployment starts at desiredCount (or minTasks), as ECS does, not at 1
        handOffReplicas(
            client,
            desired,
            spec.desiredCount != null ? spec.desiredCount : Math.max(1, spec.autoscaling.minTasks));
      }
    }
    if (externalSecrets) {
      // after the workload stopped reading them; without the CRD they went with it
      String ns = service.getMetadata().getNamespace();
      String version = externalSecretVersion.orElseThrow();
      stale.forEach(name -> externalSecretClient(client, version, ns).withName(name).delete());
    }
    Optional<HorizontalPodAutoscaler> hpa =
        context.getSecondaryResource(HorizontalPodAutoscaler.class);
    if (spec.autoscaling != null && !daemon) {
      if (spec.autoscaling.minTasks == 0) {
        warnings.add(
            new StatusWarning(
                "autoscaling.minTasks",
                "ScaleToZeroNotSupported",
                "a HorizontalPodAutoscaler keeps at least 1 pod; minTasks 0 is applied as 1"));
      }
      applyIfChanged(client, hpa(service), hpa);
    } else {
      deleteIfPresent(client, hpa);
    }
    Optional<PodDisruptionBudget> pdb = context.getSecondaryResource(PodDisruptionBudget.class);
    Integer minHealthy =
        spec.deploymentConfiguration == null
            ? null
            : spec.deploymentConfiguration.minimumHealthyPercent;
    if (minHealthy != null && minHealthy < 100 && !daemon) {
      applyIfChanged(client, pdb(service, minHealthy), pdb);
    } else {
      deleteIfPresent(client, pdb);
    }
    ServiceObservation observation =
        daemon
            ? observe(context.getSecondaryResource(DaemonSet.class), warnings)
            : observeDeployment(context.getSecondaryResource(Deployment.class), warnings);
    // after a REPLICA <-> DAEMON switch the old workload goes only once the new one runs
    if (observation.rollout() == ServiceObservation.RolloutState.COMPLETED) {
      if (daemon) {
        deleteIfPresent(client, context.getSecondaryResource(Deployment.class));
      } else {
        deleteIfPresent(client, context.getSecondaryResource(DaemonSet.class));
      }
    }
    return observation;
  }

  /**
   * What {@link #desiredObjects} renders: the objects, and what could not be honoured or was
   * refused.
   */
  public record Desired(
      List<HasMetadata> objects, List<StatusWarning> warnings, List<Problem> refusals) {}

  /**
   * The objects this backend would apply for {@code plan}, without a cluster (the CLI's {@code
   * render}): the workload, and the HPA and PDB when the Service asks for them. Owner references
   * are left out (they need uids), and AWS secrets are not turned into ExternalSecrets.
   */
  public static Desired desiredObjects(
      EcsService service, ClusterSpec cluster, ServicePlan plan, boolean podLevelResources) {
    EcsServiceSpec spec = service.getSpec();
    PodTemplateRenderer.Result rendered =
        new PodTemplateRenderer()
            .render(
                new PodTemplateRenderer.Input(
                    plan.task(),
                    launchType(spec),
                    cluster,
                    podLevelResources,
                    plan.serviceAccountName(),
                    true, // as with the External Secrets Operator: without it AWS secrets refuse
                    PodTemplateRenderer.externalSecretBaseName(service.getMetadata().getName())));
    List<StatusWarning> warnings = NamedPaths.warnings(rendered.warnings(), plan.task());
    if (!rendered.refusals().isEmpty()) {
      return new Desired(
          List.of(), warnings, NamedPaths.problems(rendered.refusals(), plan.task()));
    }
    PodTemplateSpec template = labelled(rendered.template(), service, plan);
    boolean daemon = "DAEMON".equals(spec.schedulingStrategy);
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(daemon ? daemonSet(service, template) : deployment(service, template, null));
    if (spec.autoscaling != null && !daemon) {
      objects.add(hpa(service));
    }
    Integer minHealthy =
        spec.deploymentConfiguration == null
            ? null
            : spec.deploymentConfiguration.minimumHealthyPercent;
    if (minHealthy != null && minHealthy < 100 && !daemon) {
      objects.add(pdb(service, minHealthy));
    }
    objects.forEach(o -> o.getMetadata().setOwnerReferences(null));
    return new Desired(objects, warnings, List.of());
  }

  /**
   * A workload of the Service's name that exists but is not ours (not in our label-filtered cache,
   * no owner reference to this Service) is someone else's: refused as NameConflict unless {@code
   * spec.adopt} is true, when its spec is replaced by ours (a server-side apply alone would keep
   * the foreign containers). Read only when our cache has no such workload, so never in steady
   * state.
   */
  private static <T extends HasMetadata> Optional<Problem> adoptOrRefuse(
      KubernetesClient client, EcsService service, T desired, Optional<T> cached) {
    if (cached.isPresent()) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) desired.getClass();
    T existing =
        client
            .resources(type)
            .inNamespace(service.getMetadata().getNamespace())
            .withName(service.getMetadata().getName())
            .get();
    if (existing == null
        || existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> service.getMetadata().getUid().equals(o.getUid()))) {
      return Optional.empty();
    }
    if (!Boolean.TRUE.equals(service.getSpec().adopt)) {
      return Optional.of(
          new Problem(
              "adopt",
              "NameConflict",
              "a "
                  + type.getSimpleName()
                  + " named "
                  + service.getMetadata().getName()
                  + " already exists and is not this Service's; set spec.adopt: true to take it"
                  + " over"));
    }
    T replacement = JSON.clone(desired);
    replacement.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
    client.resource(replacement).update();
    return Optional.empty();
  }

  /**
   * Whether the API server takes pod-level resources (beta and on by default since Kubernetes
   * 1.34); asked once per operator process.
   */
  private boolean podLevelResources(KubernetesClient client) {
    Boolean known = podLevelResources;
    if (known == null) {
      var version = client.getKubernetesVersion();
      int major = Integer.parseInt(version.getMajor().replaceAll("\\D", ""));
      int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
      known = major > 1 || (major == 1 && minor >= 34);
      podLevelResources = known;
    }
    return known;
  }

  /**
   * Whether the ExternalSecret CRD is installed: read at most once per check period, so installing
   * or removing the External Secrets Operator is noticed without a restart. A failed read (for
   * example no permission to read CRDs) counts as not installed.
   */
  Optional<String> externalSecretVersion(KubernetesClient client) {
    CrdCheck last = crdCheck;
    long now = System.nanoTime();
    if (last != null && now - last.atNanos() < crdCheckPeriod.toNanos()) {
      return last.apiVersion();
    }
    Optional<String> version;
    try {
      var crd =
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(EXTERNAL_SECRET_CRD)
              .get();
      version =
          crd == null
              ? Optional.empty()
              : EXTERNAL_SECRET_VERSIONS.stream()
                  .filter(
                      v ->
                          crd.getSpec().getVersions().stream()
                              .anyMatch(cv -> v.equals(cv.getName()) && cv.getServed()))
                  .findFirst()
                  .map(v -> EXTERNAL_SECRET_GROUP + "/" + v);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403 && last != null) {
        // a transient error must not change pod templates: keep the last answer
        return last.apiVersion();
      }
      if (e.getCode() != 403) {
        throw e;
      }
      // not allowed to read CRDs: the operator cannot tell, so it does not use them
      version = Optional.empty();
    }
    crdCheck = new CrdCheck(version, now);
    return version;
  }

  /**
   * One ExternalSecret per target Secret the template reads, filled from the Cluster's
   * ClusterSecretStore of its kind; the target Secret is owned by (deleted with) the
   * ExternalSecret.
   */
  static List<GenericKubernetesResource> externalSecrets(
      EcsService service, ClusterSpec cluster, List<ExternalSecretEntry> entries) {
    Map<String, List<ExternalSecretEntry>> byTarget = new LinkedHashMap<>();
    entries.forEach(e -> byTarget.computeIfAbsent(e.target(), t -> new ArrayList<>()).add(e));
    List<GenericKubernetesResource> out = new ArrayList<>();
    byTarget.forEach(
        (target, list) -> {
          List<Map<String, Object>> data = new ArrayList<>();
          for (ExternalSecretEntry e : list) {
            Map<String, Object> remote = new LinkedHashMap<>();
            remote.put("key", e.remoteKey());
            if (e.property() != null) remote.put("property", e.property());
            if (e.version() != null) remote.put("version", e.version());
            data.add(Map.of("secretKey", e.secretKey(), "remoteRef", remote));
          }
          Map<String, Object> spec = new LinkedHashMap<>();
          spec.put("refreshInterval", "1h");
          spec.put(
              "secretStoreRef",
              Map.of(
                  "kind", "ClusterSecretStore", "name", store(cluster, list.get(0).storeKind())));
          spec.put("target", Map.of("name", target, "creationPolicy", "Owner"));
          spec.put("data", data);
          var meta = meta(service, null);
          meta.setName(target);
          out.add(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion(EXTERNAL_SECRET_GROUP + "/" + EXTERNAL_SECRET_VERSIONS.get(0))
                  .withKind(EXTERNAL_SECRET_KIND)
                  .withMetadata(meta)
                  .withAdditionalProperties(Map.of("spec", spec))
                  .build());
        });
    return out;
  }

  private static String store(ClusterSpec cluster, String storeKind) {
    var s = cluster == null ? null : cluster.secrets;
    boolean sm = PodTemplateRenderer.SECRETS_MANAGER.equals(storeKind);
    String named = s == null ? null : (sm ? s.secretsManager : s.parameterStore);
    if (named != null && !named.isBlank()) return named.strip();
    return sm ? DEFAULT_SECRETS_MANAGER : DEFAULT_PARAMETER_STORE;
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
      externalSecretClient(KubernetesClient client, String apiVersion, String namespace) {
    return client
        .genericKubernetesResources(apiVersion, EXTERNAL_SECRET_KIND)
        .inNamespace(namespace);
  }

  private static Optional<GenericKubernetesResource> observedExternalSecret(
      KubernetesClient client, GenericKubernetesResource desired) {
    return Optional.ofNullable(
        externalSecretClient(client, desired.getApiVersion(), desired.getMetadata().getNamespace())
            .withName(desired.getMetadata().getName())
            .get());
  }

  /** The ExternalSecrets the workloads say were applied for this Service. */
  private static Set<String> appliedExternalSecrets(Context<EcsService> context) {
    Set<String> names = new LinkedHashSet<>();
    for (Optional<? extends HasMetadata> w :
        List.of(
            context.getSecondaryResource(Deployment.class),
            context.getSecondaryResource(DaemonSet.class))) {
      w.map(o -> annotation(o, EXTERNAL_SECRETS_ANNOTATION))
          .filter(v -> !v.isBlank())
          .ifPresent(v -> names.addAll(Arrays.asList(v.split(","))));
    }
    return names;
  }

  private static <T extends HasMetadata> T withExternalSecrets(T workload, String names) {
    if (!names.isEmpty()) {
      if (workload.getMetadata().getAnnotations() == null) {
        workload.getMetadata().setAnnotations(new LinkedHashMap<>());
      }
      workload.getMetadata().getAnnotations().put(EXTERNAL_SECRETS_ANNOTATION, names);
    }
    return workload;
  }

  /** The launch type the Service asks for: launchType, or FARGATE from its capacity providers. */
  static String launchType(EcsServiceSpec spec) {
    if (spec.launchType != null) return spec.launchType;
    if (spec.capacityProviderStrategy != null
        && spec.capacityProviderStrategy.stream()
            .anyMatch(
                c -> c.capacityProvider != null && c.capacityProvider.startsWith("FARGATE"))) {
      return "FARGATE";
    }
    return spec.capacityProviderStrategy != null ? "EC2" : null;
  }

  private static PodTemplateSpec labelled(
      PodTemplateSpec template, EcsService service, ServicePlan plan) {
    PodTemplateSpec t = JSON.clone(template);
    if (t.getMetadata() == null) t.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    if (t.getMetadata().getLabels() != null) labels.putAll(t.getMetadata().getLabels());
    labels.putAll(selector(service));
    labels.put(TidewaterLabels.TASK_DEFINITION, TidewaterLabels.value(plan.taskDefinitionName()));
    labels.put(TidewaterLabels.REVISION, String.valueOf(plan.revision()));
    t.getMetadata().setLabels(labels);
    return t;
  }

  static Map<String, String> selector(EcsService service) {
    return Map.of(TidewaterLabels.SERVICE, TidewaterLabels.value(service.getMetadata().getName()));
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(
      EcsService service, String scaling) {
    var m =
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(service.getMetadata().getName())
            .withNamespace(service.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(
                TidewaterLabels.SERVICE, TidewaterLabels.value(service.getMetadata().getName()))
            .addToOwnerReferences(OwnerReferences.controlledBy(service));
    if (scaling != null) m.addToAnnotations(SCALING_ANNOTATION, scaling);
    return m.build();
  }

  private static Deployment deployment(
      EcsService service, PodTemplateSpec template, Integer observedReplicas) {
    EcsServiceSpec spec = service.getSpec();
    int max = 200;
    int min = 100;
    if (spec.deploymentConfiguration != null) {
      if (spec.deploymentConfiguration.maximumPercent != null)
        max = spec.deploymentConfiguration.maximumPercent;
      if (spec.deploymentConfiguration.minimumHealthyPercent != null)
        min = spec.deploymentConfiguration.minimumHealthyPercent;
    }
    int surge = Math.max(0, max - 100);
    int unavailable = Math.max(0, 100 - min);
    // under autoscaling the HPA owns replicas; without a desiredCount the last count stays (ECS
    // keeps it too) instead of dropping to 1
    Integer replicas =
        spec.autoscaling != null
            ? null
            : spec.desiredCount != null
                ? spec.desiredCount
                : observedReplicas != null ? observedReplicas : 1;
    IntOrString maxSurge =
        surge == 0 && unavailable == 0 ? new IntOrString(1) : new IntOrString(surge + "%");
    return new DeploymentBuilder()
        .withMetadata(meta(service, spec.autoscaling == null ? "desiredCount" : "autoscaling"))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(selector(service))
        .endSelector()
        .withTemplate(template)
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(maxSurge)
        .withMaxUnavailable(new IntOrString(unavailable + "%"))
        .endRollingUpdate()
        .endStrategy()
        .withProgressDeadlineSeconds(progressDeadline(service))
        .withRevisionHistoryLimit(3)
        .endSpec()
        .build();
  }

  private static DaemonSet daemonSet(EcsService service, PodTemplateSpec template) {
    EcsServiceSpec spec = service.getSpec();
    int min =
        spec.deploymentConfiguration == null
                || spec.deploymentConfiguration.minimumHealthyPercent == null
            ? 100
            : spec.deploymentConfiguration.minimumHealthyPercent;
    int unavailable = Math.max(1, 100 - min);
    return new DaemonSetBuilder()
        .withMetadata(meta(service, null))
        .withNewSpec()
        .withNewSelector()
        .withMatchLabels(selector(service))
        .endSelector()
        .withTemplate(template)
        .withNewUpdateStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxUnavailable(new IntOrString(unavailable + "%"))
        .endRollingUpdate()
        .endUpdateStrategy()
        .withRevisionHistoryLimit(3)
        .endSpec()
        .build();
  }

  private static int progressDeadline(EcsService service) {
    String v = annotation(service, PROGRESS_DEADLINE_ANNOTATION);
    if (v != null) {
      try {
        return Math.max(1, Integer.parseInt(v.trim()));
      } catch (NumberFormatException ignored) {
        // an unreadable override keeps the default
      }
    }
    return DEFAULT_PROGRESS_DEADLINE_SECONDS;
  }

  private static HorizontalPodAutoscaler hpa(EcsService service) {
    Autoscaling a = service.getSpec().autoscaling;
    List<MetricSpec> metrics = new ArrayList<>();
    if (a.targetCpuUtilization != null) metrics.add(utilization("cpu", a.targetCpuUtilization));
    if (a.targetMemoryUtilization != null)
      metrics.add(utilization("memory", a.targetMemoryUtilization));
    var b =
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(meta(service, null))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(service.getMetadata().getName())
            .endScaleTargetRef()
            .withMinReplicas(Math.max(1, a.minTasks))
            .withMaxReplicas(a.maxTasks)
            .withMetrics(metrics);
    if (a.scaleInCooldownSeconds != null || a.scaleOutCooldownSeconds != null) {
      var behavior = b.withNewBehavior();
      if (a.scaleInCooldownSeconds != null) {
        behavior
            .withNewScaleDown()
            .withStabilizationWindowSeconds(Math.min(3600, a.scaleInCooldownSeconds))
            .endScaleDown();
      }
      if (a.scaleOutCooldownSeconds != null) {
        behavior
            .withNewScaleUp()
            .withStabilizationWindowSeconds(Math.min(3600, a.scaleOutCooldownSeconds))
            .endScaleUp();
      }
      behavior.endBehavior();
    }
    return b.endSpec().build();
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

  private static PodDisruptionBudget pdb(EcsService service, int minHealthyPercent) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(meta(service, null))
        .withNewSpec()
        // maxUnavailable rounds up, so a single-task service still lets a node drain
        .withMaxUnavailable(new IntOrString((100 - minHealthyPercent) + "%"))
        .withNewSelector()
        .withMatchLabels(selector(service))
        .endSelector()
        .endSpec()
        .build();
  }

  /**
   * Before the HPA takes over, a separate field manager co-owns {@code spec.replicas} with the
   * current (or initial) value, so dropping the field from our apply does not reset it to 1.
   */
  private static void handOffReplicas(
      KubernetesClient client, Deployment desired, Integer replicas) {
    Deployment handoff =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(desired.getMetadata().getName())
            .withNamespace(desired.getMetadata().getNamespace())
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .endSpec()
            .build();
    client.resource(handoff).fieldManager(HANDOFF_MANAGER).forceConflicts().serverSideApply();
  }

  private static <T extends HasMetadata> void applyIfChanged(
      KubernetesClient client, T desired, Optional<T> observed) {
    String hash = hash(desired);
    if (observed.isPresent()
        && hash.equals(annotation(observed.get(), TidewaterLabels.APPLIED_HASH))) {
      return;
    }
    desired.getMetadata().getAnnotations().put(TidewaterLabels.APPLIED_HASH, hash);
    client
        .resource(desired)
        .fieldManager(TidewaterLabels.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }

  private static <T extends HasMetadata> void deleteIfPresent(
      KubernetesClient client, Optional<T> observed) {
    observed.ifPresent(o -> client.resource(o).delete());
  }

  private static String annotation(HasMetadata o, String key) {
    var a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
  }

  static String hash(HasMetadata desired) {
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    return Sha256.hex(JSON.asJson(desired), 24);
  }

  private static ServiceObservation observeDeployment(
      Optional<Deployment> observed, List<StatusWarning> warnings) {
    if (observed.isEmpty()) {
      return new ServiceObservation(
          null, 0, 0, null, ServiceObservation.RolloutState.IN_PROGRESS, warnings, List.of());
    }
    Deployment d = observed.get();
    var s = d.getStatus();
    int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    int ready = s == null || s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
    int total = s == null || s.getReplicas() == null ? 0 : s.getReplicas();
    int updated = s == null || s.getUpdatedReplicas() == null ? 0 : s.getUpdatedReplicas();
    int available = s == null || s.getAvailableReplicas() == null ? 0 : s.getAvailableReplicas();
    boolean current =
        s != null
            && s.getObservedGeneration() != null
            && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    boolean deadline =
        s != null
            && s.getConditions() != null
            && s.getConditions().stream()
                .anyMatch(
                    c ->
                        "Progressing".equals(c.getType())
                            && "False".equals(c.getStatus())
                            && "ProgressDeadlineExceeded".equals(c.getReason()));
    ServiceObservation.RolloutState state;
    if (current && deadline) state = ServiceObservation.RolloutState.FAILED;
    else if (current && updated == desired && available == desired && total == desired)
      state = ServiceObservation.RolloutState.COMPLETED;
    else state = ServiceObservation.RolloutState.IN_PROGRESS;
    return new ServiceObservation(
        desired,
        ready,
        Math.max(0, total - ready),
        revisionOf(d.getSpec().getTemplate()),
        state,
        warnings,
        List.of());
  }

  private static ServiceObservation observe(
      Optional<DaemonSet> observed, List<StatusWarning> warnings) {
    if (observed.isEmpty()) {
      return new ServiceObservation(
          null, 0, 0, null, ServiceObservation.RolloutState.IN_PROGRESS, warnings, List.of());
    }
    DaemonSet d = observed.get();
    var s = d.getStatus();
    int desired =
        s == null || s.getDesiredNumberScheduled() == null ? 0 : s.getDesiredNumberScheduled();
    int ready = s == null || s.getNumberReady() == null ? 0 : s.getNumberReady();
    int updated =
        s == null || s.getUpdatedNumberScheduled() == null ? 0 : s.getUpdatedNumberScheduled();
    boolean current =
        s != null
            && s.getObservedGeneration() != null
            && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    ServiceObservation.RolloutState state =
        current && updated == desired && ready == desired
            ? ServiceObservation.RolloutState.COMPLETED
            : ServiceObservation.RolloutState.IN_PROGRESS;
    return new ServiceObservation(
        desired,
        ready,
        Math.max(0, desired - ready),
        revisionOf(d.getSpec().getTemplate()),
        state,
        warnings,
        List.of());
  }

  private static Integer revisionOf(PodTemplateSpec template) {
    String v =
        template.getMetadata() == null || template.getMetadata().getLabels() == null
            ? null
            : template.getMetadata().getLabels().get(TidewaterLabels.REVISION);
    return v == null ? null : Integer.valueOf(v);
  }
}
