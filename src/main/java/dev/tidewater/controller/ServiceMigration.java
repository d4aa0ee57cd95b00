package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.MigrationSettings;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceStatus;
import dev.tidewater.api.v1alpha1.service.MigrationStatus;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.ServiceBackend;
import dev.tidewater.model.CutOver;
import dev.tidewater.model.CutOver.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Carries out a Service's managed cut-over between backends (docs/migration.md): reads both sides,
 * asks {@link CutOver#decide} what to do, does it through the two Service backends and records the
 * phase in status.migration, from which a restarted operator resumes. The decisions themselves are
 * {@link CutOver}'s; this class only observes, acts and reports.
 */
final class ServiceMigration {

  /** The condition a Service has once it has migrated (True while under way). */
  static final String MIGRATING = "Migrating";

  /** Degraded reason of a Service whose migration rolled back. */
  static final String MIGRATION_FAILED = "MigrationFailed";

  /** {@link CutOver#TRAFFIC_SHIFTED}: traffic moved by hand, the cut-over goes on. */
  static final String TRAFFIC_SHIFTED = CutOver.TRAFFIC_SHIFTED;

  /** How often a migration under way is looked at (the soak and steps are timed). */
  static final Duration POLL = Duration.ofSeconds(3);

  /** How often a Service waiting for a migration slot looks again (neither side is read). */
  static final Duration PENDING_POLL = Duration.ofSeconds(10);

  private final Clock clock;

  ServiceMigration(Clock clock) {
    this.clock = clock;
  }

  /**
   * The backend a Service runs on now: status.backend, else the one its Cluster selects (a new
   * Service, or one last written by a version without the field: no migration is started for it).
   */
  static String runsOn(EcsServiceStatus previous, String selected) {
    return previous == null || previous.getBackend() == null ? selected : previous.getBackend();
  }

  /** Whether a migration recorded in status is under way. */
  static boolean active(EcsServiceStatus previous) {
    Phase phase = phaseOf(previous);
    return phase != null && phase.active();
  }

  private static Phase phaseOf(EcsServiceStatus status) {
    return status == null || status.migration == null
        ? null
        : Phase.ofTitle(status.migration.phase);
  }

  /** What a pass on one side does (the reconciler's ordinary apply on a given backend). */
  interface Runner {
    ServiceReconciler.Applied runOn(ServiceBackend backend);
  }

  /**
   * Everything one migration pass reads.
   *
   * @param service the Service
   * @param taskDefinition its TaskDefinition
   * @param previous its status before this pass
   * @param next the status being built
   * @param cluster its resolved Cluster (the guardrails in effect)
   * @param clusterResource the Cluster resource (its migration knobs and generation)
   * @param backendOf the Service backend of each place
   * @param caches the informer caches the backends read
   * @param peers the Services of the namespace, for the Cluster's migration slots (listed only when
   *     a migration asks for a slot: a list of the namespace on every reconcile made them quadratic
   *     in the Services of a namespace)
   * @param events where its Events go
   * @param runner the ordinary apply on one backend
   */
  record Pass(
      EcsService service,
      TaskDefinition taskDefinition,
      EcsServiceStatus previous,
      EcsServiceStatus next,
      ResolvedCluster cluster,
      Cluster clusterResource,
      Function<String, ServiceBackend> backendOf,
      ServiceBackend.Caches caches,
      Supplier<List<EcsService>> peers,
      EventRecorder events,
      Runner runner) {}

  /**
   * One pass of the Service on a Cluster whose backend may differ from where the Service runs: the
   * ordinary apply when it does not (and no migration is under way), else a cut-over step.
   */
  ServiceReconciler.Applied reconcile(Pass p) {
    String selected = p.cluster().backend().value();
    String runsOn = runsOn(p.previous(), selected);
    MigrationStatus m =
        p.previous() == null || p.previous().migration == null
            ? null
            : copy(p.previous().migration);
    Phase phase = m == null ? null : Phase.ofTitle(m.phase);
    p.next().migration = m;
    if ((phase == null || !phase.active()) && runsOn.equals(selected)) {
      p.next().setBackend(selected);
      ServiceReconciler.Applied applied = p.runner().runOn(p.backendOf().apply(selected));
      return m == null ? applied : withCondition(applied, m, phase);
    }
    String attempt = attemptKey(p);
    if (phase == Phase.FAILED && sameAttempt(attempt, m.failedAt) && !runsOn.equals(selected)) {
      // rolled back for this generation: it runs where it ran until the Service or Cluster change
      p.next().setBackend(runsOn);
      ServiceReconciler.Applied applied = p.runner().runOn(p.backendOf().apply(runsOn));
      Outcome failed = Outcome.degraded(MIGRATION_FAILED, m.message);
      return withCondition(
          new ServiceReconciler.Applied(failed, applied.warnings(), applied.recheckAfter()),
          m,
          phase);
    }
    Instant now = now();
    boolean queued = false;
    if (phase == null || !phase.active()) {
      m = new MigrationStatus();
      m.from = runsOn;
      m.to = selected;
      m.phase = Phase.PENDING.title();
      m.startedAt = now.toString();
      m.phaseSince = now.toString();
      p.next().migration = m;
      phase = Phase.PENDING;
      queued = true;
      p.events()
          .normal(
              p.service(),
              "MigrationStarted",
              "moving from the " + m.from + " backend to the " + m.to + " backend");
    }
    try {
      return step(p, m, phase, now, queued);
    } catch (BackendFailure e) {
      // a side that cannot be read or changed now (its Cluster's ECS cluster unknown, AWS
      // failing): nothing is decided on a guess; the migration stays where it was
      p.next().migration = p.previous() == null ? m : copyOrNew(p.previous().migration, m);
      p.next().setBackend(runsOn);
      ServiceReconciler.keepCounts(p.next(), p.previous());
      Outcome outcome =
          e.progressing()
              ? Outcome.progressing(e.reason(), e.getMessage())
              : Outcome.degraded(e.reason(), e.getMessage());
      return withCondition(
          new ServiceReconciler.Applied(outcome, List.of(), POLL),
          p.next().migration,
          Phase.ofTitle(p.next().migration.phase));
    }
  }

  private static MigrationStatus copyOrNew(MigrationStatus previous, MigrationStatus started) {
    return previous == null || !Phase.ofTitle(previous.phase).active() ? started : copy(previous);
  }

  /**
   * One pass of a migration under way.
   *
   * @param queued the pass that started it: it only joins the queue (phase Pending), so that the
   *     Cluster's slots are counted over Services every pass can see
   */
  private ServiceReconciler.Applied step(
      Pass p, MigrationStatus m, Phase phase, Instant now, boolean queued) {
    ServiceBackend old = p.backendOf().apply(m.from);
    ServiceBackend neu = p.backendOf().apply(m.to);
    EcsService service = p.service();
    MigrationSettings knobs = knobs(p.clusterResource());
    boolean reverse = p.cluster().backend().value().equals(m.from);
    if (phase == Phase.PENDING
        && !reverse
        && (queued || knobs.isPaused() || !slotFree(p, m, knobs.maxConcurrent()))) {
      // waiting: neither side is read (many Services may wait; they look again slowly)
      m.message =
          knobs.isPaused()
              ? "paused (spec.migration.paused)"
              : "waiting for a migration slot (spec.migration.maxConcurrentServices)";
      p.next().setBackend(m.from);
      ServiceReconciler.keepCounts(p.next(), p.previous());
      return withCondition(
          new ServiceReconciler.Applied(
              Outcome.progressing(Phase.PENDING.reason(), m.message),
              List.of(),
              queued ? POLL : PENDING_POLL),
          m,
          phase);
    }
    CutOver.Side oldSide = old.observeSide(service, p.cluster(), p.caches());
    CutOver.Side newSide = neu.observeSide(service, p.cluster(), p.caches());
    int desired = desired(service, m, oldSide, newSide);
    CutOver.Input in =
        new CutOver.Input(
            new CutOver.State(phase, instant(m.phaseSince), instant(m.readySince), m.oldTarget),
            now,
            desired,
            minimumHealthyPercent(service),
            "DAEMON".equals(service.getSpec().schedulingStrategy),
            true,
            newRunnable(p, neu),
            trafficHeld(p),
            reverse,
            new CutOver.Knobs(
                knobs.step(),
                Duration.ofSeconds(knobs.soak()),
                Duration.ofSeconds(knobs.verifyTimeout()),
                knobs.isPaused()),
            oldSide,
            newSide);
    CutOver.Decision d = CutOver.decide(in);
    try {
      return act(p, m, phase, now, d, old, neu, oldSide, newSide, desired);
    } catch (BackendFailure e) {
      if (!d.phase().committed() || d.phase() == phase) throw e;
      // a removal, rollback or revert failing part-way: the phase it committed to is recorded
      // (a restarted or later pass carries the same action on), with what failed
      m.phase = d.phase().title();
      m.phaseSince = now.toString();
      m.message = d.message() + " (failed for now: " + e.getMessage() + ")";
      p.events()
          .normal(
              service,
              d.phase().reason(),
              "migration from " + m.from + " to " + m.to + ": " + d.message());
      p.next().migration = m;
      p.next().setBackend(d.phase() == Phase.FINISHING ? m.to : m.from);
      ServiceReconciler.keepCounts(p.next(), p.previous());
      Outcome outcome =
          e.progressing()
              ? Outcome.progressing(e.reason(), e.getMessage())
              : Outcome.degraded(e.reason(), e.getMessage());
      return withCondition(new ServiceReconciler.Applied(outcome, List.of(), POLL), m, d.phase());
    }
  }

  /** Carries out decision {@code d} of a pass in {@code phase}. */
  private ServiceReconciler.Applied act(
      Pass p,
      MigrationStatus m,
      Phase phase,
      Instant now,
      CutOver.Decision d,
      ServiceBackend old,
      ServiceBackend neu,
      CutOver.Side oldSide,
      CutOver.Side newSide,
      int desired) {
    EcsService service = p.service();
    ServiceReconciler.Applied applied = null;
    if (d.applyNew()) {
      applied = p.runner().runOn(neu);
      if (service.getSpec().desiredCount == null
          && newSide.exists()
          && newSide.desired() < desired) {
        // an autoscaled Service starts on the new side at the old side's count, not at its
        // minimum; its scaler takes over from there (scale-in waits out its stabilisation)
        neu.scaleTo(service, p.cluster(), desired, true, p.caches());
      }
    }
    if (d.restoreOld()) {
      if (oldSide.exists() && oldSide.desired() < desired) {
        // the count the shift took away comes back first (an unchanged spec writes nothing)
        old.scaleTo(service, p.cluster(), desired, false, p.caches());
      }
      applied = p.runner().runOn(old);
    }
    if (d.scaleOld() != null && oldSide.exists()) {
      old.scaleTo(service, p.cluster(), d.scaleOld(), false, p.caches());
    }
    Phase after = d.phase();
    if (d.removeOld() && old.removeSide(service, p.cluster(), p.caches()).finished()) {
      after = d.onRemoved();
    }
    if (d.removeNew() && neu.removeSide(service, p.cluster(), p.caches()).finished()) {
      after = d.onRemoved();
    }
    if (after != phase && after != Phase.FAILED) {
      m.phaseSince = now.toString();
      p.events()
          .normal(
              service,
              after.reason(),
              "migration from " + m.from + " to " + m.to + ": " + d.message());
    }
    m.phase = after.title();
    m.readySince = d.readySince() == null ? null : d.readySince().toString();
    m.oldTarget = d.oldTarget();
    m.desiredCount = desired;
    m.oldRunning = oldSide.ready();
    m.newReady = newSide.ready();
    m.message = d.message();
    // where it runs: the new side once the old one is only being removed
    boolean moved = after == Phase.FINISHING || after == Phase.COMPLETED;
    p.next().setBackend(moved ? m.to : m.from);
    if (!after.active()) {
      m.finishedAt = now.toString();
      m.oldTarget = null;
      m.readySince = null;
    }
    if (after == Phase.FAILED) {
      m.phaseSince = now.toString();
      m.failedAt = attemptKey(p);
      // the reconciler records the Warning Event of a newly Degraded MigrationFailed
    }
    if (after == Phase.COMPLETED && !neu.needsFinalizer()) {
      // what ran outside Kubernetes (an ECS service) is gone: nothing left for the finalizer
      p.next().serviceArn = null;
    }
    if (applied == null) {
      ServiceReconciler.keepCounts(p.next(), p.previous());
      applied = new ServiceReconciler.Applied(null, List.of(), null);
    }
    Outcome outcome;
    if (after == Phase.FAILED) {
      outcome = Outcome.degraded(MIGRATION_FAILED, d.message());
    } else if (after.active()) {
      outcome =
          applied.outcome() != null && applied.outcome().degraded()
              ? applied.outcome()
              : Outcome.progressing(after.reason(), d.message());
    } else {
      outcome =
          applied.outcome() != null
              ? applied.outcome()
              : Outcome.progressing(after.reason(), d.message());
    }
    Duration recheck =
        after.active() || applied.recheckAfter() == null
            ? after.active() ? POLL : null
            : applied.recheckAfter();
    return withCondition(
        new ServiceReconciler.Applied(outcome, applied.warnings(), recheck), m, after);
  }

  private static ServiceReconciler.Applied withCondition(
      ServiceReconciler.Applied applied, MigrationStatus m, Phase phase) {
    if (applied.outcome() == null) return applied;
    boolean under = phase != null && phase.active();
    return new ServiceReconciler.Applied(
        applied
            .outcome()
            .with(
                StatusConditions.condition(
                    MIGRATING,
                    under,
                    phase == null ? "Unknown" : phase.title(),
                    m.from + " -> " + m.to + ": " + m.message)),
        applied.warnings(),
        applied.recheckAfter());
  }

  /**
   * The tasks the Service wants during the move: its desiredCount; else (autoscaled, or no count)
   * what the old side ran when the move began, kept in status.migration; a DAEMON, what the new
   * side's nodes ask for.
   */
  private static int desired(
      EcsService service, MigrationStatus m, CutOver.Side old, CutOver.Side neu) {
    if ("DAEMON".equals(service.getSpec().schedulingStrategy)) {
      return neu.desired() > 0 ? neu.desired() : Math.max(1, old.desired());
    }
    if (service.getSpec().desiredCount != null) return service.getSpec().desiredCount;
    if (m.desiredCount != null) return m.desiredCount;
    int floor = service.getSpec().autoscaling == null ? 1 : service.getSpec().autoscaling.minTasks;
    return Math.max(floor, old.desired());
  }

  private static int minimumHealthyPercent(EcsService service) {
    var dc = service.getSpec().deploymentConfiguration;
    return dc == null || dc.minimumHealthyPercent == null ? 100 : dc.minimumHealthyPercent;
  }

  private static MigrationSettings knobs(Cluster cluster) {
    return cluster == null || cluster.getSpec() == null || cluster.getSpec().migration == null
        ? new MigrationSettings()
        : cluster.getSpec().migration;
  }

  /**
   * The Service, Cluster and TaskDefinition generations of this attempt: a change of any retries a
   * failure (a fixed image in the TaskDefinition is a new attempt, as a Service edit is).
   */
  private static String attemptKey(Pass p) {
    Long cluster =
        p.clusterResource() == null ? null : p.clusterResource().getMetadata().getGeneration();
    Long taskDefinition =
        p.taskDefinition() == null ? null : p.taskDefinition().getMetadata().getGeneration();
    return p.service().getMetadata().getGeneration() + "/" + cluster + "/" + taskDefinition;
  }

  /**
   * Whether a failure recorded as {@code failedAt} was this attempt's. A failure recorded by a
   * version that kept only the Service and Cluster generations ("3/2") stays this attempt's while
   * those are unchanged: an upgrade alone retries nothing.
   */
  static boolean sameAttempt(String attempt, String failedAt) {
    return failedAt != null
        && (attempt.equals(failedAt)
            || (failedAt.chars().filter(c -> c == '/').count() == 1
                && attempt.startsWith(failedAt + "/")));
  }

  /** Whether the new side has the revision the Service runs and nothing it waits for. */
  private static boolean newRunnable(Pass p, ServiceBackend neu) {
    List<Integer> revisions = neu.revisions(p.service(), p.taskDefinition(), p.caches());
    Integer pinned = p.service().getSpec().taskDefinitionRef.revision;
    Integer wanted =
        pinned != null ? pinned : revisions.stream().max(Integer::compare).orElse(null);
    return wanted != null
        && revisions.contains(wanted)
        && neu.waitingFor(p.service(), p.taskDefinition(), wanted, p.caches()).isEmpty();
  }

  /**
   * Why traffic cannot follow by itself: a route to the Service in a routing mode whose load
   * balancer the new side does not share (ingress or gateway), until {@link #TRAFFIC_SHIFTED}.
   */
  private static String trafficHeld(Pass p) {
    EcsService service = p.service();
    if ("true".equals(service.getMetadata().getAnnotations().get(TRAFFIC_SHIFTED))) return null;
    var routing = p.cluster().spec().routing;
    String mode = routing == null ? null : routing.mode;
    if (CutOver.sidesShareTraffic(mode)) return null;
    List<LoadBalancerRoute> routes =
        p.caches()
            .routes(
                service.getMetadata().getNamespace(),
                r -> service.getMetadata().getName().equals(ServiceReconciler.routeTarget(r)));
    if (routes.isEmpty()) return null;
    return CutOver.trafficHeld(routes.get(0).getMetadata().getName(), mode);
  }

  /**
   * The migration slots this process granted, per Cluster (namespace/name): decisions made from
   * informer caches alone could overshoot the limit (two passes at once, each seeing the other
   * still Pending), so every grant goes through this one registry. After a restart or a leader
   * change it starts empty and the caches (listed afresh) show what earlier grants still hold.
   */
  private final java.util.Map<String, java.util.Map<String, String>> granted =
      new java.util.HashMap<>();

  /**
   * Whether this Service may start now: at most {@code max} Services of its Cluster migrate at
   * once, counting those this process let start (until the cache shows that very move ended: the
   * cache may lag behind our own status writes, so a grant is never dropped for a status the cache
   * has not caught up with) and those the cache shows under way; the waiting ones start as slots
   * free up.
   */
  private synchronized boolean slotFree(Pass p, MigrationStatus m, int max) {
    String self = p.service().getMetadata().getName();
    String cluster = p.cluster().name();
    java.util.Map<String, EcsService> sameCluster = new java.util.HashMap<>();
    for (EcsService s : p.peers().get()) {
      if (s.getSpec() != null
          && cluster.equals(ClusterEventSources.clusterName(s.getSpec().clusterRef))) {
        sameCluster.put(s.getMetadata().getName(), s);
      }
    }
    // name -> startedAt of the move it was granted for
    java.util.Map<String, String> grants =
        granted.computeIfAbsent(
            p.service().getMetadata().getNamespace() + "/" + cluster,
            k -> new java.util.HashMap<>());
    grants
        .entrySet()
        .removeIf(
            g -> {
              EcsService s = sameCluster.get(g.getKey());
              if (s == null) return true;
              MigrationStatus cached = s.getStatus() == null ? null : s.getStatus().migration;
              return cached != null
                  && g.getValue().equals(cached.startedAt)
                  && !Phase.ofTitle(cached.phase).active();
            });
    java.util.Set<String> holders = new java.util.HashSet<>(grants.keySet());
    sameCluster.values().stream()
        .filter(s -> active(s.getStatus()) && phaseOf(s.getStatus()) != Phase.PENDING)
        .forEach(s -> holders.add(s.getMetadata().getName()));
    if (holders.contains(self)) return true;
    if (holders.size() >= max) return false;
    grants.put(self, m.startedAt);
    return true;
  }

  private static MigrationStatus copy(MigrationStatus m) {
    MigrationStatus c = new MigrationStatus();
    c.from = m.from;
    c.to = m.to;
    c.phase = m.phase;
    c.startedAt = m.startedAt;
    c.phaseSince = m.phaseSince;
    c.readySince = m.readySince;
    c.finishedAt = m.finishedAt;
    c.desiredCount = m.desiredCount;
    c.oldRunning = m.oldRunning;
    c.oldTarget = m.oldTarget;
    c.newReady = m.newReady;
    c.failedAt = m.failedAt;
    c.message = m.message;
    return c;
  }

  private static Instant instant(String t) {
    return t == null ? null : Instant.parse(t);
  }

  private Instant now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
  }
}
