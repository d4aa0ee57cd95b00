package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

  private static final String READ =
      """
      {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],
       "Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b"]}]}""";

  private static JsonNode doc(String json) {
    return PolicyDocuments.parse(json);
  }

  @Test
  void aDocumentAsIamReturnsItUrlEncodedEqualsTheOneSent() {
    // IAM encodes with %20 for spaces; URLEncoder's '+' is decoded the same way
    String encoded = URLEncoder.encode(READ, StandardCharsets.UTF_8);
    assertThat(encoded).startsWith("%7B");
    assertThat(PolicyDocuments.equivalent(doc(encoded), doc(READ))).isTrue();
  }

  @Test
  void aPlusInAPlainDocumentIsKeptAsWritten() {
    JsonNode plain = doc("{\"Statement\":[{\"Sid\":\"a+b\",\"Effect\":\"Allow\"}]}");
    assertThat(plain.get("Statement").get(0).get("Sid").asText()).isEqualTo("a+b");
  }

  @Test
  void setsCompareWithoutOrderAndASingleValueEqualsAListOfOne() {
    JsonNode reordered =
        doc(
            """
            {"Statement":{"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Effect":"Allow",
             "Action":["s3:ListBucket","s3:GetObject","s3:GetObject"]},"Version":"2012-10-17"}""");
    assertThat(PolicyDocuments.equivalent(reordered, doc(READ))).isTrue();
    assertThat(
            PolicyDocuments.equivalent(
                doc("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}"),
                doc("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\"]}]}")))
        .isTrue();
  }

  @Test
  void statementOrderPrincipalsAndConditionValuesAreSets() {
    String a =
        """
        {"Statement":[
          {"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"},
          {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/x"},
           "Action":"sts:AssumeRoleWithWebIdentity",
           "Condition":{"StringEquals":{"x:aud":"sts.amazonaws.com","x:sub":["s1","s2"]}}}]}""";
    String b =
        """
        {"Statement":[
          {"Action":["sts:AssumeRoleWithWebIdentity"],"Effect":"Allow",
           "Principal":{"Federated":["arn:aws:iam::1:oidc-provider/x"]},
           "Condition":{"StringEquals":{"x:sub":["s2","s1"],"x:aud":["sts.amazonaws.com"]}}},
          {"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}""";
    assertThat(PolicyDocuments.equivalent(doc(a), doc(b))).isTrue();
  }

  @Test
  void conditionNumbersAndBooleansEqualTheirStrings() {
    assertThat(
            PolicyDocuments.equivalent(
                doc("{\"Statement\":[{\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false}}}]}"),
                doc(
                    "{\"Statement\":[{\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}")))
        .isTrue();
  }

  @Test
  void whatDiffersInMeaningIsNotEquivalent() {
    assertThat(
            PolicyDocuments.equivalent(
                doc(READ), doc(READ.replace("\"Effect\":\"Allow\"", "\"Effect\":\"Deny\""))))
        .isFalse();
    assertThat(PolicyDocuments.equivalent(doc(READ), doc(READ.replace("s3:ListBucket", "s3:*"))))
        .isFalse();
    assertThat(
            PolicyDocuments.equivalent(
                doc("{\"Statement\":[{\"Condition\":{\"StringEquals\":{\"k\":\"v\"}}}]}"),
                doc("{\"Statement\":[{\"Condition\":{\"StringLike\":{\"k\":\"v\"}}}]}")))
        .isFalse();
  }

  @Test
  void textIsCompactJson() {
    assertThat(PolicyDocuments.text(doc("{ \"Version\" : \"2012-10-17\" }")))
        .isEqualTo("{\"Version\":\"2012-10-17\"}");
  }

  @Test
  void garbageIsRejectedWithAMessage() {
    assertThatThrownBy(() -> PolicyDocuments.parse("%7Bnot json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JSON policy document");
  }
}
