package dev.tidewater.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one place statuses are written: fills conditions (keeping transition times), warnings and
 * observedGeneration into the next status, and patches only when it differs from the current one; a
 * status that only reports progress is paced ({@link ProgressPacing}).
 */
public final class StatusRecorder {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Duration CLUSTER_CACHE_RECHECK = Duration.ofSeconds(5);
  private final StatusConditions conditions;
  private final ProgressPacing pacing;

  public StatusRecorder(Clock clock) {
    this(clock, ProgressPacing.none());
  }

  /**
   * @param pacing when a status reporting progress only ({@link #recordProgress}) is written; told
   *     of every write
   */
  public StatusRecorder(Clock clock, ProgressPacing pacing) {
    this.conditions = new StatusConditions(clock);
    this.pacing = pacing;
  }

  /**
   * A failed reconcile as a Degraded condition (reason {@code ReconcileError}) on top of the
   * current status, so the failure is visible on the resource, not only in the operator's log;
   * JOSDK retries with backoff, and after its last retry {@link ExhaustedRetries} reschedules.
   *
   * @param retry the reconcile's retry state ({@code context.getRetryInfo()})
   */
  @SuppressWarnings("unchecked") // the status copy has the status's own class
  public <S extends TidewaterStatus, P extends CustomResource<?, S>>
      ErrorStatusUpdateControl<P> recordError(
          P resource, Supplier<S> empty, Exception error, Optional<RetryInfo> retry) {
    if (namespaceTerminating(error)) {
      // the namespace is being deleted and takes this resource with it: a child the namespace
      // controller removed first cannot be made again, and retrying only loads the API server
      return ErrorStatusUpdateControl.<P>noStatusUpdate().withNoRetry();
    }
    S next =
        resource.getStatus() == null
            ? empty.get()
            : JSON.convertValue(
                JSON.convertValue(resource.getStatus(), JsonNode.class),
                (Class<S>) resource.getStatus().getClass());
    String message =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    if (message.length() > 512) message = message.substring(0, 509) + "...";
    UpdateControl<P> update =
        record(
            resource,
            next,
            Outcome.degraded("ReconcileError", message),
            resource.getStatus() == null ? List.of() : resource.getStatus().getWarnings());
    ErrorStatusUpdateControl<P> control =
        update.isPatchStatus()
            ? ErrorStatusUpdateControl.patchStatus(update.getResource().orElseThrow())
            : ErrorStatusUpdateControl.noStatusUpdate();
    // the Cluster cache lists again by itself, and no event reaches a resource when it does (there
    // may be no Cluster at all): look again soon for as long as it takes, not for five retries
    return error instanceof ClusterEventSources.ClusterCacheNotSynced
        ? control.rescheduleAfter(CLUSTER_CACHE_RECHECK)
        : ExhaustedRetries.SHARED.afterError(control, resource, retry);
  }

  /**
   * @param next the status to have, without conditions (they are filled here); must not share
   *     mutable state with the current status
   * @return a status patch, or no update when nothing changed
   */
  public <S extends TidewaterStatus, P extends CustomResource<?, S>> UpdateControl<P> record(
      P resource, S next, Outcome outcome, List<StatusWarning> warnings) {
    return record(resource, next, outcome.conditions(), warnings);
  }

  /**
   * As {@link #record(CustomResource, TidewaterStatus, Outcome, List)}, with conditions beyond the
   * three of an {@link Outcome} (a Task's Succeeded / Failed / Running).
   */
  public <S extends TidewaterStatus, P extends CustomResource<?, S>> UpdateControl<P> record(
      P resource, S next, List<Condition> desired, List<StatusWarning> warnings) {
    return record(resource, next, desired, warnings, null);
  }

  /**
   * As {@link #record(CustomResource, TidewaterStatus, Outcome, List)}, for a status that reports
   * work in progress (a rollout): when it differs from the recorded one only in {@code counts} and
   * in its conditions' messages (which then say only those counts), or when it is the resource's
   * first status, it is held while {@link ProgressPacing} says so — no update, the reconcile
   * rescheduled for when it may be written. Any other difference is written at once.
   *
   * @param counts the names of the status fields that move while the work progresses
   */
  public <S extends TidewaterStatus, P extends CustomResource<?, S>>
      UpdateControl<P> recordProgress(
          P resource, S next, Outcome outcome, List<StatusWarning> warnings, Set<String> counts) {
    return record(resource, next, outcome.conditions(), warnings, counts);
  }

  private <S extends TidewaterStatus, P extends CustomResource<?, S>> UpdateControl<P> record(
      P resource,
      S next,
      List<Condition> desired,
      List<StatusWarning> warnings,
      Set<String> counts) {
    S previous = resource.getStatus();
    JsonNode before =
        previous == null ? NullNode.getInstance() : JSON.convertValue(previous, JsonNode.class);
    List<Condition> carried =
        previous == null ? new ArrayList<>() : new ArrayList<>(previous.getConditions());
    next.setConditions(carried);
    conditions.apply(next, resource.getMetadata().getGeneration(), desired, warnings);
    JsonNode after = JSON.convertValue(next, JsonNode.class);
    String uid = resource.getMetadata().getUid();
    if (after.equals(before)) {
      pacing.settled(uid);
      return UpdateControl.noUpdate();
    }
    if (counts != null) {
      ProgressPacing.Change change =
          previous == null
              ? ProgressPacing.Change.FIRST_PROGRESS
              : withoutCounts(before, counts).equals(withoutCounts(after, counts))
                  ? ProgressPacing.Change.COUNTS
                  : ProgressPacing.Change.OTHER;
      Optional<Duration> held = pacing.hold(uid, ResourceID.fromResource(resource), change);
      if (held.isPresent()) {
        // rescheduled, so the held status is written at the end of the interval at the latest
        return UpdateControl.<P>noUpdate().rescheduleAfter(held.get());
      }
    }
    pacing.wrote(uid, ResourceID.fromResource(resource));
    // never mutate the resource handed in: it may be the informer's cached object, and a failed
    // patch must not leave the cache looking as if it had succeeded
    P patch = JSON.clone(resource);
    patch.setStatus(next);
    // the status is applied as a whole by its own field manager: no optimistic lock on a cache
    // that may lag behind our own previous patch
    patch.getMetadata().setResourceVersion(null);
    patch.getMetadata().setManagedFields(null);
    return UpdateControl.patchStatus(patch);
  }

  /**
   * Carries out {@code update}: writes the status it carries (if any) here, as the Operator SDK
   * would after the reconcile, and reconciles {@code reconciled} again at once when the API
   * server's answer shows a change this reconcile did not see.
   *
   * <p>The Operator SDK (5.3.2) drops the watch events of a primary whose resource version is older
   * than the answer to its own status write: it takes them for echoes of that write. But a status
   * is applied without optimistic lock, so a spec edit made while the reconcile ran lies under the
   * write's answer, and its event was dropped with the echoes: the edit was never reconciled (a
   * Service's last desiredCount, edited while a status was written, stayed unapplied). The answer
   * holds everything the server had, so a change in it beside the status is exactly what a dropped
   * event could have carried. (The SDK's 5.3.5 filters only its own writes' events; not served
   * here.)
   *
   * @param reconciled the resource the reconcile was handed
   * @return the control to hand to the Operator SDK: no status update left in it
   */
  public static <P extends HasMetadata> UpdateControl<P> write(
      Context<P> context, P reconciled, UpdateControl<P> update) {
    if (!update.isPatchStatus()) return update;
    P answer =
        context
            .resourceOperations()
            .serverSideApplyPrimaryStatus(update.getResource().orElseThrow());
    UpdateControl<P> written = UpdateControl.noUpdate();
    if (changedBeside(reconciled, answer)) {
      written.reschedule();
    } else {
      update.getScheduleDelay().ifPresent(written::rescheduleAfter);
    }
    return written;
  }

  /**
   * Whether {@code answer} (the API server's answer to a status write on {@code reconciled}) shows
   * a change outside the status: its spec (a new generation) or the metadata a reconcile reads.
   */
  static boolean changedBeside(HasMetadata reconciled, HasMetadata answer) {
    ObjectMeta was = reconciled.getMetadata();
    ObjectMeta is = answer.getMetadata();
    return !Objects.equals(was.getGeneration(), is.getGeneration())
        || !Objects.equals(was.getDeletionTimestamp(), is.getDeletionTimestamp())
        || !Objects.equals(orEmpty(was.getLabels()), orEmpty(is.getLabels()))
        || !Objects.equals(orEmpty(was.getAnnotations()), orEmpty(is.getAnnotations()))
        || !Objects.equals(orEmpty(was.getFinalizers()), orEmpty(is.getFinalizers()))
        || !Objects.equals(orEmpty(was.getOwnerReferences()), orEmpty(is.getOwnerReferences()));
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /** A status as JSON without the fields in {@code counts} and without its conditions' messages. */
  static JsonNode withoutCounts(JsonNode status, Set<String> counts) {
    if (!(status instanceof ObjectNode object)) return status;
    ObjectNode copy = object.deepCopy();
    copy.remove(counts);
    if (copy.get("conditions") instanceof ArrayNode list) {
      list.forEach(
          c -> {
            if (c instanceof ObjectNode condition) condition.remove("message");
          });
    }
    return copy;
  }

  /** Whether the API server refused a write because the namespace is being deleted. */
  static boolean namespaceTerminating(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof KubernetesClientException k
          && k.getCode() == 403
          && k.getStatus() != null
          && k.getStatus().getDetails() != null
          && k.getStatus().getDetails().getCauses() != null
          && k.getStatus().getDetails().getCauses().stream()
              .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()))) {
        return true;
      }
    }
    return false;
  }
}
