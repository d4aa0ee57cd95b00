package dev.tidewater.backend.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.InformerCaches;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.RevisionState;
import dev.tidewater.backend.TaskDefinitionBackend;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.OwnerReferences;
import dev.tidewater.model.TidewaterLabels;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Revisions as ControllerRevisions owned by the TaskDefinition (named {@code <name>-<n>}, labelled
 * with family and hash, data = the spec in normal form), garbage collected with it.
 */
public class KubernetesTaskDefinitionBackend implements TaskDefinitionBackend {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;

  /**
   * @param client creates and deletes the ControllerRevisions
   */
  public KubernetesTaskDefinitionBackend(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String firstFamily(TaskDefinition td) {
    return FamilyNames.of(td);
  }

  @Override
  public RevisionState reconcile(
      TaskDefinition td,
      ResolvedCluster cluster,
      CanonicalTaskDefinition canonical,
      Set<Integer> inUse,
      InformerCaches caches) {
    List<ControllerRevision> revisions = new ArrayList<>(caches.of(ControllerRevision.class));
    revisions.sort(Comparator.comparingLong(ControllerRevision::getRevision));
    ControllerRevision latest = revisions.isEmpty() ? null : revisions.get(revisions.size() - 1);
    boolean created = false;
    if (latest == null || !canonical.hash().equals(hashOf(latest))) {
      long next = latest == null ? 1 : latest.getRevision() + 1;
      Made made = create(td, canonical, next);
      latest = made.revision();
      revisions.add(latest);
      created = made.created();
    }
    int limit =
        td.getSpec().revisionHistoryLimit == null
            ? DEFAULT_HISTORY_LIMIT
            : td.getSpec().revisionHistoryLimit;
    List<ControllerRevision> retained = prune(revisions, latest, inUse, limit);
    return new RevisionState(
        latest.getRevision().intValue(),
        created,
        retained.stream().map(this::describe).toList(),
        FamilyNames.of(td));
  }

  private static String hashOf(ControllerRevision r) {
    return r.getMetadata().getLabels() == null
        ? null
        : r.getMetadata().getLabels().get(TidewaterLabels.HASH);
  }

  /** A revision, and whether this call made it (not an earlier reconcile the cache lags behind). */
  private record Made(ControllerRevision revision, boolean created) {}

  private Made create(TaskDefinition td, CanonicalTaskDefinition canonical, long number) {
    String name = revisionName(td.getMetadata().getName(), number);
    ControllerRevision revision =
        new ControllerRevisionBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(td.getMetadata().getNamespace())
            .addToLabels(TidewaterLabels.MANAGED_BY, TidewaterLabels.MANAGED_BY_VALUE)
            .addToLabels(
                TidewaterLabels.TASK_DEFINITION, TidewaterLabels.value(td.getMetadata().getName()))
            .addToLabels(TidewaterLabels.FAMILY, TidewaterLabels.value(FamilyNames.of(td)))
            .addToLabels(TidewaterLabels.HASH, canonical.hash())
            .addToOwnerReferences(OwnerReferences.controlledBy(td))
            .endMetadata()
            .withRevision(number)
            .withData(Map.of("spec", JSON.unmarshal(canonical.json(), Map.class)))
            .build();
    try {
      return new Made(client.resource(revision).create(), true);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
      // made by a reconcile the cache has not caught up with (or before a crash): same content
      // is the same revision; anything else is a conflict to surface
      ControllerRevision existing =
          client
              .resources(ControllerRevision.class)
              .inNamespace(td.getMetadata().getNamespace())
              .withName(name)
              .get();
      if (existing != null && canonical.hash().equals(hashOf(existing))) {
        // no RevisionCreated again for it
        return new Made(existing, false);
      }
      throw e;
    }
  }

  /** The spec a revision holds (its normal form; sorted in revisions made before it). */
  public static TaskDefinitionSpec specOf(ControllerRevision revision) {
    return JSON.convertValue(
        JSON.convertValue(revision.getData(), JsonNode.class).get("spec"),
        TaskDefinitionSpec.class);
  }

  /** Name of revision {@code n} of TaskDefinition {@code name}. */
  public static String revisionName(String name, long n) {
    return name + "-" + n;
  }

  private List<ControllerRevision> prune(
      List<ControllerRevision> revisions,
      ControllerRevision latest,
      Set<Integer> inUse,
      int limit) {
    List<ControllerRevision> kept = new ArrayList<>();
    int spare = limit;
    for (int i = revisions.size() - 1; i >= 0; i--) {
      ControllerRevision r = revisions.get(i);
      int n = r.getRevision().intValue();
      if (r == latest || inUse.contains(n)) {
        kept.add(0, r);
      } else if (spare > 0) {
        spare--;
        kept.add(0, r);
      } else {
        client.resource(r).delete();
      }
    }
    return kept;
  }

  private TaskDefinitionRevision describe(ControllerRevision r) {
    TaskDefinitionRevision d = new TaskDefinitionRevision();
    d.revision = r.getRevision().intValue();
    d.hash = hashOf(r);
    d.createdAt = r.getMetadata().getCreationTimestamp();
    return d;
  }
}
