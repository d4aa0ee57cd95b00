package dev.tidewater.model;

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
  public static final String LOAD_BALANCER_ROUTE = "tidewater.dev/loadbalancerroute";

  /**
   * On a Task's pods: as a label, the Task's name as a label value (the pod informer selects it);
   * as an annotation, its exact name.
   */
  public static final String TASK = "tidewater.dev/task";

  /**
   * On a ScheduledTask's CronJob, Jobs and pods: as a label, the ScheduledTask's name as a label
   * value (the informers select it); as an annotation, its exact name.
   */
  public static final String SCHEDULED_TASK = "tidewater.dev/scheduled-task";

  /** Hash of the desired state last applied to a child; equal hash means no write. */
  public static final String APPLIED_HASH = "tidewater.dev/applied-hash";

  /** Field manager of every server-side apply. */
  public static final String FIELD_MANAGER = "tidewater";

  private static final java.util.regex.Pattern LABEL_VALUE =
      java.util.regex.Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  /**
   * Cache index of Services and ControllerRevisions by the TaskDefinition they belong to ({@link
   * #taskDefinitionKey}): looking them up never scans a namespace of thousands.
   */
  public static final String TASK_DEFINITION_INDEX = "tidewater-taskdefinition";

  private TidewaterLabels() {}

  /** The {@link #TASK_DEFINITION_INDEX} key of a TaskDefinition's label value in a namespace. */
  public static String taskDefinitionKey(String namespace, String labelValue) {
    return namespace + "/" + labelValue;
  }

  /**
   * {@code value} as a label value: unchanged when it is one (at most 63 characters, alphanumeric
   * at both ends), else a readable prefix and a hash of the whole, so names and families of up to
   * 253 / 255 characters still select exactly their own objects.
   */
  public static String value(String value) {
    if (LABEL_VALUE.matcher(value).matches()) {
      return value;
    }
    String hash = Sha256.hex(value, 10);
    String prefix = value.replaceAll("[^-A-Za-z0-9_.]", "-");
    prefix = prefix.substring(0, Math.min(prefix.length(), 52));
    prefix = prefix.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    return prefix.isEmpty() ? hash : prefix + "-" + hash;
  }
}
