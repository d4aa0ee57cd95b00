package dev.tidewater.controller;

import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;

/**
 * Informers of the children a kind owns: only objects labelled as Tidewater's are cached, and each
 * maps back to its owner by owner reference.
 */
public final class OwnedEventSources {

  private OwnedEventSources() {}

  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> owned(
      Class<R> type, EventSourceContext<P> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withLabelSelector(TidewaterLabels.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(
                Mappers.fromOwnerReferences(context.getPrimaryResourceClass()))
            .build(),
        context);
  }
}
