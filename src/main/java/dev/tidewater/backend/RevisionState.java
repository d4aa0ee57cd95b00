package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import java.util.List;

/**
 * A TaskDefinition's revisions after a reconcile on its backend.
 *
 * @param latest the latest revision number
 * @param created whether this reconcile made the latest revision
 * @param retained every revision kept, oldest first
 * @param family the family the revisions are in (docs/naming.md: on ecs, the one in use)
 */
public record RevisionState(
    int latest, boolean created, List<TaskDefinitionRevision> retained, String family) {}
