package dev.tidewater.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiServerWriteCounterTest {

  @ParameterizedTest
  @CsvSource({
    "/apis/apps/v1/namespaces/a/deployments/web, deployments",
    "/apis/apps/v1/namespaces/a/deployments, deployments",
    "/apis/ecs.tidewater.dev/v1alpha1/namespaces/a/services/web/status, services/status",
    "/api/v1/namespaces/a/serviceaccounts/web, serviceaccounts",
    "/api/v1/namespaces/a/events, events",
    "/api/v1/namespaces/a, namespaces",
    "/apis/coordination.k8s.io/v1/namespaces/ops/leases/tidewater, leases",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.y, customresourcedefinitions",
  })
  void namesTheResourceAndSubresourceOfAPath(String path, String resource) {
    assertThat(ApiServerWriteCounter.resource(path)).isEqualTo(resource);
  }
}
