package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tidewater.model.AwsNames.Kind;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AwsNamesTest {

  private static final String HASH = "[0-9a-f]{" + AwsNames.HASH_LENGTH + "}";

  // --- kinds ----------------------------------------------------------------------------------

  @Test
  void kindsCarryAwsLimits() {
    assertThat(Kind.TARGET_GROUP.maxLength()).isEqualTo(32);
    assertThat(Kind.IAM_ROLE.maxLength()).isEqualTo(64);
    assertThat(Kind.TASK_FAMILY.maxLength()).isEqualTo(255);
    assertThat(Kind.ECS_SERVICE.maxLength()).isEqualTo(255);
    assertThat(Kind.ECS_CLUSTER.maxLength()).isEqualTo(255);
    assertThat(Kind.CLIENT_TOKEN.maxLength()).isEqualTo(36);
    assertThat(Kind.POLICY_NAME.maxLength()).isEqualTo(128);

    assertThat(Kind.TARGET_GROUP.allowedCharacters()).isEqualTo("[A-Za-z0-9-]");
    assertThat(Kind.IAM_ROLE.allowedCharacters()).isEqualTo("[A-Za-z0-9+=,.@_-]");
    assertThat(Kind.TASK_FAMILY.allowedCharacters()).isEqualTo("[A-Za-z0-9_-]");
    assertThat(Kind.CLIENT_TOKEN.allowedCharacters()).isEqualTo("[A-Za-z0-9-]");
    assertThat(Kind.POLICY_NAME.allowedCharacters()).isEqualTo("[A-Za-z0-9+=,.@_-]");

    assertThat(Kind.TARGET_GROUP.noHyphenAtEdges()).isTrue();
    assertThat(Kind.TARGET_GROUP.forbiddenPrefix()).contains("internal-");
    assertThat(Kind.IAM_ROLE.noHyphenAtEdges()).isFalse();
    assertThat(Kind.IAM_ROLE.forbiddenPrefix()).isEmpty();
  }

  @Test
  void kindAllowsOnlyAsciiFromItsClass() {
    assertThat(Kind.IAM_ROLE.allows('.')).isTrue();
    assertThat(Kind.IAM_ROLE.allows('@')).isTrue();
    assertThat(Kind.TASK_FAMILY.allows('.')).isFalse();
    assertThat(Kind.TASK_FAMILY.allows('_')).isTrue();
    assertThat(Kind.TARGET_GROUP.allows('_')).isFalse();
    assertThat(Kind.TARGET_GROUP.allows('Z')).isTrue();
    assertThat(Kind.TARGET_GROUP.allows('é')).isFalse();
    assertThat(Kind.TARGET_GROUP.allows('٣')).isFalse(); // Arabic-Indic digit three
  }

  @Test
  void violationNamesTheBrokenRule() {
    assertThat(Kind.TARGET_GROUP.violation("ok-name")).isEmpty();
    assertThat(Kind.TARGET_GROUP.violation("")).contains("is empty");
    assertThat(Kind.TARGET_GROUP.violation(null)).contains("is empty");
    assertThat(Kind.TARGET_GROUP.violation("a".repeat(33)))
        .contains("is 33 characters long, more than the 32 allowed");
    assertThat(Kind.TARGET_GROUP.violation("a.b"))
        .contains("contains '.' at index 1, only [A-Za-z0-9-] allowed");
    assertThat(Kind.TARGET_GROUP.violation("-ab")).contains("begins or ends with a hyphen");
    assertThat(Kind.TARGET_GROUP.violation("ab-")).contains("begins or ends with a hyphen");
    assertThat(Kind.TARGET_GROUP.violation("internal-web")).contains("begins with \"internal-\"");
    assertThat(Kind.TARGET_GROUP.violation("Internal-web")).isPresent();
    assertThat(Kind.TARGET_GROUP.violation("internalweb")).isEmpty();
    assertThat(Kind.TARGET_GROUP.violation("a--b")).isEmpty();
    assertThat(Kind.TASK_FAMILY.violation("-ab-")).isEmpty();
    assertThat(Kind.IAM_ROLE.violation("internal-web")).isEmpty();
  }

  // --- names that fit -------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Kind.class)
  void fittingNameIsUnchanged(Kind kind) {
    assertThat(AwsNames.of(kind, "default", "web")).isEqualTo("default-web");
  }

  @Test
  void nameExactlyAtLimitIsUnchanged() {
    String name = "b".repeat(32 - "ns-".length());
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "ns", name)).isEqualTo("ns-" + name);
  }

  @Test
  void dotIsReplacedWhereNotAllowed() {
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "prod", "api.v2")).isEqualTo("prod-api-v2");
    assertThat(AwsNames.of(Kind.TASK_FAMILY, "prod", "api.v2")).isEqualTo("prod-api-v2");
    assertThat(AwsNames.of(Kind.ECS_SERVICE, "prod", "api.v2")).isEqualTo("prod-api-v2");
    assertThat(AwsNames.of(Kind.ECS_CLUSTER, "prod", "api.v2")).isEqualTo("prod-api-v2");
    assertThat(AwsNames.of(Kind.CLIENT_TOKEN, "prod", "api.v2")).isEqualTo("prod-api-v2");
    // IAM allows '.', so it is kept there.
    assertThat(AwsNames.of(Kind.IAM_ROLE, "prod", "api.v2")).isEqualTo("prod-api.v2");
    assertThat(AwsNames.of(Kind.POLICY_NAME, "prod", "api.v2")).isEqualTo("prod-api.v2");
  }

  @Test
  void otherDisallowedCharactersBecomeHyphens() {
    assertThat(AwsNames.of(Kind.TASK_FAMILY, "ns", "a b/c:d")).isEqualTo("ns-a-b-c-d");
    // One hyphen per character, even outside the BMP.
    assertThat(AwsNames.of(Kind.TASK_FAMILY, "ns", "x\uD83D\uDE00y")).isEqualTo("ns-x-y");
    assertThat(AwsNames.of(Kind.IAM_ROLE, "ns", "café")).isEqualTo("ns-caf-");
  }

  // --- names that do not fit ------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Kind.class)
  void longNameIsShortenedExactlyToLimit(Kind kind) {
    String namespace = "n".repeat(63);
    String name = "a".repeat(253);
    String plain = namespace + "-" + name;

    String result = AwsNames.of(kind, namespace, name);

    int max = kind.maxLength();
    assertThat(result).hasSize(max).matches(".*-" + HASH);
    assertThat(result.substring(0, max - 1 - AwsNames.HASH_LENGTH))
        .isEqualTo(plain.substring(0, max - 1 - AwsNames.HASH_LENGTH));
    assertThat(kind.violation(result)).isEmpty();
  }

  @Test
  void shortenedNameIsFixedAcrossRuns() {
    // Regression check: SHA-256("payments-production/checkout-api-frontend") starts 6cf50b24.
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "payments-production", "checkout-api-frontend"))
        .isEqualTo("payments-production-che-6cf50b24");
  }

  @Test
  void hashIsSha256OfTheExactInput() {
    // Known values, computed independently with `printf %s ns/name | sha256sum`.
    assertThat(AwsNames.hash("default/web")).isEqualTo("82b3ade9");
    assertThat(AwsNames.hash("ns/name")).isEqualTo("cb4d4463");
  }

  @Test
  void hyphenAtTheCutIsDropped() {
    // The cut at 64 - 9 = 55 characters falls right after "quite-": no "--" before the hash, so
    // the name is one short of the limit.
    String result =
        AwsNames.of(
            Kind.IAM_ROLE,
            "payments-production",
            "checkout-api-frontend-with-a-quite-long-descriptive-name");
    assertThat(result)
        .isEqualTo("payments-production-checkout-api-frontend-with-a-quite-9fdf61fd")
        .hasSize(63);
  }

  @Test
  void longNamesSharingAPrefixStayDistinct() {
    String a = AwsNames.of(Kind.TARGET_GROUP, "payments-production", "checkout-api-frontend-1");
    String b = AwsNames.of(Kind.TARGET_GROUP, "payments-production", "checkout-api-frontend-2");

    assertThat(a).isNotEqualTo(b).hasSize(32);
    assertThat(b).hasSize(32);
    assertThat(a.substring(0, 23)).isEqualTo(b.substring(0, 23));
  }

  @Test
  void hashSeesCharactersThatSanitisingMerged() {
    // "a.b" and "a-b" sanitise alike; once hashed they must not.
    String longName = "x".repeat(40);
    String dotted = AwsNames.of(Kind.TARGET_GROUP, "a.b", longName);
    String dashed = AwsNames.of(Kind.TARGET_GROUP, "a-b", longName);
    assertThat(dotted).isNotEqualTo(dashed);
    assertThat(dotted.substring(0, 23)).isEqualTo(dashed.substring(0, 23));
  }

  // --- target group rules ---------------------------------------------------------------------

  @Test
  void targetGroupNeverStartsWithInternal() {
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "internal", "web"))
        .isEqualTo("tw-internal-web-7be7ede0");
    // Other kinds have no such rule.
    assertThat(AwsNames.of(Kind.IAM_ROLE, "internal", "web")).isEqualTo("internal-web");
  }

  @Test
  void targetGroupInternalPrefixSurvivesShortening() {
    String result = AwsNames.of(Kind.TARGET_GROUP, "internal", "a".repeat(60));
    assertThat(result).startsWith("tw-internal-").hasSize(32);
    assertThat(Kind.TARGET_GROUP.violation(result)).isEmpty();
  }

  @Test
  void targetGroupNeverHasHyphenAtEdges() {
    // An empty namespace would give "-web": the leading hyphen goes, the hash keeps it distinct.
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "", "web")).isEqualTo("web-a1fc82d7");
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "ns", "web.")).matches("ns-web-" + HASH);
  }

  @Test
  void nothingReadableFallsBackToTw() {
    assertThat(AwsNames.of(Kind.TARGET_GROUP, ".", ".")).isEqualTo("tw-d57a35dd");
    assertThat(AwsNames.of(Kind.TASK_FAMILY, ".", ".")).isEqualTo("tw-d57a35dd");
    assertThat(AwsNames.of(Kind.IAM_ROLE, "", "")).matches("tw-" + HASH);
  }

  // --- suffixes -------------------------------------------------------------------------------

  @Test
  void suffixIsAppendedWhenItFits() {
    assertThat(AwsNames.of(Kind.IAM_ROLE, "default", "app", "exec")).isEqualTo("default-app-exec");
  }

  @Test
  void leadingHyphenOfSuffixIsIgnored() {
    assertThat(AwsNames.of(Kind.IAM_ROLE, "default", "app", "-exec"))
        .isEqualTo(AwsNames.of(Kind.IAM_ROLE, "default", "app", "exec"));
    String longName = "checkout-api-frontend-with-a-really-long-descriptive-name";
    assertThat(AwsNames.of(Kind.IAM_ROLE, "payments-production", longName, "-exec"))
        .isEqualTo(AwsNames.of(Kind.IAM_ROLE, "payments-production", longName, "exec"));
  }

  @Test
  void suffixIsKeptAtTheEndWhenShortened() {
    String result =
        AwsNames.of(
            Kind.IAM_ROLE,
            "payments-production",
            "checkout-api-frontend-with-a-really-long-descriptive-name",
            "exec");
    // SHA-256("payments-production/checkout-api-frontend-with-a-really-long-descriptive-name/exec")
    assertThat(result)
        .isEqualTo("payments-production-checkout-api-frontend-with-a-r-5d1d7362-exec")
        .hasSize(64);
  }

  @Test
  void hashCoversTheSuffix() {
    String longName = "y".repeat(80);
    String plain = AwsNames.of(Kind.IAM_ROLE, "ns", longName);
    String exec = AwsNames.of(Kind.IAM_ROLE, "ns", longName, "exec");
    String task = AwsNames.of(Kind.IAM_ROLE, "ns", longName, "task");
    assertThat(exec).endsWith("-exec");
    assertThat(task).endsWith("-task");
    String plainHash = plain.substring(plain.length() - AwsNames.HASH_LENGTH);
    String execHash = exec.substring(exec.length() - 5 - AwsNames.HASH_LENGTH, exec.length() - 5);
    String taskHash = task.substring(task.length() - 5 - AwsNames.HASH_LENGTH, task.length() - 5);
    assertThat(execHash).matches(HASH).isNotEqualTo(plainHash).isNotEqualTo(taskHash);
  }

  @Test
  void badSuffixIsRejected() {
    assertThatThrownBy(() -> AwsNames.of(Kind.IAM_ROLE, "ns", "n", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> AwsNames.of(Kind.IAM_ROLE, "ns", "n", "--"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> AwsNames.of(Kind.TASK_FAMILY, "ns", "n", "a.b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'.'")
        .hasMessageContaining("[A-Za-z0-9_-]");
    assertThatThrownBy(() -> AwsNames.of(Kind.TARGET_GROUP, "ns", "n", "tg-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends with a hyphen");
    // 32 - 9 ("-" + hash) - 1 ("-" before the suffix) - 20 leaves 2, room for "tw"; 21 leaves 1.
    assertThat(AwsNames.of(Kind.TARGET_GROUP, "ns", "n", "s".repeat(20))).hasSizeLessThan(33);
    assertThatThrownBy(() -> AwsNames.of(Kind.TARGET_GROUP, "ns", "n", "s".repeat(21)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void nullsAreRejected() {
    assertThatThrownBy(() -> AwsNames.of(null, "ns", "n")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AwsNames.of(Kind.IAM_ROLE, null, "n"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AwsNames.of(Kind.IAM_ROLE, "ns", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> AwsNames.of(Kind.IAM_ROLE, "ns", "n", null))
        .isInstanceOf(NullPointerException.class);
  }

  // --- generated inputs -----------------------------------------------------------------------

  @Test
  void everyGeneratedNameSatisfiesItsKind() {
    Random random = new Random(20260101L);
    String[] suffixes = {null, "exec", "task", "-exec", "a1"};
    Map<String, String> inputByResult = new HashMap<>();
    for (int i = 0; i < 600; i++) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      String namespace = dnsLabel(random, 1 + random.nextInt(63));
      String name = dnsSubdomain(random, 1 + random.nextInt(253));
      String suffix = suffixes[random.nextInt(suffixes.length)];

      String result =
          suffix == null
              ? AwsNames.of(kind, namespace, name)
              : AwsNames.of(kind, namespace, name, suffix);

      String input = kind + " " + namespace + "/" + name + "/" + suffix;
      assertThat(kind.violation(result)).as(input + " -> " + result).isEmpty();
      assertThat(result.length()).as(input).isLessThanOrEqualTo(kind.maxLength());
      if (suffix != null) {
        assertThat(result).as(input).endsWith("-" + suffix.replaceFirst("^-+", ""));
      }
      // Deterministic: the same input gives the same name.
      String again =
          suffix == null
              ? AwsNames.of(kind, namespace, name)
              : AwsNames.of(kind, namespace, name, suffix);
      assertThat(again).isEqualTo(result);
      // Distinct inputs of one kind give distinct names ("-exec" and "exec" are one input). The
      // '-' join can be ambiguous in general ("a-b"/"c" vs "a"/"b-c"); random inputs don't hit it.
      String key = kind + " " + namespace + "/" + name + "/" + normalised(suffix);
      String previous = inputByResult.putIfAbsent(kind + " " + result, key);
      assertThat(previous).as(result).isIn(null, key);
    }
  }

  @Test
  void generatedTargetGroupsAllHashAndStayValid() {
    // Target groups are the tightest limit; hammer them specifically, including "internal".
    Random random = new Random(42L);
    for (int i = 0; i < 400; i++) {
      String namespace = i % 10 == 0 ? "internal" : dnsLabel(random, 1 + random.nextInt(63));
      String name = dnsSubdomain(random, 1 + random.nextInt(253));
      String result = AwsNames.of(Kind.TARGET_GROUP, namespace, name);
      assertThat(Kind.TARGET_GROUP.violation(result))
          .as(namespace + "/" + name + " -> " + result)
          .isEmpty();
      String plain = namespace + "-" + name.replace('.', '-');
      if (plain.length() <= 32 && !namespace.equals("internal")) {
        assertThat(result).isEqualTo(plain);
      } else {
        assertThat(result).matches(".*-" + HASH);
      }
    }
  }

  private static String normalised(String suffix) {
    return suffix == null ? null : suffix.replaceFirst("^-+", "");
  }

  private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

  // A DNS label: lowercase alphanumerics and '-', starting and ending alphanumeric.
  private static String dnsLabel(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      boolean edge = i == 0 || i == length - 1;
      s.append(
          !edge && random.nextInt(6) == 0 ? '-' : ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return s.toString();
  }

  // A DNS subdomain: dot-separated labels, at most the given length.
  private static String dnsSubdomain(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      int room = length - s.length() - (s.length() == 0 ? 0 : 1);
      if (room < 1) {
        break;
      }
      if (s.length() > 0) {
        s.append('.');
      }
      s.append(dnsLabel(random, 1 + random.nextInt(Math.min(room, 63))));
    }
    return s.toString();
  }

  @Test
  void theNamespaceOfARoleTidewaterNamedIsReadFromItsArn() {
    assertThat(AwsNames.namespaceOfRoleArn("arn:aws:iam::123456789012:role/tidewater/team-b_web"))
        .contains("team-b");
    assertThat(
            AwsNames.namespaceOfRoleArn(
                "arn:aws:iam::123456789012:role/tidewater/x/team-b_web.v2+0123456789abcdef"))
        .contains("team-b");
    // another path, no separator, a role name alone: the owner tags tell
    assertThat(AwsNames.namespaceOfRoleArn("arn:aws:iam::123456789012:role/ops/team-b_web"))
        .isEmpty();
    assertThat(AwsNames.namespaceOfRoleArn("arn:aws:iam::123456789012:role/tidewater/web"))
        .isEmpty();
    assertThat(AwsNames.namespaceOfRoleArn("team-b_web")).isEmpty();
  }
}
