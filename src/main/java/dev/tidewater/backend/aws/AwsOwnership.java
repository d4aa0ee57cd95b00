package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.common.Tag;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who owns an AWS object Tidewater made: the tags every such object carries ({@code
 * tidewater.dev/owner} = {@code <kind>/<namespace>/<name>}, {@code tidewater.dev/uid} = the
 * resource's uid) and the decision, for an object found under our name, whether it is ours, a
 * leftover of an earlier resource of the same name, or someone else's (DESIGN.md rule 4).
 */
public final class AwsOwnership {

  public static final String OWNER_TAG = "tidewater.dev/owner";
  public static final String UID_TAG = "tidewater.dev/uid";

  /** What an object found under our name is to {@code resource}. */
  public enum Claim {
    /** Tagged with this resource's owner and uid. */
    OURS,
    /** Tagged with this resource's owner but another uid: an earlier incarnation; ours to reuse. */
    PREVIOUS_INCARNATION,
    /** Not tagged by Tidewater for this resource: NameConflict unless {@code adopt: true}. */
    FOREIGN
  }

  private AwsOwnership() {}

  /** The owner tag value of a resource: {@code <Kind>/<namespace>/<name>}. */
  public static String owner(HasMetadata resource) {
    return resource.getKind()
        + "/"
        + resource.getMetadata().getNamespace()
        + "/"
        + resource.getMetadata().getName();
  }

  /**
   * The ownership tags of {@code resource} followed by the user's own tags (ours win on a clash: a
   * user tag cannot disown an object).
   */
  public static Map<String, String> tags(HasMetadata resource, Map<String, String> userTags) {
    Map<String, String> tags = new LinkedHashMap<>(userTags);
    tags.put(OWNER_TAG, owner(resource));
    tags.put(UID_TAG, resource.getMetadata().getUid());
    return tags;
  }

  /** The user's tags of a spec as a map ({@code null} → empty). */
  public static Map<String, String> userTags(List<Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(t -> map.put(t.key, t.value));
    }
    return map;
  }

  /** How an object carrying {@code tags} relates to {@code resource}. */
  public static Claim claim(HasMetadata resource, Map<String, String> tags) {
    if (!owner(resource).equals(tags.get(OWNER_TAG))) {
      return Claim.FOREIGN;
    }
    return resource.getMetadata().getUid().equals(tags.get(UID_TAG))
        ? Claim.OURS
        : Claim.PREVIOUS_INCARNATION;
  }
}
