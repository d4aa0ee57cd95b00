package dev.tidewater.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the shapes of AWS identifiers a spec refers to (IAM role ARNs, secret references,
 * subnet and security group ids) and unrendered template placeholders in them.
 *
 * <p>Each check returns what is wrong with the value, phrased to follow the quoted value in a
 * message, or empty when the value has the right shape. Only the shape is checked: whether the role
 * or secret exists is for AWS to say.
 */
public final class AwsIdentifiers {

  // aws, aws-cn, aws-us-gov, aws-iso-b, ...
  private static final String PARTITION = "aws(?:-[a-z]+)*";
  // us-east-1, us-gov-west-1, cn-north-1, eusc-de-east-1
  private static final String REGION = "[a-z]{2,4}(?:-[a-z]+)+-\\d{1,2}";
  private static final String ACCOUNT = "\\d{12}";
  private static final String ROLE_NAME = "[\\w+=,.@-]{1,64}";
  private static final String SECRET_NAME = "[A-Za-z0-9/_+=.@-]+";
  private static final String PARAMETER_NAME = "[a-zA-Z0-9_.\\-/]+";
  private static final String SECRET_ARN_FORM =
      "arn:" + PARTITION + ":secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + SECRET_NAME;

  private static final Pattern ROLE_ARN =
      Pattern.compile(
          "arn:" + PARTITION + ":iam::" + ACCOUNT + ":role/(?:[\\x21-\\x7E]*/)?" + ROLE_NAME);
  private static final Pattern BARE_ROLE_NAME = Pattern.compile(ROLE_NAME);
  private static final Pattern PARTITION_ONLY = Pattern.compile(PARTITION);
  private static final Pattern REGION_ONLY = Pattern.compile(REGION);
  private static final Pattern ACCOUNT_ONLY = Pattern.compile(ACCOUNT);
  // A secret ARN may carry ":json-key:version-stage:version-id" (each part may be empty).
  private static final Pattern SECRET_ARN_WITH_KEY =
      Pattern.compile(SECRET_ARN_FORM + "(?::[^:\\s]*){0,3}");
  private static final Pattern SECRET_ARN = Pattern.compile(SECRET_ARN_FORM);
  private static final Pattern SECRET_NAME_ONLY = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");
  private static final Pattern PARAMETER_ARN =
      Pattern.compile(
          "arn:" + PARTITION + ":ssm:" + REGION + ":" + ACCOUNT + ":parameter/" + PARAMETER_NAME);
  private static final Pattern PARAMETER_NAME_ONLY = Pattern.compile(PARAMETER_NAME);
  private static final Pattern SUBNET_ID = Pattern.compile("subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})");
  private static final Pattern SECURITY_GROUP_ID =
      Pattern.compile("sg-(?:[0-9a-f]{8}|[0-9a-f]{17})");

  // Placeholders of the template tools seen in published task definitions: Go/ecspresso {{ }},
  // shell and CloudFormation ${ } and $VAR, the ECS agent's $$$VAR$$$, <SECRET_ARN>, and the
  // XXXXXXXXXXXX account id of AWS samples. None of these characters is valid in the
  // identifiers checked here, so a match is never a false alarm on a real value.
  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "\\{\\{.*?(?:\\}\\}|$)|\\$\\{[^}]*\\}?|\\$\\$+[A-Za-z_]\\w*\\$*|\\$[A-Za-z_]\\w*"
              + "|<[^<>]+>|(?i:x{12})");

  private AwsIdentifiers() {}

  /** The first template placeholder in {@code value} ({@code {{ env }}}, {@code ${X}}, ...). */
  public static Optional<String> placeholderIn(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Matcher m = PLACEHOLDER.matcher(value);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }

  /**
   * What is wrong with an IAM role reference: an ARN {@code arn:aws:iam::<12 digits>:role/[path/]
   * <name>} or a bare role name.
   */
  public static Optional<String> roleViolation(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of("is empty");
    }
    if (value.startsWith("arn:")) {
      if (ROLE_ARN.matcher(value).matches()) {
        return Optional.empty();
      }
      return Optional.of(arnViolation(value, "iam", "an IAM role", "role/"));
    }
    if (BARE_ROLE_NAME.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "is neither an IAM role ARN nor a role name (1-64 characters of [A-Za-z0-9_+=,.@-])");
  }

  /**
   * What is wrong with a secret {@code valueFrom}: a Secrets Manager secret ARN (optionally with
   * {@code :json-key:version-stage:version-id}), an SSM parameter ARN, or an SSM parameter name.
   */
  public static Optional<String> secretReferenceViolation(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of("is empty");
    }
    if (value.startsWith("arn:")) {
      if (SECRET_ARN_WITH_KEY.matcher(value).matches() || PARAMETER_ARN.matcher(value).matches()) {
        return Optional.empty();
      }
      String service = arnPart(value, 2);
      if ("ssm".equals(service)) {
        return Optional.of(arnViolation(value, "ssm", "an SSM parameter", "parameter/"));
      }
      if ("secretsmanager".equals(service)) {
        return Optional.of(
            arnViolation(value, "secretsmanager", "a Secrets Manager secret", "secret:"));
      }
      return Optional.of(
          "is an ARN of service \""
              + service
              + "\"; secrets come from Secrets Manager (arn:aws:secretsmanager:...) or SSM"
              + " Parameter Store (arn:aws:ssm:... or a parameter name)");
    }
    if (PARAMETER_NAME_ONLY.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "is neither a Secrets Manager or SSM parameter ARN nor an SSM parameter name"
            + " ([a-zA-Z0-9_.-/] only)");
  }

  /** What is wrong with a Secrets Manager secret given by ARN or by name. */
  public static Optional<String> secretsManagerSecretViolation(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of("is empty");
    }
    if (value.startsWith("arn:")) {
      if (SECRET_ARN.matcher(value).matches()) {
        return Optional.empty();
      }
      return Optional.of(
          arnViolation(value, "secretsmanager", "a Secrets Manager secret", "secret:"));
    }
    if (SECRET_NAME_ONLY.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of(
        "is neither a Secrets Manager secret ARN nor a secret name ([A-Za-z0-9/_+=.@-] only)");
  }

  /** What is wrong with a VPC subnet id ({@code subnet-} and 8 or 17 hex digits). */
  public static Optional<String> subnetIdViolation(String value) {
    return idViolation(value, SUBNET_ID, "subnet-");
  }

  /** What is wrong with a security group id ({@code sg-} and 8 or 17 hex digits). */
  public static Optional<String> securityGroupIdViolation(String value) {
    return idViolation(value, SECURITY_GROUP_ID, "sg-");
  }

  private static Optional<String> idViolation(String value, Pattern pattern, String prefix) {
    if (value == null || value.isBlank()) {
      return Optional.of("is empty");
    }
    if (pattern.matcher(value).matches()) {
      return Optional.empty();
    }
    return Optional.of("is not an id of the form " + prefix + "<8 or 17 lower-case hex digits>");
  }

  // Names the first part of an ARN that is wrong, so the message points at e.g. the account.
  private static String arnViolation(
      String arn, String service, String what, String resourcePrefix) {
    String[] parts = arn.split(":", 6);
    if (parts.length < 6) {
      return "is not a complete ARN (arn:partition:service:region:account:resource)";
    }
    if (!PARTITION_ONLY.matcher(parts[1]).matches()) {
      return "has partition \"" + parts[1] + "\", not aws, aws-cn, aws-us-gov, ...";
    }
    if (!parts[2].equals(service)) {
      return "is an ARN of service \"" + parts[2] + "\", not " + what;
    }
    boolean global = service.equals("iam");
    if (global && !parts[3].isEmpty()) {
      return "has region \"" + parts[3] + "\", but IAM ARNs have none";
    }
    if (!global && !REGION_ONLY.matcher(parts[3]).matches()) {
      return "has region \"" + parts[3] + "\", not a region name such as us-east-1";
    }
    if (!ACCOUNT_ONLY.matcher(parts[4]).matches()) {
      return "has account id \"" + parts[4] + "\", not 12 digits";
    }
    if (!parts[5].startsWith(resourcePrefix)) {
      return "names \"" + parts[5] + "\", not " + what + " (" + resourcePrefix + "...)";
    }
    return "has a malformed "
        + what
        + " name \""
        + parts[5].substring(resourcePrefix.length())
        + "\"";
  }

  private static String arnPart(String arn, int index) {
    String[] parts = arn.split(":", 6);
    return parts.length > index ? parts[index] : "";
  }
}
