package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServiceObservation.RolloutState;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.render.MappingReasons;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.PodSecurityGuardrails;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs a Service: picks the TaskDefinition revision (latest, pinned, or the stable one after a
 * rollback), has the backend apply it, and reports counts, revision and rollout state.
 */
@ControllerConfiguration(name = "service")
public class ServiceReconciler
    implements Reconciler<EcsService>, ShardNamespaces.Sharded<EcsService> {

  /** When a Service whose backend call failed (AWS error) is tried again. */
  static final Duration FAILURE_RETRY = Duration.ofSeconds(15);

  /** How often a wait the backend cannot shorten (an ECS service draining) is looked at. */
  static final Duration WAIT_POLL = Duration.ofSeconds(10);

  /** The Progressing reason of a rollout under way, whose status only its counts change. */
  static final String ROLLING_OUT = "RollingOut";

  /** The status fields a rollout moves through: a change of these alone is paced. */
  static final Set<String> COUNTS = Set.of("desiredCount", "runningCount", "pendingCount");

  /**
   * How long a status that only reports a rollout's progress may be held (see {@link #record});
   * {@code tidewater.status.progress-interval}.
   */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final ProgressPacing pacing;
  private final StatusRecorder status;
  private final BackendFactory backends;
  private final EcsServiceValidator validator = new EcsServiceValidator();
  private final ReconcileMetrics metrics;
  private final TenancyPolicies tenancy;
  private final ServiceMigration migration = new ServiceMigration(Clock.systemUTC());
  // the operator's one cache per kind: the sources below and the backend's look-ups across the
  // namespace (by label or name) read them
  private final SharedInformers informers;

  @Inject
  public ServiceReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers,
      @ConfigProperty(name = "tidewater.status.progress-interval", defaultValue = "10s")
          Duration progressInterval) {
    this(backends, metrics, tenancy, informers, Clock.systemUTC(), progressInterval);
  }

  /** With the default progress interval (tests). */
  ServiceReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this(backends, metrics, tenancy, informers, Clock.systemUTC(), PROGRESS_INTERVAL);
  }

  /** On {@code clock}, the one the progress of rollouts is paced by (tests). */
  ServiceReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers,
      Clock clock,
      Duration progressInterval) {
    this.backends = backends;
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.informers = informers;
    this.pacing = new ProgressPacing(clock, progressInterval);
    this.status = new StatusRecorder(clock, pacing);
  }

  private static String taskDefinitionName(EcsService s) {
    return s.getSpec() == null || s.getSpec().taskDefinitionRef == null
        ? null
        : s.getSpec().taskDefinitionRef.name;
  }

  /** Primaries of this controller in {@code namespace} matching {@code which}. */
  private static Set<ResourceID> services(
      EventSourceContext<EcsService> context, String namespace, Predicate<EcsService> which) {
    return context
        .getPrimaryCache()
        .list(namespace)
        .filter(which)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** The Services of {@code namespace} whose TaskDefinition has the label value {@code label}. */
  private static List<EcsService> servicesOf(
      EventSourceContext<EcsService> context, String namespace, String label) {
    return context
        .getPrimaryCache()
        .byIndex(
            TidewaterLabels.TASK_DEFINITION_INDEX,
            TidewaterLabels.taskDefinitionKey(namespace, label));
  }

  @Override
  public List<EventSource<?, EcsService>> prepareEventSources(
      EventSourceContext<EcsService> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            TidewaterLabels.TASK_DEFINITION_INDEX,
            s ->
                taskDefinitionName(s) == null
                    ? List.of()
                    : List.of(
                        TidewaterLabels.taskDefinitionKey(
                            s.getMetadata().getNamespace(),
                            TidewaterLabels.value(taskDefinitionName(s)))));
    List<EventSource<?, EcsService>> sources = new ArrayList<>();
    sources.addAll(
        RevisionInputSources.of(
            context,
            informers,
            ServiceReconciler::taskDefinitionName,
            (namespace, label) -> servicesOf(context, namespace, label).stream(),
            role ->
                services(
                    context,
                    role.getMetadata().getNamespace(),
                    s ->
                        taskRoleOf(s)
                            .map(n -> n.equals(role.getMetadata().getName()))
                            .orElse(false))));
    // a route's target group (ecs) is part of the Service's loadBalancers: a new or changed route
    // re-reconciles the Service it targets
    sources.add(
        SharedEventSource.of(
            context,
            informers.routes(),
            (LoadBalancerRoute r) ->
                routeTarget(r) == null
                    ? Set.of()
                    : Set.of(new ResourceID(routeTarget(r), r.getMetadata().getNamespace())),
            (EcsService s) -> Set.of()));
    sources.add(
        ClusterEventSources.create(
            context, informers, s -> s.getSpec() == null ? null : s.getSpec().clusterRef));
    sources.add(OwnedEventSources.owned(Deployment.class, context));
    sources.add(OwnedEventSources.owned(DaemonSet.class, context));
    sources.add(OwnedEventSources.owned(HorizontalPodAutoscaler.class, context));
    sources.add(OwnedEventSources.owned(PodDisruptionBudget.class, context));
    return sources;
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<EcsService> context) {
    return new EventRecorder(context.getClient());
  }

  /** What the Service's backend reads: this reconcile's caches and the informers above. */
  ServiceBackend.Caches caches(Context<EcsService> context) {
    return new ReconcileCaches(
        context, informers.revisions(), informers.taskRoles(), informers.routes());
  }

  /** The Service a route sends traffic to, or null. */
  public static String routeTarget(LoadBalancerRoute route) {
    return route.getSpec() == null
            || route.getSpec().target == null
            || route.getSpec().target.serviceRef == null
        ? null
        : route.getSpec().target.serviceRef.name;
  }

  private Optional<String> taskRoleOf(EcsService s) {
    if (taskDefinitionName(s) == null) return Optional.empty();
    return informers
        .taskDefinitions()
        .get(new ResourceID(taskDefinitionName(s), s.getMetadata().getNamespace()))
        .map(
            td ->
                td.getSpec() == null || td.getSpec().taskRoleRef == null
                    ? null
                    : td.getSpec().taskRoleRef.name);
  }

  @Override
  public UpdateControl<EcsService> reconcile(EcsService service, Context<EcsService> context) {
    return StatusRecorder.write(context, service, converge(service, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<EcsService> converge(EcsService service, Context<EcsService> context) {
    if (service.getSpec() == null) {
      return status.record(service, new EcsServiceStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = events(context);
    pacing.sweep(id -> context.getPrimaryCache().get(id).map(s -> s.getMetadata().getUid()));
    EcsServiceStatus previous = service.getStatus();
    EcsServiceStatus next = new EcsServiceStatus();
    if (previous != null) {
      next.stableRevision = previous.stableRevision;
      next.taskDefinitionUid = previous.taskDefinitionUid;
      next.rolledBackRevisions = previous.rolledBackRevisions;
      next.revision = previous.revision;
      next.serviceArn = previous.serviceArn;
    }
    TenancyCeiling ceiling = tenancy.ceilingFor(service.getMetadata().getNamespace());
    ResolvedCluster resolved =
        ClusterEventSources.resolve(service, service.getSpec().clusterRef, context);
    // the guardrails in effect (the Cluster's met with the namespace's ceiling), for the
    // TaskDefinition check below and for the renderer's Pod Security level
    ResolvedCluster cluster =
        resolved.withGuardrails(ceiling.effectiveGuardrails(resolved.spec().guardrails));
    Optional<ServiceBackend> backend = backends.services(cluster);
    next.workloadName = backend.map(b -> b.workloadName(service)).orElse(null);
    Optional<TaskDefinition> td = context.getSecondaryResource(TaskDefinition.class);
    Outcome outcome;
    List<dev.tidewater.api.v1alpha1.common.StatusWarning> warnings = List.of();
    Duration recheckAfter = null;
    List<Problem> problems;
    if (!cluster.missing() && backend.isPresent() && !backend.get().needsFinalizer()) {
      CleanupHolds.releaseUnneeded(
          context,
          service,
          ServiceCleanupReconciler.FINALIZER,
          previous != null && previous.serviceArn != null);
    }
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else if (backend.isEmpty()) {
      outcome =
          Outcome.degraded(
              "BackendUnavailable",
              "the "
                  + cluster.backend().name().toLowerCase()
                  + " backend is not available in this version");
    } else if (!(problems = validator.validate(service.getSpec())).isEmpty()) {
      outcome = Outcome.degraded("InvalidSpec", Problems.summary(problems));
    } else if (!(problems = TenancyChecks.service(service.getSpec(), ceiling)).isEmpty()) {
      outcome = Outcome.degraded(TenancyChecks.reasonOf(problems), Problems.summary(problems));
    } else if (td.isEmpty()) {
      outcome =
          Outcome.progressing(
              "TaskDefinitionNotFound",
              "TaskDefinition " + taskDefinitionName(service) + " does not exist (yet)");
    } else if (!sameCluster(service, td.get())) {
      outcome =
          Outcome.degraded(
              "ClusterMismatch",
              "spec.clusterRef: TaskDefinition "
                  + taskDefinitionName(service)
                  + " uses Cluster "
                  + ClusterEventSources.clusterName(
                      td.get().getSpec() == null ? null : td.get().getSpec().clusterRef)
                  + ", this Service uses Cluster "
                  + ClusterEventSources.clusterName(service.getSpec().clusterRef)
                  + "; both must use the same Cluster");
    } else if (td.get().getSpec() != null
        && !(problems = secretsRefused(td.get().getSpec(), cluster, ceiling, backend.get()))
            .isEmpty()) {
      // a secret the namespace may not read never becomes an ExternalSecret or reaches ECS,
      // not even from a revision made before the policy said so
      outcome =
          Outcome.degraded(
              TenancyChecks.FORBIDDEN,
              "TaskDefinition " + taskDefinitionName(service) + ": " + Problems.summary(problems));
    } else {
      ServiceBackend.Caches caches = caches(context);
      TaskDefinition taskDefinition = td.get();
      Applied applied =
          migration.reconcile(
              new ServiceMigration.Pass(
                  service,
                  taskDefinition,
                  previous,
                  next,
                  cluster,
                  caches.one(Cluster.class).orElse(null),
                  backends::services,
                  caches,
                  () ->
                      context.getPrimaryCache().list(service.getMetadata().getNamespace()).toList(),
                  events,
                  b ->
                      runOn(
                          b,
                          service,
                          taskDefinition,
                          next,
                          previous,
                          cluster,
                          ceiling,
                          events,
                          caches,
                          context)));
      if (applied == Applied.SKIPPED) return UpdateControl.noUpdate();
      outcome = applied.outcome();
      warnings = applied.warnings();
      recheckAfter = applied.recheckAfter();
    }
    metrics.reconciled("Service", outcome);
    UpdateControl<EcsService> update = record(service, previous, next, outcome, warnings);
    // told once, with the status that records them: a held status says them again next time
    if (update.isPatchStatus()
        && !warnings.isEmpty()
        && (previous == null || !warnings.equals(previous.getWarnings()))) {
      events.warning(
          service,
          "FieldsNotHonoured",
          warnings.stream()
              .map(w -> w.field() + ": " + w.message())
              .collect(Collectors.joining("; ")));
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(service, outcome.reason(), outcome.message());
    }
    // a rollout in progress is polled only where the backend asks (ecs); a Deployment's own
    // status changes wake the Service (polling 1000 rollouts every 5 s was most reconciles)
    Optional<Long> held = update.getScheduleDelay();
    if (recheckAfter != null && (held.isEmpty() || recheckAfter.toMillis() < held.get())) {
      update.rescheduleAfter(recheckAfter);
    }
    return update;
  }

  /**
   * The status write: at once when it says something new, paced while a rollout only moves its
   * counts. A rollout under way ({@link #ROLLING_OUT}) whose status differs from the recorded one
   * only in the task counts is written at most once per progress interval; a new Service's first
   * status, while it only says that something is under way (Progressing: its rollout, or its
   * TaskDefinition, revision or role not there yet — at creation, often only not in this
   * controller's cache yet), waits up to one interval for what comes next (then Ready, or Degraded,
   * is its first status). Never paced: Ready, Degraded, a new revision, new warnings, a new
   * generation, a migration step, a new ECS service ARN. A held status is rescheduled, never
   * dropped.
   */
  private UpdateControl<EcsService> record(
      EcsService service,
      EcsServiceStatus previous,
      EcsServiceStatus next,
      Outcome outcome,
      List<dev.tidewater.api.v1alpha1.common.StatusWarning> warnings) {
    boolean paced =
        outcome.progressing()
            && (previous == null || ROLLING_OUT.equals(outcome.reason()))
            && !ServiceMigration.active(next)
            // a new ECS service's ARN names what a crash would otherwise have to find again
            && Objects.equals(next.serviceArn, previous == null ? null : previous.serviceArn);
    return paced
        ? status.recordProgress(service, next, outcome, warnings, COUNTS)
        : status.record(service, next, outcome, warnings);
  }

  /**
   * What one pass on a backend did.
   *
   * @param outcome the conditions it leads to
   * @param warnings what the backend could not honour
   * @param recheckAfter when to look again (null: the resync)
   */
  record Applied(
      Outcome outcome,
      List<dev.tidewater.api.v1alpha1.common.StatusWarning> warnings,
      Duration recheckAfter) {

    /** Nothing to write yet (a new Service whose TaskDefinition has no revision yet). */
    static final Applied SKIPPED = new Applied(null, List.of(), null);
  }

  /**
   * Runs the Service on backend {@code b}: picks the revision (latest, pinned, or the stable one
   * after a rollback), checks it, applies it, and records counts, revision and rollout in {@code
   * next}.
   */
  Applied runOn(
      ServiceBackend b,
      EcsService service,
      TaskDefinition taskDefinition,
      EcsServiceStatus next,
      EcsServiceStatus previous,
      ResolvedCluster cluster,
      TenancyCeiling ceiling,
      EventRecorder events,
      ServiceBackend.Caches caches,
      Context<EcsService> context) {
    Outcome outcome;
    List<dev.tidewater.api.v1alpha1.common.StatusWarning> warnings = List.of();
    Duration recheckAfter = null;
    String uid = taskDefinition.getMetadata().getUid();
    if (!uid.equals(next.taskDefinitionUid)) {
      // revision numbers of another (or a re-created) TaskDefinition mean nothing here
      next.stableRevision = null;
      next.rolledBackRevisions = null;
      next.taskDefinitionUid = uid;
    }
    List<Integer> revisions = b.revisions(service, taskDefinition, caches);
    Integer wanted = wantedRevision(service, revisions);
    // the TaskDefinition's controller refuses it too; this Service says why it cannot roll out
    Optional<Outcome> invalid = taskDefinitionInvalid(service, taskDefinition, cluster, ceiling);
    List<Integer> rolledBack =
        next.rolledBackRevisions == null
            ? new ArrayList<>()
            : new ArrayList<>(next.rolledBackRevisions);
    // rule 7: a rolled-back revision is not re-applied until the TaskDefinition changes
    Integer target = RollbackMemory.target(wanted, next.stableRevision, rolledBack);
    Optional<Problem> waiting;
    if (invalid.isPresent() && (target == null || !revisions.contains(target))) {
      outcome = invalid.get();
    } else if (target == null || !revisions.contains(target)) {
      if (previous == null
          && service.getSpec().taskDefinitionRef.revision == null
          && !reconciled(taskDefinition)) {
        // a new Service whose new TaskDefinition has not been turned into a revision yet: that
        // reconcile wakes this Service, so a status saying "pending" now would be overwritten
        // at once (a write per workload at scale, for nothing)
        metrics.reconciled("Service", Outcome.progressing("RevisionPending", ""));
        return Applied.SKIPPED;
      }
      outcome =
          service.getSpec().taskDefinitionRef.revision != null
              ? Outcome.degraded(
                  "RevisionNotFound",
                  "revision "
                      + service.getSpec().taskDefinitionRef.revision
                      + " of TaskDefinition "
                      + taskDefinitionName(service)
                      + " does not exist")
              : Outcome.progressing(
                  "RevisionPending",
                  "TaskDefinition " + taskDefinitionName(service) + " has no revision yet");
    } else if ((waiting = b.waitingFor(service, taskDefinition, target, caches)).isPresent()) {
      // e.g. without its ServiceAccount no pod is created, and the rollout would "fail"
      outcome = Outcome.progressing(waiting.get().reason(), waiting.get().message());
    } else {
      ServicePlan plan = null;
      List<Problem> unsafe = List.of();
      try {
        plan = b.plan(service, taskDefinition, target, caches);
        // ecs deploys a revision by ARN as it was registered, perhaps under a looser Cluster or
        // policy: it is checked against the guardrails in effect now before any write
        unsafe =
            b.registeredSpec(service, cluster, plan, caches)
                .map(
                    spec ->
                        PodSecurityGuardrails.checkRegisteredOnEcs(
                            spec, ValidationContext.forCluster(cluster.spec(), ceiling)))
                .orElse(List.of());
        boolean running =
            previous != null
                && previous.serviceArn != null
                && Integer.valueOf(target).equals(previous.revision);
        if (!unsafe.isEmpty() && !running) {
          keepCounts(next, previous);
          outcome =
              Outcome.degraded(
                  PodSecurityGuardrails.GUARDRAIL_VIOLATION,
                  revisionRefused(service, plan, unsafe)
                      + "; not deployed"
                      + (next.revision == null
                          ? ""
                          : ", revision " + next.revision + " keeps running"));
        } else {
          if (b.needsFinalizer()) {
            // before the first call that may create something outside Kubernetes
            CleanupHolds.hold(context, service, ServiceCleanupReconciler.FINALIZER);
          }
          // a revision the guardrails refuse now keeps running where it runs, no more: a
          // service that went is not created again with it
          ServiceObservation observed =
              b.apply(service, cluster, unsafe.isEmpty() ? plan : plan.keepingOnly(), caches);
          warnings = observed.warnings();
          if (!observed.refusals().isEmpty()) {
            outcome =
                Outcome.degraded(
                    refusalReason(observed.refusals()), Problems.summary(observed.refusals()));
          } else {
            if (RollbackMemory.isRollback(
                observed, target, next.stableRevision, rollbackEnabled(service))) {
              rolledBack.add(target);
              next.rolledBackRevisions = rolledBack;
              if (revisions.contains(next.stableRevision)) {
                observed =
                    b.apply(
                        service,
                        cluster,
                        b.plan(service, taskDefinition, next.stableRevision, caches),
                        caches);
              }
            }
            observed.events().forEach(e -> events.normal(service, e.reason(), e.message()));
            // Events mark changes to what already ran; a new Service's first rollout is in its
            // conditions only (at scale, two Events per new workload were a fifth of all writes)
            if (observed.rollout() == RolloutState.COMPLETED
                && observed.revision() != null
                && !observed.revision().equals(next.stableRevision)) {
              if (next.stableRevision != null) {
                events.normal(
                    service, "RolloutCompleted", "revision " + observed.revision() + " is running");
              }
              next.stableRevision = observed.revision();
            }
            Integer before = previous == null ? null : previous.revision;
            if (before != null
                && observed.revision() != null
                && !observed.revision().equals(before)) {
              events.normal(
                  service,
                  "RolloutStarted",
                  "rolling out revision " + observed.revision() + " (was " + before + ")");
            }
            next.desiredCount = observed.desired();
            next.runningCount = observed.running();
            next.pendingCount = observed.pending();
            next.revision = observed.revision();
            next.rolloutState = observed.rollout() == null ? null : observed.rollout().name();
            if (observed.serviceArn() != null) next.serviceArn = observed.serviceArn();
            recheckAfter = observed.recheckAfter();
            outcome = outcomeOf(next, rolledBack.contains(wanted) ? wanted : null, observed);
            if (invalid.isPresent() && !outcome.degraded()) {
              // the last valid revision keeps running, but the spec applied is not
              outcome =
                  Outcome.degraded(
                      invalid.get().reason(),
                      invalid.get().message() + "; revision " + next.revision + " keeps running");
            }
            if (!unsafe.isEmpty() && !outcome.degraded()) {
              // what runs is not stopped by a tightened guardrail (no surprise writes), but it is
              // reported and never deployed anew (a new Service, a re-creation is refused above)
              outcome =
                  Outcome.degraded(
                      PodSecurityGuardrails.GUARDRAIL_VIOLATION,
                      revisionRefused(service, plan, unsafe)
                          + "; it keeps running (not stopped) but is not deployed again: roll out"
                          + " a revision the guardrails allow");
            }
          }
        }
      } catch (BackendFailure e) {
        // one resource's AWS error: its condition and Event, the last known counts kept
        keepCounts(next, previous);
        recheckAfter = e.progressing() ? e.retryAfter().orElse(WAIT_POLL) : FAILURE_RETRY;
        outcome =
            e.progressing()
                ? Outcome.progressing(e.reason(), e.getMessage())
                : Outcome.degraded(e.reason(), e.getMessage());
        if (PodSecurityGuardrails.GUARDRAIL_VIOLATION.equals(e.reason())
            && plan != null
            && !unsafe.isEmpty()) {
          // the fields the revision is refused for, with what the backend did not do
          outcome =
              Outcome.degraded(
                  PodSecurityGuardrails.GUARDRAIL_VIOLATION,
                  revisionRefused(service, plan, unsafe) + "; " + e.getMessage());
        }
      }
    }
    return new Applied(outcome, warnings, recheckAfter);
  }

  /**
   * The secrets of {@code task} the namespace's ceiling refuses: by ARN, and by the source the
   * backend would read them through (kubernetes: the ClusterSecretStore).
   */
  private static List<Problem> secretsRefused(
      TaskDefinitionSpec task,
      ResolvedCluster cluster,
      TenancyCeiling ceiling,
      ServiceBackend backend) {
    List<Problem> problems = new ArrayList<>(TenancyChecks.secretArns(task, ceiling));
    problems.addAll(backend.secretSourcesRefused(task, cluster, ceiling));
    return problems;
  }

  /** The last known counts, kept when nothing was applied. */
  static void keepCounts(EcsServiceStatus next, EcsServiceStatus previous) {
    if (previous != null) {
      next.desiredCount = previous.desiredCount;
      next.runningCount = previous.runningCount;
      next.pendingCount = previous.pendingCount;
      next.rolloutState = previous.rolloutState;
    }
  }

  /** Names the revision of {@code plan} and every guardrail it breaks now. */
  private static String revisionRefused(
      EcsService service, ServicePlan plan, List<Problem> unsafe) {
    return "revision "
        + plan.revision()
        + " of TaskDefinition "
        + taskDefinitionName(service)
        + (plan.taskDefinitionArn() == null ? "" : " (" + plan.taskDefinitionArn() + ")")
        + " breaks the guardrails in effect now: "
        + Problems.summary(unsafe);
  }

  /** Degraded reason of a Service whose TaskDefinition's current spec is invalid. */
  static final String TASK_DEFINITION_INVALID = "TaskDefinitionInvalid";

  /**
   * Degraded {@link #TASK_DEFINITION_INVALID} when the TaskDefinition's current spec is invalid
   * under the Cluster (the TaskDefinition's controller refuses it with the same problems), naming
   * it and its first problem's field; empty when it is valid or the Service pins a revision.
   */
  static Optional<Outcome> taskDefinitionInvalid(
      EcsService service, TaskDefinition td, ResolvedCluster cluster, TenancyCeiling ceiling) {
    if (service.getSpec().taskDefinitionRef.revision != null || td.getSpec() == null) {
      return Optional.empty();
    }
    List<Problem> problems =
        new ArrayList<>(
            TASK_DEFINITIONS.validate(
                td.getSpec(), ValidationContext.forCluster(cluster.spec(), ceiling)));
    // what the namespace's ceiling refuses (roles, family, adopt, secrets) stops it as well
    problems.addAll(TenancyChecks.taskDefinition(td.getSpec(), ceiling));
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    Problem first = problems.get(0);
    return Optional.of(
        Outcome.degraded(
            TASK_DEFINITION_INVALID,
            "TaskDefinition "
                + td.getMetadata().getName()
                + " is invalid: spec."
                + first.path()
                + ": "
                + first.message()
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")));
  }

  private static final TaskDefinitionValidator TASK_DEFINITIONS = new TaskDefinitionValidator();

  /** Whether the TaskDefinition's controller has looked at its current spec. */
  private static boolean reconciled(TaskDefinition td) {
    return td.getStatus() != null
        && td.getMetadata().getGeneration() != null
        && td.getMetadata().getGeneration().equals(td.getStatus().getObservedGeneration());
  }

  /** A Service and its TaskDefinition must run on the same Cluster (DESIGN.md). */
  private static boolean sameCluster(EcsService service, TaskDefinition td) {
    return ClusterEventSources.clusterName(service.getSpec().clusterRef)
        .equals(
            ClusterEventSources.clusterName(td.getSpec() == null ? null : td.getSpec().clusterRef));
  }

  private static Outcome outcomeOf(
      EcsServiceStatus s, Integer rolledBackRevision, ServiceObservation observed) {
    if (rolledBackRevision != null) {
      return Outcome.degraded(
          "RolledBack",
          "revision "
              + rolledBackRevision
              + " failed to become healthy and was rolled back to revision "
              + s.stableRevision
              + "; change the TaskDefinition to try again");
    }
    return switch (observed.rollout()) {
      case COMPLETED ->
          Outcome.ready(
              "Running",
              s.runningCount
                  + "/"
                  + s.desiredCount
                  + " tasks of revision "
                  + s.revision
                  + " running");
      case FAILED ->
          Outcome.degraded(
              "RolloutFailed",
              "revision " + s.revision + " did not become healthy within the progress deadline");
      default ->
          Outcome.progressing(
              ROLLING_OUT,
              "rolling out revision "
                  + s.revision
                  + ": "
                  + s.runningCount
                  + "/"
                  + s.desiredCount
                  + " tasks ready");
    };
  }

  private static boolean rollbackEnabled(EcsService s) {
    var dc = s.getSpec().deploymentConfiguration;
    return dc != null
        && dc.deploymentCircuitBreaker != null
        && Boolean.TRUE.equals(dc.deploymentCircuitBreaker.enable)
        && Boolean.TRUE.equals(dc.deploymentCircuitBreaker.rollback);
  }

  private static Integer wantedRevision(EcsService s, List<Integer> revisions) {
    if (s.getSpec().taskDefinitionRef.revision != null)
      return s.getSpec().taskDefinitionRef.revision;
    return revisions.stream().max(Integer::compare).orElse(null);
  }

  @Override
  public ErrorStatusUpdateControl<EcsService> updateErrorStatus(
      EcsService service, Context<EcsService> context, Exception e) {
    return status.recordError(service, EcsServiceStatus::new, e, context.getRetryInfo());
  }

  /**
   * The Degraded reason of a Service whose objects were refused: NameConflict, GuardrailViolation
   * when a Cluster guardrail refused something, SecretsNeedExternalSecrets when only undeliverable
   * AWS secrets did, else InvalidSpec (the Service with the revision it runs is not valid there).
   */
  static String refusalReason(List<Problem> refusals) {
    if (refusals.stream().allMatch(p -> "NameConflict".equals(p.reason()))) {
      return "NameConflict";
    }
    if (refusals.stream().anyMatch(p -> p.reason().endsWith("NotAllowed"))) {
      return PodSecurityGuardrails.GUARDRAIL_VIOLATION;
    }
    if (refusals.stream()
        .allMatch(p -> MappingReasons.SECRETS_NEED_EXTERNAL_SECRETS.equals(p.reason()))) {
      return MappingReasons.SECRETS_NEED_EXTERNAL_SECRETS;
    }
    return "InvalidSpec";
  }
}
