package dev.tidewater.backend;

/**
 * The backends of every kind on one place workloads run: what {@link BackendFactory} registers per
 * {@link BackendKind}. A new place to run is one package implementing these interfaces plus one
 * registry line.
 */
public record Backends(
    ClusterBackend clusters,
    TaskDefinitionBackend taskDefinitions,
    ServiceBackend services,
    TaskRoleBackend taskRoles,
    RouteBackend routes,
    TaskBackend tasks,
    ScheduledTaskBackend scheduledTasks) {}
