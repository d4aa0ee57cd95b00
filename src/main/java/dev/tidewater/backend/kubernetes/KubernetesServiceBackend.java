package dev.tidewater.backend.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.ServiceRemoval;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.ServiceExternalSecrets;
import dev.tidewater.backend.kubernetes.children.ServiceWorkload;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.Problem;
import dev.tidewater.model.Sha256;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Service as a Deployment (REPLICA) or DaemonSet (DAEMON), with an HPA for autoscaling and a PDB
 * when minimumHealthyPercent is below 100, and ExternalSecrets for SSM / Secrets Manager secrets
 * when the External Secrets Operator is installed; written by server-side apply only when the
 * desired object differs from the one last applied.
 *
 * <p>The objects come from {@link ServiceChildren#desired}, the function {@code render} calls too;
 * what the operator learns from the API server (pod-level resources, the served ExternalSecret
 * version, the replicas of the Deployment already there) is that function's explicit input.
 *
 * <p>ExternalSecrets have no informer (their CRD may not exist): a Service that uses them costs one
 * GET per ExternalSecret per reconcile, and the workload's {@value
 * ServiceWorkload#EXTERNAL_SECRETS_ANNOTATION} annotation remembers which were applied so stale
 * ones are deleted without a LIST.
 */
public class KubernetesServiceBackend implements ServiceBackend {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private volatile Boolean podLevelResources;
  private final Duration crdCheckPeriod;
  private volatile CrdCheck crdCheck;

  /** The answer of one look-up of the ExternalSecret CRD, and when it was made. */
  private record CrdCheck(Optional<String> apiVersion, long atNanos) {}

  private final KubernetesClient client;
  private final RevisionSpecs revisionSpecs;
  private final RenderedServices rendered;

  public KubernetesServiceBackend() {
    this(Duration.ofMinutes(2), null, new RevisionSpecs(0), 0);
  }

  /**
   * @param client the operator's writes and the GETs past the caches
   * @param revisionSpecs the parsed revisions, shared with the other kinds that run revisions
   * @param rememberedServices how many Services' last render is remembered ({@link
   *     RenderedServices})
   */
  public KubernetesServiceBackend(
      Duration crdCheckPeriod,
      KubernetesClient client,
      RevisionSpecs revisionSpecs,
      int rememberedServices) {
    this.crdCheckPeriod = crdCheckPeriod;
    this.client = client;
    this.revisionSpecs = revisionSpecs;
    this.rendered = new RenderedServices(rememberedServices);
  }

  @Override
  public String workloadName(EcsService service) {
    return service.getMetadata().getName();
  }

  @Override
  public List<Problem> secretSourcesRefused(
      TaskDefinitionSpec task, ResolvedCluster cluster, TenancyCeiling ceiling) {
    return TenancyChecks.secretStores(task, cluster.spec().secrets, ceiling);
  }

  @Override
  public List<Integer> revisions(EcsService service, TaskDefinition taskDefinition, Caches caches) {
    return controllerRevisions(service, taskDefinition, caches).stream()
        .map(r -> r.getRevision().intValue())
        .sorted()
        .toList();
  }

  @Override
  public Optional<Problem> waitingFor(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    TaskDefinitionSpec spec = spec(controllerRevision(service, taskDefinition, revision, caches));
    if (spec.taskRoleRef == null || serviceAccount(service, spec, caches).isPresent()) {
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
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    ControllerRevision source = controllerRevision(service, taskDefinition, revision, caches);
    TaskDefinitionSpec spec = spec(source);
    String serviceAccount =
        spec.taskRoleRef == null ? null : serviceAccount(service, spec, caches).orElseThrow();
    return new ServicePlan(
        revision,
        spec,
        taskDefinition.getMetadata().getName(),
        serviceAccount,
        null,
        true,
        identity(source));
  }

  private static List<ControllerRevision> controllerRevisions(
      EcsService service, TaskDefinition taskDefinition, Caches caches) {
    String label = TidewaterLabels.value(taskDefinition.getMetadata().getName());
    // by label from the cache: the secondary index only knows services that existed when a
    // revision last changed
    return caches.revisionsOf(service.getMetadata().getNamespace(), label);
  }

  private static ControllerRevision controllerRevision(
      EcsService service, TaskDefinition taskDefinition, int revision, Caches caches) {
    return controllerRevisions(service, taskDefinition, caches).stream()
        .filter(r -> r.getRevision().intValue() == revision)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no revision " + revision));
  }

  /** The spec {@code revision} holds: parsed once per revision (shared, read only). */
  private TaskDefinitionSpec spec(ControllerRevision revision) {
    return revisionSpecs.specOf(revision);
  }

  /**
   * What identifies a revision's content: its uid and resourceVersion (the API server refuses any
   * change to a ControllerRevision's data; the version is taken anyway), or null when it has
   * neither (made outside an API server).
   */
  static String identity(ControllerRevision revision) {
    var meta = revision.getMetadata();
    return meta.getUid() == null || meta.getResourceVersion() == null
        ? null
        : meta.getUid() + "/" + meta.getResourceVersion();
  }

  /** The ServiceAccount of the task role a revision names, once that TaskRole has one. */
  private static Optional<String> serviceAccount(
      EcsService service, TaskDefinitionSpec spec, Caches caches) {
    return caches
        .taskRole(service.getMetadata().getNamespace(), spec.taskRoleRef.name)
        .map(r -> r.getStatus() == null ? null : r.getStatus().serviceAccountName);
  }

  @Override
  public ServiceObservation apply(
      EcsService service, ResolvedCluster cluster, ServicePlan plan, Caches caches) {
    return apply(
        service,
        cluster.spec(),
        plan,
        podLevelResources(client),
        externalSecretVersion(client).orElse(null),
        new InformerServiceChildStore(client, caches),
        rendered);
  }

  @Override
  public CutOver.Side observeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    return side(new InformerServiceChildStore(client, caches));
  }

  /** What the Service's workload in {@code store} runs, as one side of a migration. */
  static CutOver.Side side(ServiceChildStore store) {
    ServiceObservation o;
    if (store.deployment().isPresent()) {
      o = observeDeployment(store.deployment(), List.of());
    } else if (store.daemonSet().isPresent()) {
      o = observe(store.daemonSet(), List.of());
    } else {
      return CutOver.Side.NONE;
    }
    return CutOver.Side.running(
        o.desired(), o.running(), o.rollout() == ServiceObservation.RolloutState.FAILED);
  }

  @Override
  public void scaleTo(
      EcsService service,
      ResolvedCluster cluster,
      int count,
      boolean keepAutoscaling,
      Caches caches) {
    scaleTo(new InformerServiceChildStore(client, caches), count, keepAutoscaling);
  }

  /**
   * The Deployment to {@code count} under the hand-off field manager, its HPA gone first unless
   * kept (it would scale it back); the next apply takes the count back (forced) and makes the HPA
   * again.
   */
  static void scaleTo(ServiceChildStore store, int count, boolean keepAutoscaling) {
    if (!keepAutoscaling) store.autoscaler().ifPresent(store::delete);
    store
        .deployment()
        .filter(d -> !Integer.valueOf(count).equals(d.getSpec().getReplicas()))
        .ifPresent(
            d ->
                store.handOffReplicas(
                    d.getMetadata().getNamespace(), d.getMetadata().getName(), count));
  }

  @Override
  public ServiceRemoval removeSide(EcsService service, ResolvedCluster cluster, Caches caches) {
    ServiceChildStore store = new InformerServiceChildStore(client, caches);
    if (!"Retain".equals(service.getSpec().deletionPolicy)) {
      // the secrets it synced into the namespace go with the side (read before the workload)
      externalSecretVersion(client)
          .ifPresent(
              v ->
                  appliedExternalSecrets(store)
                      .forEach(
                          n ->
                              store.deleteExternalSecret(
                                  v, service.getMetadata().getNamespace(), n)));
    }
    return removeSide(service, store);
  }

  /** The workload, its HPA and PDB deleted (Retain: the Deployment kept at zero). */
  static ServiceRemoval removeSide(EcsService service, ServiceChildStore store) {
    if ("Retain".equals(service.getSpec().deletionPolicy)) {
      scaleTo(store, 0, false);
      return ServiceRemoval.complete();
    }
    store.autoscaler().ifPresent(store::delete);
    store.disruptionBudget().ifPresent(store::delete);
    store.deployment().ifPresent(store::delete);
    store.daemonSet().ifPresent(store::delete);
    return ServiceRemoval.complete();
  }

  /**
   * Applies the Service's objects through {@code store}: what the operator does once it knows
   * whether the API server has pod-level resources and which ExternalSecret version it serves (null
   * = none). Writes only objects whose applied hash changed (rule 1).
   */
  public static ServiceObservation apply(
      EcsService service,
      ClusterSpec cluster,
      ServicePlan plan,
      boolean podLevelResources,
      String externalSecretApiVersion,
      ServiceChildStore store) {
    return apply(service, cluster, plan, podLevelResources, externalSecretApiVersion, store, null);
  }

  /**
   * As {@link #apply(EcsService, ClusterSpec, ServicePlan, boolean, String, ServiceChildStore)},
   * skipping the render when {@code memo} knows these inputs and finds the children as they were
   * applied ({@link RenderedServices}; null: always render).
   */
  static ServiceObservation apply(
      EcsService service,
      ClusterSpec cluster,
      ServicePlan plan,
      boolean podLevelResources,
      String externalSecretApiVersion,
      ServiceChildStore store,
      RenderedServices memo) {
    EcsServiceSpec spec = service.getSpec();
    Optional<Deployment> observedDeployment = store.deployment();
    Integer observedReplicas = observedDeployment.map(d -> d.getSpec().getReplicas()).orElse(null);
    String uid = service.getMetadata().getUid();
    String inputs =
        memo == null
            ? null
            : RenderedServices.inputs(
                service,
                cluster,
                plan,
                podLevelResources,
                externalSecretApiVersion,
                observedReplicas);
    if (inputs != null) {
      RenderedServices.Entry known = memo.get(uid, inputs);
      Optional<ServiceObservation> unchanged =
          known == null
              ? Optional.empty()
              : unchanged(uid, known, spec, store, observedDeployment, memo);
      if (unchanged.isPresent()) {
        memo.skippedRender();
        return unchanged.get();
      }
    }
    ServiceChildren.Desired desired =
        ServiceChildren.desired(
            new ServiceChildren.Inputs(
                service,
                cluster,
                plan,
                podLevelResources,
                externalSecretApiVersion,
                observedReplicas));
    List<StatusWarning> warnings = new ArrayList<>(desired.warnings());
    if (inputs != null) {
      // remembered again below unless this pass does more than apply its objects
      memo.forget(uid);
    }
    if (!desired.allRefusals().isEmpty()) {
      return new ServiceObservation(
          null, null, null, plan.revision(), null, warnings, desired.allRefusals());
    }
    String ns = service.getMetadata().getNamespace();
    for (GenericKubernetesResource es : desired.externalSecrets()) {
      applyIfChanged(
          store, es, store.externalSecret(es.getApiVersion(), ns, es.getMetadata().getName()));
    }
    Set<String> stale = appliedExternalSecrets(store);
    // a pass that reads or deletes ExternalSecrets (GETs, no informer) is never skipped
    boolean rememberable = desired.externalSecrets().isEmpty() && stale.isEmpty();
    desired.externalSecrets().forEach(es -> stale.remove(es.getMetadata().getName()));
    boolean daemon = desired.workload() instanceof DaemonSet;
    RenderedServices.Child workload;
    if (desired.workload() instanceof DaemonSet daemonSet) {
      Optional<DaemonSet> observed = store.daemonSet();
      Optional<Problem> conflict = adoptOrRefuse(store, service, daemonSet, observed);
      if (conflict.isPresent()) {
        return new ServiceObservation(
            null, null, null, plan.revision(), null, warnings, List.of(conflict.get()));
      }
      workload = applyIfChanged(store, daemonSet, observed);
    } else {
      Deployment deployment = (Deployment) desired.workload();
      Optional<Problem> conflict = adoptOrRefuse(store, service, deployment, observedDeployment);
      if (conflict.isPresent()) {
        return new ServiceObservation(
            null, null, null, plan.revision(), null, warnings, List.of(conflict.get()));
      }
      if (spec.autoscaling != null
          && observedDeployment.isPresent()
          && !scaledByHpa(observedDeployment.get())) {
        // before the HPA takes over, the hand-off manager co-owns the current count
        store.handOffReplicas(
            ns,
            deployment.getMetadata().getName(),
            observedDeployment.get().getSpec().getReplicas());
        rememberable = false;
      }
      workload = applyIfChanged(store, deployment, observedDeployment);
      if (spec.autoscaling != null && observedDeployment.isEmpty()) {
        // a new Deployment starts at desiredCount (or minTasks), as ECS does, not at 1
        store.handOffReplicas(
            ns,
            deployment.getMetadata().getName(),
            spec.desiredCount != null ? spec.desiredCount : Math.max(1, spec.autoscaling.minTasks));
        rememberable = false;
      }
    }
    if (externalSecretApiVersion != null) {
      // after the workload stopped reading them; without the CRD they went with it
      stale.forEach(name -> store.deleteExternalSecret(externalSecretApiVersion, ns, name));
    }
    RenderedServices.Child autoscaler = null;
    if (desired.autoscaler() != null) {
      autoscaler = applyIfChanged(store, desired.autoscaler(), store.autoscaler());
    } else if (store.autoscaler().isPresent()) {
      store.delete(store.autoscaler().get());
      rememberable = false;
    }
    RenderedServices.Child disruptionBudget = null;
    if (desired.disruptionBudget() != null) {
      disruptionBudget =
          applyIfChanged(store, desired.disruptionBudget(), store.disruptionBudget());
    } else if (store.disruptionBudget().isPresent()) {
      store.delete(store.disruptionBudget().get());
      rememberable = false;
    }
    ServiceObservation observation =
        daemon
            ? observe(store.daemonSet(), warnings)
            : observeDeployment(store.deployment(), warnings);
    // after a REPLICA <-> DAEMON switch the old workload goes only once the new one runs
    if (observation.rollout() == ServiceObservation.RolloutState.COMPLETED) {
      Optional<? extends HasMetadata> old = daemon ? store.deployment() : store.daemonSet();
      if (old.isPresent()) {
        store.delete(old.get());
        rememberable = false;
      }
    }
    if (inputs != null && rememberable) {
      memo.remember(
          uid,
          new RenderedServices.Entry(
              inputs,
              List.copyOf(desired.warnings()),
              daemon,
              workload,
              autoscaler,
              disruptionBudget));
    }
    return observation;
  }

  /**
   * What {@link #apply} would find when {@code known} holds for the Service: the observation, with
   * nothing to write; empty when any child is not as that pass left it (absent, another applied
   * hash, other fields owned, an object to delete or a replica hand-off due), and the full pass
   * decides. A child the last pass wrote is checked as the full pass checks a render; once it
   * holds, the entry keeps the digest of its owned fields instead of what was sent.
   */
  private static Optional<ServiceObservation> unchanged(
      String uid,
      RenderedServices.Entry known,
      EcsServiceSpec spec,
      ServiceChildStore store,
      Optional<Deployment> observedDeployment,
      RenderedServices memo) {
    // each child read once: every read is a look-up in the Operator SDK's caches
    Optional<DaemonSet> daemonSet = store.daemonSet();
    if (!appliedExternalSecrets(observedDeployment, daemonSet).isEmpty()) {
      return Optional.empty();
    }
    List<StatusWarning> warnings = new ArrayList<>(known.warnings());
    ServiceObservation observation;
    Optional<? extends HasMetadata> other;
    RenderedServices.Child workload;
    if (known.daemon()) {
      workload = asLeft(daemonSet, known.workload());
      if (workload == null) return Optional.empty();
      observation = observe(daemonSet, warnings);
      other = observedDeployment;
    } else {
      workload = asLeft(observedDeployment, known.workload());
      if (workload == null
          || (spec.autoscaling != null && !scaledByHpa(observedDeployment.get()))) {
        return Optional.empty();
      }
      observation = observeDeployment(observedDeployment, warnings);
      other = daemonSet;
    }
    if (other.isPresent() && observation.rollout() == ServiceObservation.RolloutState.COMPLETED) {
      return Optional.empty();
    }
    Optional<HorizontalPodAutoscaler> observedAutoscaler = store.autoscaler();
    RenderedServices.Child autoscaler = null;
    if (known.autoscaler() != null) {
      autoscaler = asLeft(observedAutoscaler, known.autoscaler());
      if (autoscaler == null) return Optional.empty();
    } else if (observedAutoscaler.isPresent()) {
      return Optional.empty();
    }
    Optional<PodDisruptionBudget> observedBudget = store.disruptionBudget();
    RenderedServices.Child disruptionBudget = null;
    if (known.disruptionBudget() != null) {
      disruptionBudget = asLeft(observedBudget, known.disruptionBudget());
      if (disruptionBudget == null) return Optional.empty();
    } else if (observedBudget.isPresent()) {
      return Optional.empty();
    }
    if (workload != known.workload()
        || autoscaler != known.autoscaler()
        || disruptionBudget != known.disruptionBudget()) {
      memo.remember(
          uid,
          new RenderedServices.Entry(
              known.inputs(),
              known.warnings(),
              known.daemon(),
              workload,
              autoscaler,
              disruptionBudget));
    }
    return Optional.of(observation);
  }

  /**
   * {@code left} when {@code observed} is as the last pass left it: there, with its applied hash,
   * and with the owned fields it was found with or, written by that pass, owning every field that
   * was sent (then the child as found now); null otherwise.
   */
  private static RenderedServices.Child asLeft(
      Optional<? extends HasMetadata> observed, RenderedServices.Child left) {
    if (observed.isEmpty()
        || !left.appliedHash().equals(annotation(observed.get(), TidewaterLabels.APPLIED_HASH))) {
      return null;
    }
    if (left.owned() != null) {
      return left.owned().equals(AppliedFields.ownedDigest(observed.get())) ? left : null;
    }
    if (AppliedFields.lostField(() -> sent(left), observed.get()).isPresent()) {
      return null;
    }
    return RenderedServices.Child.found(
        left.appliedHash(), AppliedFields.ownedDigest(observed.get()));
  }

  /** What a pass sent, as its drift check sees the object: with the applied-hash annotation. */
  private static JsonNode sent(RenderedServices.Child written) {
    ObjectNode sent = (ObjectNode) JSON.unmarshal(written.sent(), JsonNode.class);
    ObjectNode metadata =
        sent.get("metadata") instanceof ObjectNode m ? m : sent.putObject("metadata");
    ObjectNode annotations =
        metadata.get("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations");
    annotations.put(TidewaterLabels.APPLIED_HASH, written.appliedHash());
    return sent;
  }

  /** Whether the HPA has taken the Deployment's replicas over. */
  private static boolean scaledByHpa(Deployment observed) {
    return "autoscaling".equals(annotation(observed, ServiceWorkload.SCALING_ANNOTATION));
  }

  /**
   * A workload of the Service's name that exists but is not ours (not in our label-filtered cache,
   * no owner reference to this Service) is someone else's: refused as NameConflict unless {@code
   * spec.adopt} is true, when its spec is replaced by ours (a server-side apply alone would keep
   * the foreign containers). Read only when our cache has no such workload, so never in steady
   * state.
   */
  private static <T extends HasMetadata> Optional<Problem> adoptOrRefuse(
      ServiceChildStore store, EcsService service, T desired, Optional<T> cached) {
    if (cached.isPresent()) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) desired.getClass();
    T existing =
        store
            .uncached(type, service.getMetadata().getNamespace(), service.getMetadata().getName())
            .orElse(null);
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
    store.replace(replacement);
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
      known = ServiceChildren.podLevelResources(major, minor);
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
              .withName(ServiceExternalSecrets.CRD)
              .get();
      version =
          crd == null
              ? Optional.empty()
              : ServiceExternalSecrets.VERSIONS.stream()
                  .filter(
                      v ->
                          crd.getSpec().getVersions().stream()
                              .anyMatch(cv -> v.equals(cv.getName()) && cv.getServed()))
                  .findFirst()
                  .map(v -> ServiceExternalSecrets.GROUP + "/" + v);
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

  /** The ExternalSecrets the workloads say were applied for this Service. */
  private static Set<String> appliedExternalSecrets(ServiceChildStore store) {
    return appliedExternalSecrets(store.deployment(), store.daemonSet());
  }

  private static Set<String> appliedExternalSecrets(
      Optional<Deployment> deployment, Optional<DaemonSet> daemonSet) {
    Set<String> names = new LinkedHashSet<>();
    for (Optional<? extends HasMetadata> w : List.of(deployment, daemonSet)) {
      w.map(o -> annotation(o, ServiceWorkload.EXTERNAL_SECRETS_ANNOTATION))
          .filter(v -> v != null && !v.isBlank())
          .ifPresent(v -> names.addAll(Arrays.asList(v.split(","))));
    }
    return names;
  }

  /**
   * Applies {@code desired} unless the observed object carries its hash (we applied exactly this)
   * and our field manager still owns every field of it: a field someone else changed or removed
   * ({@code kubectl scale}, {@code set image}, {@code edit}) is restored on the change event that
   * woke this reconcile, while a change outside our fields (another manager's annotation, status)
   * writes nothing.
   *
   * @return the child as found (nothing written) or as written
   */
  private static <T extends HasMetadata> RenderedServices.Child applyIfChanged(
      ServiceChildStore store, T desired, Optional<T> observed) {
    if (desired.getMetadata().getAnnotations() == null) {
      desired.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    String json = JSON.asJson(desired);
    String hash = Sha256.hex(json, 24);
    desired.getMetadata().getAnnotations().put(TidewaterLabels.APPLIED_HASH, hash);
    if (observed.isPresent()
        && hash.equals(annotation(observed.get(), TidewaterLabels.APPLIED_HASH))
        && !AppliedFields.drifted(desired, observed.get())) {
      return RenderedServices.Child.found(hash, AppliedFields.ownedDigest(observed.get()));
    }
    store.apply(desired);
    return RenderedServices.Child.written(hash, json);
  }

  private static String annotation(HasMetadata o, String key) {
    var a = o.getMetadata().getAnnotations();
    return a == null ? null : a.get(key);
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
