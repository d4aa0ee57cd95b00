package dev.tidewater.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command line run to completion (helm, kubectl, hack/ scripts), its output and exit code. */
public record Command(List<String> argv, int exitCode, String output) {

  /**
   * Runs {@code argv} from the repository root, stdout and stderr merged, for at most 5 minutes.
   */
  public static Command run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + argv);
      }
      return new Command(argv, p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code argv}; a non-zero exit fails with the command and its output. */
  public static String ok(List<String> argv) {
    Command c = run(argv);
    if (c.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", argv) + " exited with " + c.exitCode() + ":\n" + c.output());
    }
    return c.output();
  }
}
