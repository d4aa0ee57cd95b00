package dev.tidewater.backend.aws;

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
 * An interceptor that records every marshalled request (operation, method, path, query, body) and
 * answers each with a canned response per operation, for APIs moto does not serve (EKS Pod
 * Identity). The HTTP exchange itself goes to a loopback stub whose answer is replaced here.
 */
final class RecordedAwsRequests implements ExecutionInterceptor {

  /** One request as the SDK sent it. */
  record Request(
      String operation, String method, String path, Map<String, List<String>> query, String body) {}

  /** A canned answer: HTTP status, AWS error type (or null) and JSON body. */
  record Answer(int status, String errorType, String body) {
    static Answer ok(String body) {
      return new Answer(200, null, body);
    }

    static Answer error(int status, String type) {
      return new Answer(status, type, "{\"message\":\"" + type + "\"}");
    }
  }

  private static final ExecutionAttribute<Answer> ANSWER = new ExecutionAttribute<>("answer");

  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();

  /** Answers the next call of {@code operation} with {@code answer} (calls without one get {}). */
  RecordedAwsRequests answer(String operation, Answer answer) {
    answers.computeIfAbsent(operation, o -> new ArrayDeque<>()).add(answer);
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
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
            .putHeader("Content-Type", "application/json")
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
