package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionStatus;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.BackendFailure;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.TenancyCeiling;
import dev.tidewater.model.TenancyChecks;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns each distinct TaskDefinition spec into a numbered, immutable revision on its backend
 * (deletion: {@link TaskDefinitionCleanupReconciler}).
 */
@ControllerConfiguration(name = "taskdefinition")
public class TaskDefinitionReconciler
    implements Reconciler<TaskDefinition>, ShardNamespaces.Sharded<TaskDefinition> {

  /**
   * How soon a TaskDefinition waiting for a TaskRole's ARN looks again (its informer also does).
   */
  static final Duration WAIT_RETRY = Duration.ofSeconds(30);

  /** How soon an AWS error is retried. */
  static final Duration FAILURE_RETRY = Duration.ofMinutes(1);

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final TaskDefinitionValidator validator = new TaskDefinitionValidator();
  private final BackendFactory backends;
  private final TenancyPolicies tenancy;

  private final ReconcileMetrics metrics;

  private final SharedInformers informers;

  public TaskDefinitionReconciler(
      BackendFactory backends,
      ReconcileMetrics metrics,
      TenancyPolicies tenancy,
      SharedInformers informers) {
    this.backends = backends;
    this.metrics = metrics;
    this.tenancy = tenancy;
    this.informers = informers;
  }

  @Override
  public List<EventSource<?, TaskDefinition>> prepareEventSources(
      EventSourceContext<TaskDefinition> context) {
    // its revisions: the ControllerRevisions it controls, found by their TaskDefinition label
    var revisions =
        SharedEventSource.of(
            context,
            informers.revisions(),
            SharedEventSource.byOwner(TaskDefinition.class),
            (TaskDefinition td) ->
                informers
                    .revisions()
                    .byIndex(
                        SharedInformers.TASK_DEFINITION_INDEX,
                        SharedInformers.taskDefinitionKey(
                            td.getMetadata().getNamespace(), td.getMetadata().getName()))
                    .stream()
                    .filter(r -> controlledBy(r, td))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()),
            null,
            null);
    // a Service matters here only for the revisions it keeps in use (pruning): its counts changing
    // during a rollout wake no TaskDefinition
    var services =
        SharedEventSource.of(
            context,
            informers.services(),
            (EcsService s) ->
                referrer(s, s.getSpec() == null ? null : s.getSpec().taskDefinitionRef),
            (TaskDefinition td) -> users(informers.services(), td),
            (EcsService now, EcsService before) -> !usage(now).equals(usage(before)),
            null);
    // a TaskRole getting its role ARN (ecs backend) lets the TaskDefinitions using it register
    var taskRoles =
        SharedEventSource.of(
            context,
            informers.taskRoles(),
            (TaskRole role) ->
                context
                    .getPrimaryCache()
                    .list(role.getMetadata().getNamespace())
                    .filter(td -> roleRefs(td).contains(role.getMetadata().getName()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()),
            (TaskDefinition td) ->
                roleRefs(td).stream()
                    .map(n -> new ResourceID(n, td.getMetadata().getNamespace()))
                    .collect(Collectors.toSet()));
    // a Task keeps the revision it runs in use until it finished, as a Service does
    var tasks =
        SharedEventSource.of(
            context,
            informers.tasks(),
            (Task t) -> referrer(t, t.getSpec() == null ? null : t.getSpec().taskDefinitionRef),
            (TaskDefinition td) -> users(informers.tasks(), td),
            (Task now, Task before) -> !usage(now).equals(usage(before)),
            null);
    // a ScheduledTask keeps the revision it pins or its schedule runs in use, as a Service does
    var scheduledTasks =
        SharedEventSource.of(
            context,
            informers.scheduledTasks(),
            (ScheduledTask t) ->
                referrer(
                    t,
                    t.getSpec() == null || t.getSpec().task == null
                        ? null
                        : t.getSpec().task.taskDefinitionRef),
            (TaskDefinition td) -> users(informers.scheduledTasks(), td),
            (ScheduledTask now, ScheduledTask before) ->
                !scheduledUsage(now).equals(scheduledUsage(before)),
            null);
    return List.of(
        ClusterEventSources.create(
            context, informers, td -> td.getSpec() == null ? null : td.getSpec().clusterRef),
        revisions,
        services,
        tasks,
        scheduledTasks,
        taskRoles,
        tenancy.eventSource(context));
  }

  /** The TaskDefinition {@code ref} names in the namespace of {@code referrer}, if any. */
  private static Set<ResourceID> referrer(HasMetadata referrer, TaskDefinitionRef ref) {
    return ref == null || ref.name == null
        ? Set.of()
        : Set.of(new ResourceID(ref.name, referrer.getMetadata().getNamespace()));
  }

  /** The objects of {@code cache} that name {@code td} (by the cache's TaskDefinition index). */
  private static <T extends HasMetadata> Set<ResourceID> users(
      KindCache<T> cache, TaskDefinition td) {
    return cache
        .byIndex(
            SharedInformers.TASK_DEFINITION_INDEX,
            SharedInformers.taskDefinitionKey(
                td.getMetadata().getNamespace(), td.getMetadata().getName()))
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** Whether {@code td} (by kind and name, as the owner-reference mapper) controls {@code r}. */
  private static boolean controlledBy(ControllerRevision r, TaskDefinition td) {
    return r.getMetadata().getOwnerReferences().stream()
        .anyMatch(
            o ->
                Boolean.TRUE.equals(o.getController())
                    && td.getKind().equals(o.getKind())
                    && td.getMetadata().getName().equals(o.getName()));
  }

  /** What of a ScheduledTask this controller looks at: the revision it pins and runs. */
  static List<Object> scheduledUsage(ScheduledTask t) {
    List<Object> usage =
        refUsage(
            t.getSpec() == null || t.getSpec().task == null
                ? null
                : t.getSpec().task.taskDefinitionRef);
    usage.add(t.getStatus() == null ? null : t.getStatus().revision);
    return usage;
  }

  /** A reference by value (the class has no equals): its name and revision. */
  private static List<Object> refUsage(TaskDefinitionRef ref) {
    List<Object> usage = new ArrayList<>();
    usage.add(ref == null ? null : ref.name);
    usage.add(ref == null ? null : ref.revision);
    return usage;
  }

  /** What of a Task this controller looks at: the revision it runs and whether it finished. */
  static List<Object> usage(Task t) {
    List<Object> usage = refUsage(t.getSpec() == null ? null : t.getSpec().taskDefinitionRef);
    usage.add(t.getStatus() == null ? null : t.getStatus().revision);
    usage.add(t.getStatus() == null ? null : t.getStatus().getBackend());
    usage.add(t.getStatus() == null ? null : t.getStatus().finishedAt);
    return usage;
  }

  /**
   * Whether {@code t} may still run its revision: not finished (a Task that has not started yet
   * will start on the pinned or latest revision; one that runs needs its own kept registered).
   */
  static boolean unfinished(Task t) {
    return t.getStatus() == null || t.getStatus().finishedAt == null;
  }

  /** What of a Service this controller looks at: its reference and the revisions it uses. */
  private static List<Object> usage(EcsService s) {
    var ref = s.getSpec() == null ? null : s.getSpec().taskDefinitionRef;
    List<Object> usage = new ArrayList<>();
    usage.add(ref == null ? null : ref.name);
    usage.add(ref == null ? null : ref.revision);
    usage.add(s.getStatus() == null ? null : s.getStatus().revision);
    usage.add(s.getStatus() == null ? null : s.getStatus().stableRevision);
    // a Service that finished moving lets its TaskDefinition leave the old backend
    usage.add(s.getStatus() == null ? null : s.getStatus().getBackend());
    usage.add(ServiceMigration.active(s.getStatus()));
    return usage;
  }

  /** Names of the TaskRoles a TaskDefinition references. */
  private static List<String> roleRefs(TaskDefinition td) {
    List<String> names = new ArrayList<>();
    if (td.getSpec() != null) {
      if (td.getSpec().taskRoleRef != null && td.getSpec().taskRoleRef.name != null)
        names.add(td.getSpec().taskRoleRef.name);
      if (td.getSpec().executionRoleRef != null && td.getSpec().executionRoleRef.name != null)
        names.add(td.getSpec().executionRoleRef.name);
    }
    return names;
  }

  @Override
  public UpdateControl<TaskDefinition> reconcile(
      TaskDefinition td, Context<TaskDefinition> context) {
    return StatusRecorder.write(context, td, converge(td, context));
  }

  /** The reconcile but for its status write: the control returned carries the status to write. */
  UpdateControl<TaskDefinition> converge(TaskDefinition td, Context<TaskDefinition> context) {
    if (td.getSpec() == null) {
      return status.record(td, new TaskDefinitionStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = events(context);
    TaskDefinitionStatus next = new TaskDefinitionStatus();
    TaskDefinitionStatus previous = td.getStatus();
    if (previous != null) {
      next.revision = previous.revision;
      next.hash = previous.hash;
      next.revisions = previous.revisions;
      next.taskDefinitionArn = previous.taskDefinitionArn;
    }
    ResolvedCluster cluster = ClusterEventSources.resolve(td, td.getSpec().clusterRef, context);
    // where its revisions are: the backend it had until it has left it (leaveMoved)
    String was = previous == null ? null : previous.getBackend();
    if (!cluster.missing()) next.setBackend(was != null ? was : cluster.backend().value());
    // the backend says which family its revisions are in (on ecs, docs/naming.md); until it has,
    // the one recorded, else the one a first registration would use
    next.family =
        td.getSpec().family == null && previous != null && previous.family != null
            ? previous.family
            : backends.taskDefinitions(cluster).orElseThrow().firstFamily(td);
    Outcome outcome;
    Duration retry = null;
    List<StatusWarning> warnings = List.of();
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else {
      TenancyCeiling ceiling = tenancy.ceilingFor(td.getMetadata().getNamespace());
      ValidationContext validation = ValidationContext.forCluster(cluster.spec(), ceiling);
      List<Problem> problems = validator.validate(td.getSpec(), validation);
      warnings = TaskDefinitionValidator.warnings(td.getSpec(), validation);
      // what the namespace's ceiling refuses (adopt, family, roles, secrets): nothing is made
      List<Problem> refused = TenancyChecks.taskDefinition(td.getSpec(), ceiling);
      if (!problems.isEmpty()) {
        // GuardrailViolation when a Cluster guardrail refused it, as for a Service's refusals
        outcome =
            Outcome.degraded(ServiceReconciler.refusalReason(problems), Problems.summary(problems));
      } else if (!refused.isEmpty()) {
        outcome = Outcome.degraded(TenancyChecks.reasonOf(refused), Problems.summary(refused));
      } else {
        var backend = backends.taskDefinitions(cluster);
        if (backend.isEmpty()) {
          outcome =
              Outcome.degraded(
                  "BackendUnavailable",
                  "the "
                      + cluster.backend().name().toLowerCase()
                      + " backend is not available in this version");
        } else {
          // ecs has no Pod Security defaults: under restricted the revision registered drops
          // every capability and escalation (a guardrail change makes a new revision there)
          CanonicalTaskDefinition canonical =
              CanonicalTaskDefinition.of(backend.get().asRegistered(td.getSpec(), validation));
          try {
            if (backend.get().needsFinalizer()) {
              // before the first call that may register something outside Kubernetes
              CleanupHolds.hold(context, td, TaskDefinitionCleanupReconciler.FINALIZER);
            } else {
              CleanupHolds.releaseUnneeded(
                  context,
                  td,
                  TaskDefinitionCleanupReconciler.FINALIZER,
                  previous != null && previous.taskDefinitionArn != null);
            }
            RevisionState state =
                backend
                    .get()
                    .reconcile(
                        td, cluster, canonical, inUse(context), context::getSecondaryResources);
            next.revision = state.latest();
            next.hash = canonical.hash();
            next.revisions = state.retained();
            next.family = state.family();
            next.taskDefinitionArn =
                state.retained().stream()
                    .filter(r -> r.revision != null && r.revision == state.latest())
                    .findFirst()
                    // null on the kubernetes backend: its revisions have no ARN
                    .map(r -> r.taskDefinitionArn)
                    .orElse(null);
            // the first revision of a new TaskDefinition is in its status only: Events mark
            // changes to what already existed
            if (state.created() && previous != null && previous.revision != null) {
              events.normal(
                  td,
                  "RevisionCreated",
                  "revision "
                      + state.latest()
                      + " ("
                      + canonical.hash()
                      + ")"
                      + (next.taskDefinitionArn == null ? "" : ": " + next.taskDefinitionArn));
            }
            outcome =
                Outcome.ready("RevisionReady", "revision " + state.latest() + " is the latest");
            leaveMoved(td, previous, next, cluster, context, events);
          } catch (BackendFailure f) {
            if (f.progressing()) {
              outcome = Outcome.progressing(f.reason(), f.getMessage());
              retry = WAIT_RETRY;
            } else if (f.retryable()) {
              // an AWS failure is this resource's condition, never the whole controller's
              outcome = Outcome.degraded(f.reason(), f.getMessage());
              retry = FAILURE_RETRY;
            } else {
              // NameConflict and the like wait for a spec change (an event) or the next resync
              outcome = Outcome.degraded(f.reason(), f.getMessage());
            }
          }
        }
      }
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(td, outcome.reason(), outcome.message());
    }
    metrics.reconciled("TaskDefinition", outcome);
    UpdateControl<TaskDefinition> update = status.record(td, next, outcome, warnings);
    return retry == null ? update : update.rescheduleAfter(retry);
  }

  /**
   * A TaskDefinition whose Cluster moved to another backend: once no Service of it runs on the old
   * one (their migrations finished), its revisions there go (deletionPolicy Retain keeps them);
   * until then status.backend stays the old one. A Service's move wakes it (see {@link #usage}).
   */
  private void leaveMoved(
      TaskDefinition td,
      TaskDefinitionStatus previous,
      TaskDefinitionStatus next,
      ResolvedCluster cluster,
      Context<TaskDefinition> context,
      EventRecorder events) {
    String was = previous == null ? null : previous.getBackend();
    String selected = cluster.backend().value();
    if (was == null || was.equals(selected)) {
      next.setBackend(selected);
      return;
    }
    boolean stillUsed =
        context.getSecondaryResources(EcsService.class).stream()
                .anyMatch(
                    s ->
                        s.getStatus() != null
                            && (was.equals(s.getStatus().getBackend())
                                || ServiceMigration.active(s.getStatus())))
            // a Task still running there keeps its revision there
            || context.getSecondaryResources(Task.class).stream()
                .anyMatch(
                    t ->
                        unfinished(t)
                            && t.getStatus() != null
                            && was.equals(t.getStatus().getBackend()));
    if (stillUsed) {
      next.setBackend(was);
      // the old side's revisions stay listed with their ARNs while Services run there: a
      // rollback, a revert or a Service a failed move kept there applies them as before (only an
      // old side outside Kubernetes has such entries; when ECS is the new side, the entries of
      // its own earlier passes are its own to keep or prune)
      if (backends.taskDefinitions(was).needsFinalizer()) {
        next.revisions = withOldSide(next.revisions, previous.revisions);
      }
      return;
    }
    if (!"Retain".equals(td.getSpec().deletionPolicy)) {
      backends.taskDefinitions(was).delete(td, cluster);
      events.normal(
          td,
          "RevisionsRemoved",
          "its revisions on the "
              + was
              + " backend are removed: no Service runs them there any more");
    }
    next.setBackend(selected);
  }

  /**
   * {@code current} and the revisions of {@code previous} that only the old backend has (those with
   * an ECS ARN that {@code current} lacks). Their numbers are that backend's own and may repeat
   * numbers of the other: each backend reads only its own entries.
   */
  static List<TaskDefinitionRevision> withOldSide(
      List<TaskDefinitionRevision> current, List<TaskDefinitionRevision> previous) {
    List<TaskDefinitionRevision> out = new ArrayList<>(current == null ? List.of() : current);
    if (previous == null) return out;
    Set<String> arns =
        out.stream()
            .map(r -> r.taskDefinitionArn)
            .filter(a -> a != null)
            .collect(Collectors.toSet());
    for (TaskDefinitionRevision r : previous) {
      if (r.taskDefinitionArn != null && arns.add(r.taskDefinitionArn)) out.add(r);
    }
    return out;
  }

  /** Where this reconcile's Events go (unit tests record them instead). */
  EventRecorder events(Context<TaskDefinition> context) {
    return new EventRecorder(context.getClient());
  }

  /**
   * Revisions Services run, pin or fall back to, unfinished Tasks run or pin, and ScheduledTasks
   * pin or run (a schedule starts its revision again and again): never pruned.
   */
  private static Set<Integer> inUse(Context<TaskDefinition> context) {
    Set<Integer> used = new HashSet<>();
    for (EcsService s : context.getSecondaryResources(EcsService.class)) {
      if (s.getSpec() != null
          && s.getSpec().taskDefinitionRef != null
          && s.getSpec().taskDefinitionRef.revision != null)
        used.add(s.getSpec().taskDefinitionRef.revision);
      if (s.getStatus() != null) {
        if (s.getStatus().revision != null) used.add(s.getStatus().revision);
        if (s.getStatus().stableRevision != null) used.add(s.getStatus().stableRevision);
      }
    }
    for (Task t : context.getSecondaryResources(Task.class)) {
      if (!unfinished(t)) continue;
      if (t.getStatus() != null && t.getStatus().revision != null) {
        used.add(t.getStatus().revision);
      } else if (t.getSpec() != null
          && t.getSpec().taskDefinitionRef != null
          && t.getSpec().taskDefinitionRef.revision != null) {
        used.add(t.getSpec().taskDefinitionRef.revision);
      }
    }
    for (ScheduledTask t : context.getSecondaryResources(ScheduledTask.class)) {
      if (t.getSpec() != null
          && t.getSpec().task != null
          && t.getSpec().task.taskDefinitionRef != null
          && t.getSpec().task.taskDefinitionRef.revision != null) {
        used.add(t.getSpec().task.taskDefinitionRef.revision);
      }
      if (t.getStatus() != null && t.getStatus().revision != null) {
        used.add(t.getStatus().revision);
      }
    }
    return used.stream().collect(Collectors.toSet());
  }

  @Override
  public ErrorStatusUpdateControl<TaskDefinition> updateErrorStatus(
      TaskDefinition td, Context<TaskDefinition> context, Exception e) {
    return status.recordError(td, TaskDefinitionStatus::new, e, context.getRetryInfo());
  }
}
