package dev.tidewater.api.v1alpha1.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a list as {@code x-kubernetes-list-type: map} keyed by the given fields, so the API server
 * rejects duplicate keys and server-side apply merges entries by key; written by {@link
 * CrdSchemaPostProcessor}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ListMapKeys {
  String[] value();
}
