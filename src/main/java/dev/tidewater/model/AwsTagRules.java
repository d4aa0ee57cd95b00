package dev.tidewater.model;

import dev.tidewater.api.v1alpha1.common.Tag;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tag rules ECS, ELBv2, IAM and EKS share, checked on a spec's {@code tags} with Tidewater's
 * own tags counted: AWS refuses a create or tag call past 50 tags per resource, a key starting with
 * {@code aws:} (reserved to AWS, in any case), a key over 128 or a value over 256 characters.
 */
public final class AwsTagRules {

  /** Tags per resource in ECS, ELBv2, IAM and EKS. */
  public static final int MAX_TAGS = 50;

  /**
   * The tags Tidewater adds to every AWS object ({@code tidewater.dev/owner}, {@code uid}, {@code
   * cluster}).
   */
  public static final int OWN_TAGS = 3;

  /** Tidewater's tags on a task definition revision: the three plus {@code tidewater.dev/hash}. */
  public static final int TASK_DEFINITION_OWN_TAGS = OWN_TAGS + 1;

  /** The prefix of Tidewater's own tag keys: a user tag under it would be overwritten. */
  public static final String OWN_PREFIX = "tidewater.dev/";

  public static final int MAX_KEY_LENGTH = 128;
  public static final int MAX_VALUE_LENGTH = 256;

  /** More tags than AWS takes once Tidewater's are added. */
  public static final String TOO_MANY_TAGS = "TooManyTags";

  /** A tag AWS refuses or Tidewater would overwrite. */
  public static final String INVALID_TAG = "InvalidTag";

  private AwsTagRules() {}

  /**
   * Every problem of {@code tags}, with paths under {@code field} ({@code tags[3].key}).
   *
   * @param tags the spec's tags, {@code null} for none
   */
  public static List<Problem> validate(List<Tag> tags, String field) {
    return validate(tags, field, OWN_TAGS);
  }

  /**
   * Every problem of {@code tags} on an object that carries {@code ownTags} tags of Tidewater's (a
   * task definition revision also has {@code tidewater.dev/hash}: {@link
   * #TASK_DEFINITION_OWN_TAGS}).
   */
  public static List<Problem> validate(List<Tag> tags, String field, int ownTags) {
    List<Problem> problems = new ArrayList<>();
    if (tags == null) {
      return problems;
    }
    if (tags.size() + ownTags > MAX_TAGS) {
      problems.add(
          new Problem(
              field,
              TOO_MANY_TAGS,
              tags.size()
                  + " tags plus Tidewater's "
                  + ownTags
                  + " ("
                  + (ownTags > OWN_TAGS
                      ? "tidewater.dev/owner, uid, cluster, hash"
                      : "tidewater.dev/owner, uid, cluster")
                  + ") are more than the "
                  + MAX_TAGS
                  + " AWS allows per resource: at most "
                  + (MAX_TAGS - ownTags)));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tags.size(); i++) {
      Tag tag = tags.get(i);
      String key = tag == null ? null : tag.key;
      String path = field + "[" + i + "].key";
      if (key == null || key.isEmpty()) {
        problems.add(new Problem(path, INVALID_TAG, "a tag key is required"));
        continue;
      }
      if (key.length() > MAX_KEY_LENGTH) {
        problems.add(
            new Problem(
                path,
                INVALID_TAG,
                "is " + key.length() + " characters long, AWS allows " + MAX_KEY_LENGTH));
      } else if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        problems.add(
            new Problem(path, INVALID_TAG, Messages.quote(key) + ": the aws: prefix is AWS's own"));
      } else if (key.startsWith(OWN_PREFIX)) {
        problems.add(
            new Problem(
                path,
                INVALID_TAG,
                Messages.quote(key) + ": the tidewater.dev/ prefix is Tidewater's ownership tags"));
      } else if (!seen.add(key)) {
        problems.add(new Problem(path, INVALID_TAG, Messages.quote(key) + " is listed twice"));
      }
      if (tag.value != null && tag.value.length() > MAX_VALUE_LENGTH) {
        problems.add(
            new Problem(
                field + "[" + i + "].value",
                INVALID_TAG,
                "is " + tag.value.length() + " characters long, AWS allows " + MAX_VALUE_LENGTH));
      }
    }
    return problems;
  }
}
