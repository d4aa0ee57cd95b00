package dev.tidewater.backend;

import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionRevision;
import java.util.List;

/**
 * A TaskDefinition's revisions after a reconcile on its backend.
 *
 * @param latest the latest revision number
 * @param created whether this reconcile made the latest revision
 * @param retained every revision kept, oldest first
 */
public record RevisionState(int latest, boolean created, List<TaskDefinitionRevision> retained) {}
