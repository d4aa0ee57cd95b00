package dev.tidewater.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.HashMap;

/**
 * Holds a Service, TaskDefinition or LoadBalancerRoute whose deletion must remove something outside
 * Kubernetes (ECS, ELBv2): a finalizer, and a label by which only such resources reach the cleanup
 * controllers' informers (thousands of kubernetes-backend resources cost those controllers no watch
 * traffic or memory, and are never held: their children go by garbage collection).
 */
final class CleanupHolds {

  /** On the resources a cleanup controller must see. */
  static final String LABEL = "tidewater.dev/cleanup";

  static final String SELECTOR = LABEL + "=true";

  private CleanupHolds() {}

  static boolean held(HasMetadata resource, String finalizer) {
    var labels = resource.getMetadata().getLabels();
    return resource.hasFinalizer(finalizer) && labels != null && "true".equals(labels.get(LABEL));
  }

  /** Adds the finalizer and the label (one patch; nothing when both are there). */
  static <P extends HasMetadata> void hold(Context<P> context, P resource, String finalizer) {
    if (held(resource, finalizer)) return;
    PrimaryUpdateAndCacheUtils.conflictRetryingPatch(
        context.getClient(),
        resource,
        r -> {
          r.addFinalizer(finalizer);
          if (r.getMetadata().getLabels() == null) r.getMetadata().setLabels(new HashMap<>());
          r.getMetadata().getLabels().put(LABEL, "true");
          return r;
        },
        // the SDK's "patch needed" test, applied again to the fresh copy after a conflict
        r -> !held(r, finalizer));
  }

  /**
   * Lets a resource that no longer has anything outside Kubernetes go: removes the finalizer and
   * the label (one patch; nothing when neither is there).
   */
  static <P extends HasMetadata> void release(Context<P> context, P resource, String finalizer) {
    if (!resource.hasFinalizer(finalizer) && !labelled(resource)) return;
    PrimaryUpdateAndCacheUtils.conflictRetryingPatch(
        context.getClient(),
        resource,
        r -> {
          r.removeFinalizer(finalizer);
          if (r.getMetadata().getLabels() != null) r.getMetadata().getLabels().remove(LABEL);
          return r;
        },
        r -> r.hasFinalizer(finalizer) || labelled(r));
  }

  private static boolean labelled(HasMetadata resource) {
    var labels = resource.getMetadata().getLabels();
    return labels != null && labels.containsKey(LABEL);
  }

  /**
   * A resource that needs no hold: releases the finalizer earlier versions put on every resource
   * (it has no label, so no cleanup controller would ever remove it and its deletion would hang),
   * unless its status shows it ran on ECS (or made ELBv2 objects), which the cleanup controller
   * must then see.
   */
  static <P extends HasMetadata> void releaseUnneeded(
      Context<P> context, P resource, String finalizer, boolean ranOnEcs) {
    if (!resource.hasFinalizer(finalizer) || held(resource, finalizer)) return;
    if (ranOnEcs) {
      hold(context, resource, finalizer);
    } else {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context, finalizer);
    }
  }
}
