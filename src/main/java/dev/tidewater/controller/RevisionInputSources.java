package dev.tidewater.controller;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The event sources of a kind that runs a TaskDefinition's revisions (Services, Tasks,
 * ScheduledTasks), over the shared caches: its TaskDefinition (a new revision in its status), the
 * TaskDefinition's revisions (ControllerRevisions, by their TaskDefinition label) and TaskRoles.
 */
final class RevisionInputSources {

  private RevisionInputSources() {}

  /**
   * @param taskDefinitionName the TaskDefinition a primary names, or null
   * @param users the primaries of a namespace whose TaskDefinition has a label value
   * @param roleUsers the primaries a TaskRole's change concerns
   */
  static <P extends HasMetadata> List<EventSource<?, P>> of(
      EventSourceContext<P> context,
      SharedInformers informers,
      Function<P, String> taskDefinitionName,
      BiFunction<String, String, Stream<P>> users,
      Function<TaskRole, Set<ResourceID>> roleUsers) {
    EventSource<TaskDefinition, P> taskDefinitions =
        SharedEventSource.of(
            context,
            informers.taskDefinitions(),
            td -> {
              String name = td.getMetadata().getName();
              return users
                  .apply(td.getMetadata().getNamespace(), TidewaterLabels.value(name))
                  .filter(p -> name.equals(taskDefinitionName.apply(p)))
                  .map(ResourceID::fromResource)
                  .collect(Collectors.toSet());
            },
            (P p) ->
                taskDefinitionName.apply(p) == null
                    ? Set.of()
                    : Set.of(
                        new ResourceID(
                            taskDefinitionName.apply(p), p.getMetadata().getNamespace())));
    EventSource<ControllerRevision, P> revisions =
        SharedEventSource.of(
            context,
            informers.revisions(),
            r -> {
              String label = r.getMetadata().getLabels().get(TidewaterLabels.TASK_DEFINITION);
              return label == null
                  ? Set.of()
                  : users
                      .apply(r.getMetadata().getNamespace(), label)
                      .map(ResourceID::fromResource)
                      .collect(Collectors.toSet());
            },
            // read by index (revisionsOf), not as this primary's secondary resources
            (P p) -> Set.of());
    EventSource<TaskRole, P> taskRoles =
        SharedEventSource.of(context, informers.taskRoles(), roleUsers, (P p) -> Set.of());
    return List.of(taskDefinitions, revisions, taskRoles);
  }
}
