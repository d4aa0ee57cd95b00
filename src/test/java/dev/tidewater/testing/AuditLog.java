package dev.tidewater.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the API server's audit log to count one user's write requests (create / update / patch /
 * delete) between two moments — the server's account of the operator, not the operator's own.
 */
public final class AuditLog {

  private static final Set<String> WRITE_VERBS =
      Set.of("create", "update", "patch", "delete", "deletecollection");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One write request as the API server recorded it. */
  public record Write(
      String user,
      String verb,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code) {
    @Override
    public String toString() {
      return verb
          + " "
          + resource
          + (subresource == null ? "" : "/" + subresource)
          + " "
          + (namespace == null ? "" : namespace + "/")
          + name
          + " -> "
          + code;
    }
  }

  /** A moment in the log: its length in bytes. */
  public record Mark(long offset) {}

  private final Path file;
  private final KubernetesClient admin;

  AuditLog(Path file, KubernetesClient admin) {
    this.file = file;
    this.admin = admin;
  }

  /** Now, as a position in the log. */
  public Mark mark() {
    try {
      return new Mark(Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every write of {@code user} recorded since {@code mark}. First makes sure requests completed
   * before this call have reached the log: the server writes each event after its response, so a
   * dry-run request is sent and awaited as a sentinel.
   */
  public List<Write> writesSince(Mark mark, String user) {
    return writesSince(mark).stream().filter(w -> user.equals(w.user())).toList();
  }

  /**
   * Every write of every user recorded since {@code mark}, in the order the server answered them
   * (the operator's beside the controllers' it reacts to).
   */
  public List<Write> writesSince(Mark mark) {
    String sentinel = "audit-sentinel-" + UUID.randomUUID();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(sentinel).endMetadata().build())
        .dryRun()
        .create();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> read(mark).stream().anyMatch(w -> sentinel.equals(w.name())));
    return read(mark);
  }

  private List<Write> read(Mark mark) {
    List<Write> out = new ArrayList<>();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(mark.offset());
      byte[] bytes = new byte[(int) (f.length() - mark.offset())];
      f.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) return out;
      for (String line : text.substring(0, end).split("\n")) {
        if (line.isBlank()) continue;
        JsonNode e = JSON.readTree(line);
        String verb = e.path("verb").asText();
        if (!"ResponseComplete".equals(e.path("stage").asText()) || !WRITE_VERBS.contains(verb)) {
          continue;
        }
        JsonNode ref = e.path("objectRef");
        out.add(
            new Write(
                e.path("user").path("username").asText(),
                verb,
                ref.path("resource").asText(null),
                ref.path("subresource").asText(null),
                ref.path("namespace").asText(null),
                ref.path("name").asText(null),
                e.path("responseStatus").path("code").asInt()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
