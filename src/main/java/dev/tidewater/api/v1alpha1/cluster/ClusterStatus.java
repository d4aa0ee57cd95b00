package dev.tidewater.api.v1alpha1.cluster;

import dev.tidewater.api.v1alpha1.common.TidewaterStatus;

/** Status of a {@link Cluster}. */
public class ClusterStatus extends TidewaterStatus {}
