package dev.tidewater.api.v1alpha1.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a string field (or of the items of a list of strings), written to the CRD
 * schema as {@code enum} by {@link CrdSchemaPostProcessor}. The fields stay {@code String} so they
 * carry ECS's exact spellings ("json-file", "awsvpc").
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface SchemaEnum {
  String[] value();
}
