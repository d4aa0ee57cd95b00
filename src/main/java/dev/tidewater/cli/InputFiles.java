package dev.tidewater.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The FILE arguments of a command, read as text: a file, {@code -} for standard input, or a
 * directory (its files with the given extensions, sorted by name, not recursive). Relative paths
 * resolve against the working directory of the caller.
 */
final class InputFiles {

  /** One input: the name to print in messages, and its text or why it could not be read. */
  record Input(String name, String text, String error) {}

  private InputFiles() {}

  /** Reads every input in argument order; unreadable ones carry an error instead of text. */
  static List<Input> read(List<String> arguments, Set<String> extensions, InputStream stdin) {
    List<Input> inputs = new ArrayList<>();
    for (String argument : arguments) {
      if (argument.equals("-")) {
        inputs.add(readStdin(stdin));
        continue;
      }
      Path path = Path.of(argument);
      if (Files.isDirectory(path)) {
        inputs.addAll(readDirectory(path, argument, extensions));
      } else {
        inputs.add(readFile(path, argument));
      }
    }
    return inputs;
  }

  private static List<Input> readDirectory(Path dir, String argument, Set<String> extensions) {
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> hasExtension(p, extensions))
              .sorted()
              .toList();
    } catch (IOException e) {
      return List.of(new Input(argument, null, "cannot read: " + reason(e)));
    }
    if (files.isEmpty()) {
      // Saying so beats succeeding on nothing after a typo in the directory name.
      return List.of(
          new Input(
              argument,
              null,
              "cannot read: the directory has no "
                  + String.join(" or ", extensions.stream().sorted().toList())
                  + " files"));
    }
    return files.stream().map(f -> readFile(f, display(argument, f))).toList();
  }

  private static boolean hasExtension(Path file, Set<String> extensions) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return extensions.stream().anyMatch(name::endsWith);
  }

  private static String display(String directoryArgument, Path file) {
    String dir = directoryArgument.endsWith("/") ? directoryArgument : directoryArgument + "/";
    return dir + file.getFileName();
  }

  private static Input readFile(Path path, String name) {
    try {
      return new Input(name, Files.readString(path, StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      return new Input(name, null, "cannot read: " + reason(e));
    }
  }

  private static Input readStdin(InputStream stdin) {
    try {
      return new Input("-", new String(stdin.readAllBytes(), StandardCharsets.UTF_8), null);
    } catch (IOException e) {
      return new Input("-", null, "cannot read: " + reason(e));
    }
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not UTF-8 text";
    }
    return e.getMessage() != null ? e.getMessage() : "input/output error";
  }
}
