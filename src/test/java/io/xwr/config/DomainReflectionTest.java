package io.xwr.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.xwr.event.ActivityEvent;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Native images serialize only what is registered: every event record, and the records inside them. */
class DomainReflectionTest {

    @Test
    void everyEventRecordAndTheRecordsItCarriesAreRegistered() {
        // Given: what Jackson will meet when EventJson writes any event
        Set<Class<?>> needed = new HashSet<>();
        for (Class<?> event : ActivityEvent.class.getPermittedSubclasses()) {
            collect(event, needed);
        }

        // Then
        Set<Class<?>> registered = new HashSet<>(Arrays.asList(DomainReflection.class
                .getAnnotation(RegisterForReflection.class)
                .targets()));
        assertEquals(needed, registered);
    }

    /** The record and every domain record among its components, also inside lists. */
    private static void collect(Class<?> type, Set<Class<?>> into) {
        if (!type.isRecord() || !type.getPackageName().equals("io.xwr.event") || !into.add(type)) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals("meta")) {
                continue; // EventMeta is written by hand as the event's header, never by reflection
            }
            collect(component.getType(), into);
            Type generic = component.getGenericType();
            if (generic instanceof ParameterizedType p) {
                for (Type argument : p.getActualTypeArguments()) {
                    if (argument instanceof Class<?> c) {
                        collect(c, into);
                    }
                }
            }
        }
    }
}
