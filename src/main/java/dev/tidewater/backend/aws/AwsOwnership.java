package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.model.Sha256;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who owns an AWS object Tidewater made: the tags every such object carries ({@code
 * tidewater.dev/owner} = {@code <kind>/<namespace>/<name>}, {@code tidewater.dev/uid} = the
 * resource's uid, {@code tidewater.dev/cluster} = the Kubernetes cluster's identity) and the
 * decision, for an object found under our name, whether it is ours, a leftover of an earlier
 * resource of the same name, or someone else's (DESIGN.md rule 4).
 *
 * <p>The cluster identity is one per operator process ({@code tidewater.cluster-id}, default the
 * uid of the {@code kube-system} namespace), set once at start-up by {@link ClusterIdentity}: a
 * process-wide value rather than a parameter, so every backend that tags or claims (ECS, ELBv2,
 * IAM, EKS) uses the same one without threading it through each call. Unset (unit tests, the CLI),
 * objects get no cluster tag and the cluster tag of what is found is not compared.
 */
public final class AwsOwnership {

  public static final String OWNER_TAG = "tidewater.dev/owner";
  public static final String UID_TAG = "tidewater.dev/uid";
  public static final String CLUSTER_TAG = "tidewater.dev/cluster";

  /** The prefix of every tag key of Tidewater's (the only keys a claim may write first). */
  public static final String OWN_PREFIX = "tidewater.dev/";

  /** The tags Tidewater adds to every object, counted against AWS's 50 tags per resource. */
  public static final int OWN_TAG_COUNT = 3;

  /** AWS's longest tag value (ECS, ELBv2, IAM, EKS alike). */
  public static final int MAX_TAG_VALUE = 256;

  /** What a cluster id may be: a tag value every service accepts, at most 128 characters. */
  private static final Pattern CLUSTER_ID = Pattern.compile("^[A-Za-z0-9 _.:/=+@-]{1,128}$");

  private static volatile String clusterId;

  /** What an object found under our name is to {@code resource}. */
  public enum Claim {
    /** Tagged with this resource's owner and uid (and this cluster, or no cluster: see below). */
    OURS,
    /**
     * Tagged with this resource's owner and this cluster but another uid: an earlier incarnation;
     * ours to reuse.
     */
    PREVIOUS_INCARNATION,
    /**
     * Not tagged by Tidewater (or, untagged by cluster, for an earlier resource of the same name,
     * which may have been another cluster's): NameConflict unless {@code adopt: true}.
     */
    FOREIGN,
    /**
     * Tagged by Tidewater for another resource (another namespace's, or another kind or name):
     * never adopted, changed or deleted — {@code adopt: true} takes only untagged objects.
     */
    OTHER_OWNER,
    /** Tagged by another Kubernetes cluster's Tidewater: never adopted, changed or deleted. */
    OTHER_CLUSTER;

    /** Whether the object is this resource's to change and delete. */
    public boolean ours() {
      return this == OURS || this == PREVIOUS_INCARNATION;
    }

    /** Whether the resource may use the object: ours, or foreign with {@code adopt: true}. */
    public boolean usable(Boolean adopt) {
      return ours() || (this == FOREIGN && Boolean.TRUE.equals(adopt));
    }

    /** What a NameConflict message adds after "... is not this resource's". */
    public String conflictHint() {
      return switch (this) {
        case OTHER_CLUSTER ->
            " (its "
                + CLUSTER_TAG
                + " tag names another Kubernetes cluster's Tidewater: never"
                + " adopted)";
        case OTHER_OWNER ->
            " (its " + OWNER_TAG + " tag names another Tidewater resource: never adopted)";
        default -> "; set spec.adopt: true to take it over";
      };
    }

    /** As {@link #conflictHint()}, naming the owner the tags give (e.g. its namespace). */
    public String conflictHint(Map<String, String> tags) {
      return this == OTHER_OWNER && tags.get(OWNER_TAG) != null
          ? " (owned by " + tags.get(OWNER_TAG) + ", by its " + OWNER_TAG + " tag: never adopted)"
          : conflictHint();
    }
  }

  private AwsOwnership() {}

  /**
   * Sets this process's cluster identity (once, at start-up).
   *
   * @throws IllegalArgumentException when {@code id} is not a valid tag value of 1..128 of {@code
   *     [A-Za-z0-9 _.:/=+@-]}
   */
  public static void useClusterId(String id) {
    if (id == null || !CLUSTER_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "tidewater.cluster-id "
              + (id == null ? "is empty" : "\"" + id + "\" is not")
              + " 1 to 128 characters of [A-Za-z0-9 _.:/=+@-] (an AWS tag value)");
    }
    clusterId = id;
  }

  /** This process's cluster identity, when known. */
  public static Optional<String> clusterId() {
    return Optional.ofNullable(clusterId);
  }

  /** For tests: forget the cluster identity. */
  static void forgetClusterId() {
    clusterId = null;
  }

  /**
   * The owner tag value of a resource: {@code <Kind>/<namespace>/<name>}; past AWS's 256 characters
   * (a 253-character name can get there), its first 239 characters, {@code '~'} and 16 hex
   * characters of the SHA-256 of the whole (deterministic, so a restarted operator finds it).
   */
  public static String owner(HasMetadata resource) {
    String full =
        resource.getKind()
            + "/"
            + resource.getMetadata().getNamespace()
            + "/"
            + resource.getMetadata().getName();
    if (full.length() <= MAX_TAG_VALUE) {
      return full;
    }
    String hash = Sha256.hex(full, 16);
    return full.substring(0, MAX_TAG_VALUE - hash.length() - 1) + "~" + hash;
  }

  /**
   * The ownership tags of {@code resource} followed by the user's own tags (ours win on a clash: a
   * user tag cannot disown an object).
   */
  public static Map<String, String> tags(HasMetadata resource, Map<String, String> userTags) {
    Map<String, String> tags = new LinkedHashMap<>(userTags);
    tags.put(OWNER_TAG, owner(resource));
    tags.put(UID_TAG, resource.getMetadata().getUid());
    clusterId().ifPresent(id -> tags.put(CLUSTER_TAG, id));
    return tags;
  }

  /**
   * The tag writes (AddTags / TagResource calls, in order) that give an object carrying {@code
   * observed} every tag of {@code wanted} it lacks or holds with another value; none when nothing
   * is missing (a resync of a tagged object writes nothing). An object without an owner tag (a
   * claim: {@code adopt: true}) first gets only Tidewater's own tags, the only ones
   * deploy/iam-policy.json lets the operator put on an object it does not own yet; the user's tags
   * follow in a second write, allowed like any write on an object it owns.
   */
  public static List<Map<String, String>> tagWrites(
      Map<String, String> wanted, Map<String, String> observed) {
    Map<String, String> ours = new LinkedHashMap<>();
    Map<String, String> users = new LinkedHashMap<>();
    wanted.forEach(
        (k, v) -> {
          String value = v == null ? "" : v;
          if (!value.equals(observed.get(k))) {
            (k.startsWith(OWN_PREFIX) ? ours : users).put(k, value);
          }
        });
    if (observed.containsKey(OWNER_TAG) || ours.isEmpty() || users.isEmpty()) {
      Map<String, String> all = new LinkedHashMap<>(ours);
      all.putAll(users);
      return all.isEmpty() ? List.of() : List.of(all);
    }
    return List.of(ours, users);
  }

  /**
   * The namespace of the resource an object's owner tag names ({@code <Kind>/<namespace>/<name>}),
   * if it carries one.
   */
  public static Optional<String> namespaceOfOwner(Map<String, String> tags) {
    String owner = tags.get(OWNER_TAG);
    if (owner == null) return Optional.empty();
    String[] parts = owner.split("/", 3);
    return parts.length == 3 ? Optional.of(parts[1]) : Optional.empty();
  }

  /** The user's tags of a spec as a map ({@code null} → empty). */
  public static Map<String, String> userTags(List<Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(t -> map.put(t.key, t.value));
    }
    return map;
  }

  /**
   * How an object carrying {@code tags} relates to {@code resource}. An object tagged with another
   * cluster id is OTHER_CLUSTER whatever its owner tag says; one whose owner tag names another
   * resource (another namespace's: a name that collided) is OTHER_OWNER, never adoptable. An object
   * with an owner tag but no cluster tag was made before Tidewater 0.4 tagged clusters: with this
   * resource's uid it is ours (and gets this cluster's tag with its next tag update); with another
   * uid it may be another cluster's resource of the same namespace and name, so it is FOREIGN (see
   * docs/install.md, "Cluster identity").
   */
  public static Claim claim(HasMetadata resource, Map<String, String> tags) {
    String taggedCluster = tags.get(CLUSTER_TAG);
    if (taggedCluster != null && clusterId != null && !Objects.equals(taggedCluster, clusterId)) {
      return Claim.OTHER_CLUSTER;
    }
    if (tags.get(OWNER_TAG) != null && !owner(resource).equals(tags.get(OWNER_TAG))) {
      return Claim.OTHER_OWNER;
    }
    if (!owner(resource).equals(tags.get(OWNER_TAG))) {
      return Claim.FOREIGN;
    }
    if (resource.getMetadata().getUid().equals(tags.get(UID_TAG))) {
      return Claim.OURS;
    }
    return taggedCluster == null && clusterId != null ? Claim.FOREIGN : Claim.PREVIOUS_INCARNATION;
  }
}
