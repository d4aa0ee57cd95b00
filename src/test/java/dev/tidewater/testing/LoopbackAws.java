package dev.tidewater.testing;

import com.sun.net.httpserver.HttpServer;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsCredentialsSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * AWS clients and a context whose endpoint is a loopback HTTP stub answering {@code {}} to
 * everything, for {@link RecordedAwsRequests} to record the requests and replace the answers. One
 * attempt per call, no waiting between retries.
 */
public final class LoopbackAws implements AutoCloseable {

  public final RecordedAwsRequests recorded;
  public final AwsClientFactory clients;
  public final AwsContext context;
  private final HttpServer stub;

  public LoopbackAws(String region, RecordedAwsRequests recorded) {
    this.recorded = recorded;
    try {
      stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    stub.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 2);
          exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
          exchange.close();
        });
    stub.start();
    clients =
        new AwsClientFactory(
            new AwsClientOptions(
                1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(5), 1000, 1000),
            new AwsCallCounter(),
            List.of(recorded));
    context =
        new AwsContext(
            region,
            Optional.of(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())),
            new AwsCredentialsSource.Static("testing", "testing", Optional.empty()),
            Optional.empty(),
            Optional.empty());
  }

  @Override
  public void close() {
    clients.close();
    stub.stop(0);
  }
}
