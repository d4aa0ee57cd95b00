package dev.tidewater.controller;

/** Labels and annotations Tidewater puts on what it creates, and selects its informers by. */
public final class TidewaterLabels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "tidewater";

  /** Informer selector: the operator caches only what it owns. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  public static final String TASK_DEFINITION = "tidewater.dev/taskdefinition";
  public static final String FAMILY = "tidewater.dev/family";
  public static final String HASH = "tidewater.dev/hash";
  public static final String REVISION = "tidewater.dev/revision";
  public static final String SERVICE = "tidewater.dev/service";

  /** Hash of the desired state last applied to a child; equal hash means no write. */
  public static final String APPLIED_HASH = "tidewater.dev/applied-hash";

  /** Field manager of every server-side apply. */
  public static final String FIELD_MANAGER = "tidewater";

  private TidewaterLabels() {}
}
