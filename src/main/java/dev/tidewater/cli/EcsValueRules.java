package dev.tidewater.cli;

import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.EfsVolumeConfiguration;
import dev.tidewater.api.v1alpha1.taskdefinition.FsxWindowsFileServerVolumeConfiguration;
import java.lang.reflect.Field;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Value rules ECS (or the AWS API behind it) enforces on identifiers, beyond type and enum: image
 * characters, subnet / security group / file system id forms, and ARNs with a real account id. They
 * catch the placeholders the template syntaxes miss ({@code FILESYSTEM_ID}, {@code
 * TARGET_GROUP_ARN}, {@code PRIVATE_SUBNET_ONE}).
 */
final class EcsValueRules {

  // ECS: "letters, numbers, hyphens, underscores, colons, periods, forward slashes, and number
  // signs", plus "@" for "repository@digest".
  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9_:./#@-]+");
  private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]+");
  private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]+");
  private static final Pattern FILE_SYSTEM = Pattern.compile("fs-[0-9a-f]+");
  // arn:partition:service:region:account:resource. The account is digits, "aws" (AWS managed
  // policies) or empty (S3 and a few other services); anything else ("aws_account_id",
  // "xxxxxxxxxx") is a placeholder from documentation. The digit count is not checked: a dummy
  // "111111111111" of the wrong length is still an account id in form.
  private static final Pattern ARN =
      Pattern.compile("arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):([^:]*):(.+)", Pattern.DOTALL);
  private static final Pattern ACCOUNT = Pattern.compile("\\d+|aws|");

  // These accept a role name as well as a role ARN.
  private static final Set<String> ROLE_NAME_OR_ARN = Set.of("taskRoleArn", "executionRoleArn");

  private EcsValueRules() {}

  /** Why ECS would refuse {@code value} in {@code field}, if it would. */
  static Optional<String> check(Field field, String value) {
    Class<?> owner = field.getDeclaringClass();
    String name = field.getName();
    if (owner == ContainerDefinition.class && name.equals("image")) {
      if (!IMAGE.matcher(value).matches()) {
        return Optional.of(
            quote(value)
                + " is not an image reference: ECS allows letters, digits and - _ : . / # @");
      }
    } else if (owner == AwsVpcConfiguration.class && name.equals("subnets")) {
      if (!SUBNET.matcher(value).matches()) {
        return Optional.of(quote(value) + " is not a subnet id (subnet-...)");
      }
    } else if (owner == AwsVpcConfiguration.class && name.equals("securityGroups")) {
      if (!SECURITY_GROUP.matcher(value).matches()) {
        return Optional.of(quote(value) + " is not a security group id (sg-...)");
      }
    } else if ((owner == EfsVolumeConfiguration.class
            || owner == FsxWindowsFileServerVolumeConfiguration.class)
        && name.equals("fileSystemId")) {
      if (!FILE_SYSTEM.matcher(value).matches()) {
        return Optional.of(quote(value) + " is not a file system id (fs-...)");
      }
    }
    boolean arnField =
        (name.endsWith("Arn") || name.endsWith("Arns") || name.equals("arn"))
            && !ROLE_NAME_OR_ARN.contains(name);
    if (arnField || value.startsWith("arn:")) {
      return arnProblem(value);
    }
    return Optional.empty();
  }

  /** Why {@code value} is not a usable ARN, if it is not. */
  static Optional<String> arnProblem(String value) {
    Matcher m = ARN.matcher(value);
    if (!m.matches()) {
      return Optional.of(
          quote(value) + " is not an ARN (arn:partition:service:region:account:...)");
    }
    if (!ACCOUNT.matcher(m.group(4)).matches()) {
      return Optional.of(
          quote(value)
              + " has "
              + quote(m.group(4))
              + " where the account id goes; it looks like a placeholder, not an account id");
    }
    return Optional.empty();
  }

  private static String quote(String value) {
    return "\"" + value + "\"";
  }
}
