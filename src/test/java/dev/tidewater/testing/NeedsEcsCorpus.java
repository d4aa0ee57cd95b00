package dev.tidewater.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks tests that read the shared ECS corpus: without it (a checkout with no {@code ../shared})
 * they are skipped, and the skip names the directory looked for.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NeedsEcsCorpus.Condition.class)
public @interface NeedsEcsCorpus {

  /** Enabled when {@link EcsCorpus#TASK_DEFINITIONS} is a directory. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return Files.isDirectory(EcsCorpus.TASK_DEFINITIONS)
          ? ConditionEvaluationResult.enabled("ECS corpus present")
          : ConditionEvaluationResult.disabled(
              "no ECS corpus at "
                  + EcsCorpus.TASK_DEFINITIONS.toAbsolutePath().normalize()
                  + " (shared/corpus/ecs beside the checkout, or $TIDEWATER_CORPUS)");
    }
  }
}
