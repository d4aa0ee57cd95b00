package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionStatus;
import dev.tidewater.backend.BackendFactory;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.kubernetes.FamilyNames;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.ValidationContext;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns each distinct TaskDefinition spec into a numbered, immutable revision on its backend. */
@ControllerConfiguration(name = "taskdefinition")
public class TaskDefinitionReconciler implements Reconciler<TaskDefinition> {

  private final StatusRecorder status = new StatusRecorder(Clock.systemUTC());
  private final TaskDefinitionValidator validator = new TaskDefinitionValidator();
  private final BackendFactory backends;

  private final ReconcileMetrics metrics;

  public TaskDefinitionReconciler(BackendFactory backends, ReconcileMetrics metrics) {
    this.backends = backends;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, TaskDefinition>> prepareEventSources(
      EventSourceContext<TaskDefinition> context) {
    var revisions = OwnedEventSources.owned(ControllerRevision.class, context);
    var services =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EcsService.class, TaskDefinition.class)
                .withSecondaryToPrimaryMapper(
                    (EcsService s) ->
                        s.getSpec() == null || s.getSpec().taskDefinitionRef == null
                            ? Set.of()
                            : Set.of(
                                new ResourceID(
                                    s.getSpec().taskDefinitionRef.name,
                                    s.getMetadata().getNamespace())))
                .build(),
            context);
    return List.of(
        ClusterEventSources.create(
            context, td -> td.getSpec() == null ? null : td.getSpec().clusterRef),
        revisions,
        services);
  }

  @Override
  public UpdateControl<TaskDefinition> reconcile(
      TaskDefinition td, Context<TaskDefinition> context) {
    if (td.getSpec() == null) {
      return status.record(td, new TaskDefinitionStatus(), Outcome.missingSpec(), List.of());
    }
    EventRecorder events = new EventRecorder(context.getClient());
    TaskDefinitionStatus next = new TaskDefinitionStatus();
    TaskDefinitionStatus previous = td.getStatus();
    if (previous != null) {
      next.revision = previous.revision;
      next.hash = previous.hash;
      next.revisions = previous.revisions;
    }
    next.family = FamilyNames.of(td);
    ResolvedCluster cluster = ClusterEventSources.resolve(td, td.getSpec().clusterRef, context);
    Outcome outcome;
    if (cluster.missing()) {
      outcome =
          Outcome.degraded("ClusterNotFound", "Cluster " + cluster.name() + " does not exist");
    } else {
      List<Problem> problems =
          validator.validate(td.getSpec(), ValidationContext.forCluster(cluster.spec()));
      if (!problems.isEmpty()) {
        outcome = Outcome.degraded("InvalidSpec", Problems.summary(problems));
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
          CanonicalTaskDefinition canonical = CanonicalTaskDefinition.of(td.getSpec());
          RevisionState state =
              backend.get().reconcile(td, cluster, canonical, inUse(context), context);
          next.revision = state.latest();
          next.hash = canonical.hash();
          next.revisions = state.retained();
          if (state.created()) {
            events.normal(
                td,
                "RevisionCreated",
                "revision " + state.latest() + " (" + canonical.hash() + ")");
          }
          outcome = Outcome.ready("RevisionReady", "revision " + state.latest() + " is the latest");
        }
      }
    }
    if (outcome.newlyDegraded(previous)) {
      events.warning(td, outcome.reason(), outcome.message());
    }
    metrics.reconciled("TaskDefinition", outcome);
    return status.record(td, next, outcome, List.of());
  }

  /** Revisions Services run, pin or fall back to: never pruned. */
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
    return used.stream().collect(Collectors.toSet());
  }

  @Override
  public ErrorStatusUpdateControl<TaskDefinition> updateErrorStatus(
      TaskDefinition td, Context<TaskDefinition> context, Exception e) {
    return status.recordError(td, TaskDefinitionStatus::new, e);
  }
}
