package dev.tidewater.testing;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The life cycle most ITs share, as a JUnit extension: the CRDs applied and the packaged operator
 * started once per test class, a fresh namespace per test, deleted after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OperatorOnGround onGround =
 *     new OperatorOnGround("k8s", Map.of(), List.of("-Dtidewater.resync-period=3s"));
 * }</pre>
 */
public final class OperatorOnGround
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final TestGround ground = TestGround.get();
  private final String namespacePrefix;
  private final Map<String, String> env;
  private final List<String> jvmArgs;
  private OperatorProcess operator;
  private String namespace;

  /**
   * @param namespacePrefix prefix of each test's namespace
   * @param env extra environment of the operator
   * @param jvmArgs extra JVM arguments of the operator (e.g. a short resync period)
   */
  public OperatorOnGround(String namespacePrefix, Map<String, String> env, List<String> jvmArgs) {
    this.namespacePrefix = namespacePrefix;
    this.env = env;
    this.jvmArgs = jvmArgs;
  }

  /** The operator of this test class. */
  public OperatorProcess operator() {
    return operator;
  }

  /** The namespace of the running test. */
  public String namespace() {
    return namespace;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Crds.apply(ground.admin());
    operator = OperatorProcess.start(ground, env, jvmArgs);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (operator != null) operator.close();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    namespace = ground.createNamespace(namespacePrefix);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (namespace != null) ground.deleteNamespace(namespace);
    namespace = null;
  }
}
