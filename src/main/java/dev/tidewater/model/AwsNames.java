package dev.tidewater.model;

import java.util.Objects;
import java.util.Optional;

/**
 * Derives AWS names from a Kubernetes namespace and name, so the same resource always maps to the
 * same AWS name and the operator can find what it created before a crash.
 *
 * <p>The name is {@code <namespace>-<name>} with characters the kind does not allow replaced by
 * {@code '-'}. When that does not satisfy the kind (too long, or a forbidden prefix), it becomes a
 * readable prefix plus {@code "-"} and {@value #HASH_LENGTH} hex characters of SHA-256 over the
 * exact input, so inputs that share a long prefix still get distinct names.
 */
public final class AwsNames {

  /** Length of the hash suffix in hex characters. */
  public static final int HASH_LENGTH = 8;

  /** Prefix used when sanitising leaves nothing readable. */
  static final String FALLBACK_PREFIX = "tw";

  private AwsNames() {}

  /** A kind of AWS name, with its length limit, allowed characters and extra rules. */
  public enum Kind {
    /** An ELBv2 target group name. */
    TARGET_GROUP(32, "-", true, "internal-"),
    /** An IAM role name. */
    IAM_ROLE(64, "+=,.@_-", false, null),
    /** An ECS task definition family. */
    TASK_FAMILY(255, "_-", false, null),
    /** An ECS service name. */
    ECS_SERVICE(255, "_-", false, null),
    /** An ECS cluster name. */
    ECS_CLUSTER(255, "_-", false, null),
    /** A CreateService client token. */
    CLIENT_TOKEN(36, "-", false, null),
    /** An IAM (inline or managed) policy name. */
    POLICY_NAME(128, "+=,.@_-", false, null),
    /** An EventBridge Scheduler schedule name. */
    SCHEDULE(64, "-_.", false, null);

    private final int maxLength;
    // Allowed characters besides ASCII letters and digits, which every kind allows.
    private final String extraCharacters;
    private final boolean noHyphenAtEdges;
    private final String forbiddenPrefix;

    Kind(int maxLength, String extraCharacters, boolean noHyphenAtEdges, String forbiddenPrefix) {
      this.maxLength = maxLength;
      this.extraCharacters = extraCharacters;
      this.noHyphenAtEdges = noHyphenAtEdges;
      this.forbiddenPrefix = forbiddenPrefix;
    }

    /** The longest name AWS accepts for this kind. */
    public int maxLength() {
      return maxLength;
    }

    /** The allowed characters as a regex-style class, for messages. */
    public String allowedCharacters() {
      return "[A-Za-z0-9" + extraCharacters + "]";
    }

    /** Whether the name must not begin or end with a hyphen. */
    public boolean noHyphenAtEdges() {
      return noHyphenAtEdges;
    }

    /** A prefix AWS reserves for this kind (matched case-insensitively), if any. */
    public Optional<String> forbiddenPrefix() {
      return Optional.ofNullable(forbiddenPrefix);
    }

    /** Whether the character may appear in a name of this kind. */
    public boolean allows(int c) {
      // Explicit ASCII ranges: Character.isLetterOrDigit would let non-ASCII letters through.
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || (c < 128 && extraCharacters.indexOf(c) >= 0);
    }

    /**
     * What makes {@code name} unacceptable to AWS for this kind.
     *
     * @return the first rule the name breaks, or empty when it is valid
     */
    public Optional<String> violation(String name) {
      if (name == null || name.isEmpty()) {
        return Optional.of("is empty");
      }
      if (name.length() > maxLength) {
        return Optional.of(
            "is " + name.length() + " characters long, more than the " + maxLength + " allowed");
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (!allows(c)) {
          return Optional.of(
              "contains '" + c + "' at index " + i + ", only " + allowedCharacters() + " allowed");
        }
      }
      if (noHyphenAtEdges && (name.startsWith("-") || name.endsWith("-"))) {
        return Optional.of("begins or ends with a hyphen");
      }
      if (forbiddenPrefix != null && startsWithIgnoreCase(name, forbiddenPrefix)) {
        return Optional.of("begins with \"" + forbiddenPrefix + "\"");
      }
      return Optional.empty();
    }
  }

  /**
   * The AWS name of {@code kind} for the Kubernetes object {@code namespace/name}.
   *
   * @return {@code <namespace>-<name>} with disallowed characters replaced by {@code '-'} when that
   *     is valid for the kind, otherwise a prefix of it plus {@code "-<hash>"}
   */
  public static String of(Kind kind, String namespace, String name) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    return derive(kind, namespace, name, null);
  }

  /**
   * A derived AWS name of {@code kind} for {@code namespace/name}, such as the execution role of a
   * task role ({@code suffix = "exec"}). The suffix always stays at the end, after a hyphen; a
   * leading hyphen in it is ignored, so {@code "exec"} and {@code "-exec"} give the same name.
   *
   * @throws IllegalArgumentException when the suffix is empty, has characters the kind does not
   *     allow, ends with a hyphen where the kind forbids it, or leaves no room for a prefix and
   *     hash
   */
  public static String of(Kind kind, String namespace, String name, String suffix) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(suffix, "suffix");
    return derive(kind, namespace, name, checkedSuffix(kind, suffix));
  }

  /** Length of the hash in a name of the unambiguous scheme, in hex characters (64 bits). */
  public static final int UNAMBIGUOUS_HASH_LENGTH = 16;

  /**
   * The AWS name of {@code kind} for {@code namespace/name} in the unambiguous scheme: no two
   * (namespace, name) pairs get one name (docs/naming.md).
   *
   * <ul>
   *   <li>ECS service, task family, ECS cluster: {@code <namespace>_<name>} ({@code _} occurs in no
   *       Kubernetes name) when that fits and needs no replaced character, else a readable prefix,
   *       {@code __} and the hash (a plain name never holds {@code __});
   *   <li>IAM role and policy names: {@code <namespace>_<name>} when it fits, else a prefix, {@code
   *       +} and the hash (a plain name never holds {@code +});
   *   <li>target group (32 characters, no {@code _}): always a readable prefix, {@code -} and the
   *       hash;
   *   <li>client token: the hash alone (32 hex characters).
   * </ul>
   *
   * The hash is {@value #UNAMBIGUOUS_HASH_LENGTH} hex characters of the SHA-256 of {@code
   * namespace/name} ({@code /} occurs in neither), always last, so two hashed names are equal only
   * if their inputs' hashes are.
   */
  public static String unambiguous(Kind kind, String namespace, String name) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    return unambiguousOf(kind, namespace + "_" + name, namespace + "/" + name);
  }

  /**
   * A derived name in the unambiguous scheme (e.g. the target group of another target type): {@code
   * <namespace>_<name>_<suffix>} where plain, the suffix in the hash input otherwise.
   */
  public static String unambiguous(Kind kind, String namespace, String name, String suffix) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    String s = checkedSuffix(kind, suffix);
    return unambiguousOf(kind, namespace + "_" + name + "_" + s, namespace + "/" + name + "/" + s);
  }

  /**
   * A name chosen for a resource during the switch to the unambiguous scheme, and what is there.
   */
  public record Chosen<T>(String name, Optional<T> found) {}

  /**
   * Which name a resource's AWS object goes by while old-scheme names are still in use
   * (docs/naming.md, migration): the old name when status records it and the object under it is
   * still this resource's; else the new name when something is there; else the old name when the
   * object under it is this resource's (by its owner tags, never by name alone); else the new name.
   * So an object made by an earlier version keeps its name and only new objects get new names.
   *
   * @param recorded the name status records, if any
   * @param current the name in the unambiguous scheme
   * @param legacy the name in the old {@code <namespace>-<name>} scheme
   * @param find looks an object up by name
   * @param ours whether a found object is this resource's and alive (owner tags)
   */
  public static <T> Chosen<T> choose(
      Optional<String> recorded,
      String current,
      String legacy,
      java.util.function.Function<String, Optional<T>> find,
      java.util.function.Predicate<T> ours) {
    boolean hasLegacy = !legacy.equals(current);
    Optional<T> old = null;
    if (hasLegacy && recorded.filter(legacy::equals).isPresent()) {
      // steady state of an object an earlier version made: one lookup, under the name it has
      old = find.apply(legacy);
      if (old.filter(ours).isPresent()) return new Chosen<>(legacy, old);
    }
    Optional<T> found = find.apply(current);
    if (found.isPresent() || !hasLegacy) return new Chosen<>(current, found);
    if (old == null) old = find.apply(legacy);
    if (old.filter(ours).isPresent()) return new Chosen<>(legacy, old);
    return new Chosen<>(current, found);
  }

  private static String unambiguousOf(Kind kind, String plain, String hashInput) {
    String hash = Sha256.hex(hashInput, UNAMBIGUOUS_HASH_LENGTH);
    switch (kind) {
      case CLIENT_TOKEN:
        return Sha256.hex(hashInput, 32);
      case TARGET_GROUP:
        {
          String tail = "-" + hash;
          return readablePrefix(kind, sanitize(kind, plain), kind.maxLength() - tail.length())
              + tail;
        }
      case IAM_ROLE:
      case POLICY_NAME:
        {
          if (kind.violation(plain).isEmpty()) return plain;
          String tail = "+" + hash;
          return cut(sanitize(kind, plain), kind.maxLength() - tail.length()) + tail;
        }
      default:
        {
          if (kind.violation(plain).isEmpty()) return plain;
          String tail = "__" + hash;
          return cut(sanitize(kind, plain), kind.maxLength() - tail.length()) + tail;
        }
    }
  }

  private static String cut(String s, int room) {
    String prefix = s.length() > room ? s.substring(0, room) : s;
    return hasLetterOrDigit(prefix) ? prefix : FALLBACK_PREFIX;
  }

  /** An IAM role ARN: its path and name. */
  private static final java.util.regex.Pattern ROLE_ARN =
      java.util.regex.Pattern.compile("^arn:[^:]+:iam::[0-9]{12}:role(/(?:[^/]+/)*)([^/]+)$");

  /** A namespace (a DNS label) and {@code _}, at the start of a role name Tidewater derived. */
  private static final java.util.regex.Pattern ROLE_NAMESPACE =
      java.util.regex.Pattern.compile("^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)_");

  /**
   * The namespace whose TaskRole the role {@code arn} is, when its path ({@code /tidewater/...})
   * and name say so: Tidewater names a TaskRole's role {@code <namespace>_<name>} ({@code _} occurs
   * in neither), kept at the start of a shortened name. Empty when the ARN does not tell (another
   * path, a role name without {@code _}, a name shortened inside its namespace): the role's owner
   * tags decide then.
   */
  public static Optional<String> namespaceOfRoleArn(String arn) {
    if (arn == null) return Optional.empty();
    var m = ROLE_ARN.matcher(arn);
    if (!m.matches() || !m.group(1).startsWith("/tidewater/")) return Optional.empty();
    var ns = ROLE_NAMESPACE.matcher(m.group(2));
    return ns.find() ? Optional.of(ns.group(1)) : Optional.empty();
  }

  /** A namespace and {@code _}, then a name: an ECS name in the plain unambiguous form. */
  private static final java.util.regex.Pattern ECS_NAMESPACE =
      java.util.regex.Pattern.compile("^([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)_[a-z0-9]");

  /** The shortened unambiguous form of an ECS name: {@code __} and the 64-bit hash, last. */
  private static final java.util.regex.Pattern ECS_HASHED =
      java.util.regex.Pattern.compile("__[0-9a-f]{" + UNAMBIGUOUS_HASH_LENGTH + "}$");

  /**
   * Whose an ECS name (a task definition family, a service) is when it has the form Tidewater
   * derives in the unambiguous scheme: the namespace of a plain {@code <namespace>_<name>}, or the
   * empty string for a shortened {@code …__<hash>} (some namespace, which the name no longer
   * tells). Empty when the name has neither form.
   */
  public static Optional<String> namespaceOfEcsName(String name) {
    if (name == null) return Optional.empty();
    if (ECS_HASHED.matcher(name).find()) return Optional.of("");
    var m = ECS_NAMESPACE.matcher(name);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The longest STS role session name. */
  public static final int ROLE_SESSION_NAME_LENGTH = 64;

  /**
   * The STS role session name of a Cluster's {@code assumeRoleArn}: {@code <namespace>@<name>}, so
   * a target role's trust policy can pin one Cluster with {@code sts:RoleSessionName}. {@code @}
   * cannot occur in either name, so no other namespace / name pair gives the same session name
   * (with {@code -} as the separator, {@code team}/{@code a-x} would be {@code team-a}/{@code x}).
   * Past 64 characters: a prefix, {@code -} and 8 hex characters of the SHA-256 of {@code
   * namespace/name}. Every character of a Kubernetes name is in STS's {@code [\w+=,.@-]}.
   */
  public static String roleSessionName(String namespace, String name) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    String plain = namespace + "@" + name;
    if (plain.length() <= ROLE_SESSION_NAME_LENGTH) {
      return plain;
    }
    String hashed = "-" + hash(namespace + "/" + name);
    return plain.substring(0, ROLE_SESSION_NAME_LENGTH - hashed.length()) + hashed;
  }

  private static String derive(Kind kind, String namespace, String name, String suffix) {
    String base = sanitize(kind, namespace + "-" + name);
    String tail = suffix == null ? "" : "-" + suffix;
    String plain = base + tail;
    if (hasLetterOrDigit(base) && kind.violation(plain).isEmpty()) {
      return plain;
    }
    // The hash is over the raw input, not the sanitised one, so "a.b" and "a-b" stay distinct
    // once hashed; "/" cannot occur in Kubernetes names, so the join is unambiguous.
    String hashed =
        "-" + hash(namespace + "/" + name + (suffix == null ? "" : "/" + suffix)) + tail;
    String result = readablePrefix(kind, base, kind.maxLength() - hashed.length()) + hashed;
    kind.violation(result)
        .ifPresent(
            v -> {
              throw new IllegalStateException(
                  "derived " + kind + " name \"" + result + "\" " + v + " (a bug in AwsNames)");
            });
    return result;
  }

  private static String readablePrefix(Kind kind, String base, int room) {
    String prefix = base;
    if (kind.noHyphenAtEdges()) {
      prefix = stripLeadingHyphens(prefix);
    }
    String candidate = prefix;
    if (kind.forbiddenPrefix().filter(p -> startsWithIgnoreCase(candidate, p)).isPresent()) {
      // Readable and still clear of the reserved prefix (e.g. namespace "internal").
      prefix = FALLBACK_PREFIX + "-" + prefix;
    }
    if (prefix.length() > room) {
      prefix = prefix.substring(0, room);
    }
    // A trailing hyphen would double up with the one before the hash.
    prefix = stripTrailingHyphens(prefix);
    return hasLetterOrDigit(prefix) ? prefix : FALLBACK_PREFIX;
  }

  private static String checkedSuffix(Kind kind, String suffix) {
    String s = stripLeadingHyphens(suffix);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("suffix \"" + suffix + "\" is empty");
    }
    for (int i = 0; i < s.length(); i++) {
      if (!kind.allows(s.charAt(i))) {
        throw new IllegalArgumentException(
            "suffix \""
                + suffix
                + "\" contains '"
                + s.charAt(i)
                + "', a "
                + kind
                + " name allows only "
                + kind.allowedCharacters());
      }
    }
    if (kind.noHyphenAtEdges() && s.endsWith("-")) {
      throw new IllegalArgumentException(
          "suffix \"" + suffix + "\" ends with a hyphen, which a " + kind + " name must not");
    }
    int room = kind.maxLength() - (1 + HASH_LENGTH) - (1 + s.length());
    if (room < FALLBACK_PREFIX.length()) {
      throw new IllegalArgumentException(
          "suffix \""
              + suffix
              + "\" is too long for a "
              + kind
              + " name of at most "
              + kind.maxLength()
              + " characters");
    }
    return s;
  }

  private static String sanitize(Kind kind, String s) {
    StringBuilder out = new StringBuilder(s.length());
    // Code points, so a character outside the BMP becomes one hyphen rather than two.
    s.codePoints().forEach(c -> out.append(kind.allows(c) ? (char) c : '-'));
    return out.toString();
  }

  static String hash(String input) {
    return Sha256.hex(input, HASH_LENGTH);
  }

  private static boolean hasLetterOrDigit(String s) {
    return s.chars()
        .anyMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static String stripLeadingHyphens(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) == '-') {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailingHyphens(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(0, end);
  }
}
