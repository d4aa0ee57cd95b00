package dev.tidewater.cli;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds unrendered template placeholders in string values: published task and service definitions
 * are often templates ({@code {{ must_env `X` }}}, {@code ${VAR}}, {@code $VAR}, {@code $$$VAR$$$},
 * {@code <SECRET_ARN>}, {@code XXXXXXXXXXXX}) that ECS would register verbatim or refuse.
 *
 * <p>In shell contexts (command, entryPoint, healthCheck.command, environment values) {@code $VAR}
 * and {@code ${VAR}} are legitimate shell syntax, and {@code {{...}}} or {@code <...>} can be part
 * of a command (a Go template of {@code docker inspect}, a redirection): there only a value that is
 * nothing but a placeholder counts.
 */
final class TemplatePlaceholders {

  private static final Pattern MUSTACHE = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);
  private static final Pattern TRIPLE_DOLLAR =
      Pattern.compile("\\${3,}[A-Za-z_][A-Za-z0-9_]*\\${3,}");
  private static final Pattern SHELL_BRACES = Pattern.compile("\\$\\{[^}]*}");
  // Upper case only: "$ecs_task_id" and "$log" are Fluent Bit record accessors in FireLens
  // options, while shell templates name their variables "$AWS_ACCOUNT_ID".
  private static final Pattern SHELL_VARIABLE = Pattern.compile("\\$[A-Z_][A-Z0-9_]*");
  private static final Pattern ANGLE = Pattern.compile("<[A-Z][A-Z0-9_-]*>");
  // Twelve X's is how AWS documentation and samples blank out an account id.
  private static final Pattern BLANKED_ACCOUNT =
      Pattern.compile("(?<![A-Za-z0-9])X{12}(?![A-Za-z0-9])");
  // The parts of an ARN or path a shell variable may stand for: "arn:aws:iam::$ACCOUNT:role/x".
  private static final Pattern SEGMENT_SEPARATORS = Pattern.compile("[:/]");

  private TemplatePlaceholders() {}

  /**
   * The placeholder in {@code value}, if any, as it appears there.
   *
   * @param shellContext whether the value is interpreted by a shell (command, entryPoint,
   *     healthCheck.command, environment value)
   */
  static Optional<String> find(String value, boolean shellContext) {
    if (shellContext) {
      return findWholeValue(value.strip());
    }
    for (Pattern p :
        new Pattern[] {MUSTACHE, TRIPLE_DOLLAR, SHELL_BRACES, ANGLE, BLANKED_ACCOUNT}) {
      Matcher m = p.matcher(value);
      if (m.find()) {
        return Optional.of(m.group());
      }
    }
    for (String segment : SEGMENT_SEPARATORS.split(value, -1)) {
      if (SHELL_VARIABLE.matcher(segment).matches()) {
        return Optional.of(segment);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> findWholeValue(String value) {
    if (MUSTACHE.matcher(value).matches() || ANGLE.matcher(value).matches()) {
      return Optional.of(value);
    }
    // No shell gives "$$$NAME$$$" a meaning; it is always a test-harness marker.
    Matcher m = TRIPLE_DOLLAR.matcher(value);
    return m.find() ? Optional.of(m.group()) : Optional.empty();
  }
}
