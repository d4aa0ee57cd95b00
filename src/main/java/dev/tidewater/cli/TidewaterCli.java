package dev.tidewater.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code tidewater} command line: works on files only and never contacts a cluster. A plain
 * {@code main}, not a Quarkus one: booting Quarkus would start the operator.
 *
 * <p>Exit codes: 0 success, 1 invalid input (one line per problem on stderr), 2 usage error.
 * Standard output carries results only, standard error errors only.
 */
@Command(
    name = "tidewater",
    description = "Convert and check Tidewater resources offline; no cluster is contacted.",
    mixinStandardHelpOptions = true,
    versionProvider = TidewaterCli.Version.class,
    subcommands = {
      ImportCommand.class,
      ValidateCommand.class,
      RenderCommand.class,
      MigratePlanCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:invalid input (one line per problem on stderr)",
      "2:usage error"
    })
public final class TidewaterCli implements Runnable {

  /** Success. */
  public static final int OK = 0;

  /** The input is invalid; problems went to stderr. */
  public static final int INVALID_INPUT = 1;

  /** The command line itself is wrong. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  private final InputStream stdin;

  TidewaterCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Standard input, for the {@code -} file argument. */
  InputStream stdin() {
    return stdin;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing a command: import, validate, render or migrate-plan");
  }

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    // Libraries below may log; the CLI reports through stderr lines of its own, nothing else.
    Logger.getLogger("").setLevel(Level.OFF);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = execute(args, System.in, out, err);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line in-process, writing to {@code out} and {@code err}; returns the exit
   * code.
   */
  public static int execute(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new TidewaterCli(stdin));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          // A bug, not bad input: one line, never a stack trace on the user's terminal.
          command
              .getErr()
              .println(
                  "tidewater: internal error ("
                      + e.getClass().getSimpleName()
                      + "): "
                      + e.getMessage()
                      + "; please report it");
          return INVALID_INPUT;
        });
    return cli.execute(args);
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TidewaterCli.class.getPackage().getImplementationVersion();
      return new String[] {"tidewater " + (version == null ? "(development build)" : version)};
    }
  }
}
