package dev.tidewater.backend.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsClientOptions;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsCredentialsSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * A scripted ECS / Application Auto Scaling peer for backend unit tests: every request the SDK
 * marshals is recorded (operation and JSON body) and answered with the next canned answer queued
 * for its operation ({@code {}} when none is). Both APIs speak AWS JSON, so one stub serves both;
 * the HTTP exchange goes to a loopback server whose answer the interceptor replaces.
 */
final class FakeEcsPeer implements ExecutionInterceptor, AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the SDK sent it. */
  record Request(String operation, JsonNode body) {}

  /** A canned answer: HTTP status, AWS error type (or null) and JSON body. */
  record Answer(int status, String errorType, String body) {
    static Answer ok(String body) {
      return new Answer(200, null, body);
    }

    static Answer error(int status, String type, String message) {
      return new Answer(status, type, JSON.createObjectNode().put("message", message).toString());
    }
  }

  private static final ExecutionAttribute<Answer> ANSWER =
      new ExecutionAttribute<>("tidewater.fake-ecs-peer.answer");

  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  private final HttpServer stub;
  final AwsClientFactory clients;
  final AwsContext context;

  FakeEcsPeer() {
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
            List.of(this));
    context =
        new AwsContext(
            "us-east-1",
            Optional.of(URI.create("http://127.0.0.1:" + stub.getAddress().getPort())),
            new AwsCredentialsSource.Static("testing", "testing", Optional.empty()),
            Optional.empty(),
            Optional.empty());
  }

  /** Answers the next call of {@code operation} with {@code answer}. */
  FakeEcsPeer answer(String operation, Answer answer) {
    answers.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(answer);
    return this;
  }

  /** Answers the next call of {@code operation} with {@code body} (HTTP 200). */
  FakeEcsPeer answer(String operation, String body) {
    return answer(operation, Answer.ok(body));
  }

  /** The requests of {@code operation}, in order. */
  synchronized List<JsonNode> requests(String operation) {
    return requests.stream()
        .filter(r -> r.operation().equals(operation))
        .map(Request::body)
        .toList();
  }

  /** Every operation called, in order. */
  synchronized List<String> operations() {
    return requests.stream().map(Request::operation).toList();
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String body =
        context
            .requestBody()
            .map(
                b -> {
                  try (InputStream in = b.contentStreamProvider().newStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .orElse("{}");
    JsonNode json;
    try {
      json = JSON.readTree(body.isEmpty() ? "{}" : body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (this) {
      requests.add(
          new Request(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), json));
    }
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    Deque<Answer> queue =
        answers.get(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    Answer answer = queue == null || queue.isEmpty() ? Answer.ok("{}") : queue.poll();
    attributes.putAttribute(ANSWER, answer);
    var response =
        context.httpResponse().toBuilder()
            .statusCode(answer.status())
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .putHeader(
                "Content-Length",
                String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length));
    if (answer.errorType() != null) {
      response.putHeader("x-amzn-ErrorType", answer.errorType());
    }
    return response.build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(
      Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    Answer answer = attributes.getAttribute(ANSWER);
    return Optional.of(
        new ByteArrayInputStream(
            (answer == null ? "{}" : answer.body()).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    clients.close();
    stub.stop(0);
  }
}
