package dev.tidewater.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * A scripted AWS peer at the SDK-request level, for what emulators do not serve or do not do as
 * real AWS does: every request the SDK marshals is recorded (operation, method, path, query, body)
 * and answered with the next canned answer queued for its operation ({@code {}} when none is). The
 * HTTP exchange itself goes to a loopback stub ({@link LoopbackAws}) whose answer is replaced here.
 * The response Content-Type is the protocol's: {@link #awsJson()} for AWS JSON APIs (ECS,
 * Application Auto Scaling), {@link #restJson()} for REST JSON ones (EKS).
 */
public final class RecordedAwsRequests implements ExecutionInterceptor {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the SDK sent it. */
  public record Request(
      String operation, String method, String path, Map<String, List<String>> query, String body) {

    /** The body as JSON ({@code {}} when the request had none). */
    public JsonNode json() {
      try {
        return JSON.readTree(body.isEmpty() ? "{}" : body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A canned answer: HTTP status, AWS error type (or null) and JSON body. */
  public record Answer(int status, String errorType, String body) {
    public static Answer ok(String body) {
      return new Answer(200, null, body);
    }

    /** An error whose message is its type. */
    public static Answer error(int status, String type) {
      return error(status, type, type);
    }

    public static Answer error(int status, String type, String message) {
      return new Answer(status, type, JSON.createObjectNode().put("message", message).toString());
    }
  }

  // the SDK refuses two attributes of one name in a JVM: this name must stay unique
  private static final ExecutionAttribute<Answer> ANSWER =
      new ExecutionAttribute<>("tidewater.recorded-aws-requests.answer");

  private final String contentType;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

  private RecordedAwsRequests(String contentType) {
    this.contentType = contentType;
  }

  /** For AWS JSON protocol APIs (ECS, Application Auto Scaling). */
  public static RecordedAwsRequests awsJson() {
    return new RecordedAwsRequests("application/x-amz-json-1.1");
  }

  /** For REST JSON protocol APIs (EKS). */
  public static RecordedAwsRequests restJson() {
    return new RecordedAwsRequests("application/json");
  }

  /** Answers the next call of {@code operation} with {@code answer}. */
  public RecordedAwsRequests answer(String operation, Answer answer) {
    answers.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(answer);
    return this;
  }

  /** Answers the next call of {@code operation} with {@code body} (HTTP 200). */
  public RecordedAwsRequests answer(String operation, String body) {
    return answer(operation, Answer.ok(body));
  }

  /** Every request, in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The JSON bodies of the requests of {@code operation}, in order. */
  public synchronized List<JsonNode> bodies(String operation) {
    return requests.stream()
        .filter(r -> r.operation().equals(operation))
        .map(Request::json)
        .toList();
  }

  /** Every operation called, in order. */
  public synchronized List<String> operations() {
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
            .orElse("");
    var http = context.httpRequest();
    synchronized (this) {
      requests.add(
          new Request(
              attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
              http.method().name(),
              http.encodedPath(),
              http.rawQueryParameters(),
              body));
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
            .putHeader("Content-Type", contentType)
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
}
