package io.xwr.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consumers read docs/events.md and docs/asyncapi.yaml, not the code: every event type the code can publish,
 * and every field of its {@code data}, must be described in both.
 */
class EventCatalogueTest {
    private static final String EVENTS_MD = read("docs/events.md");
    private static final String ASYNCAPI = read("docs/asyncapi.yaml");

    static Stream<Class<?>> eventTypes() {
        return Arrays.stream(ActivityEvent.class.getPermittedSubclasses());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void isDescribedWithEveryFieldInEventsMd(Class<?> record) throws Exception {
        String type = typeOf(record);
        String section = Arrays.stream(EVENTS_MD.split("\n### "))
                .filter(s -> s.lines().findFirst().orElseThrow().contains("`" + type + "`"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("docs/events.md has no section for " + type));
        for (String field : fields(record)) {
            assertTrue(section.contains("| `" + field + "` |"), "docs/events.md, " + type + ": field " + field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void isDescribedWithEveryFieldInAsyncApi(Class<?> record) throws Exception {
        String type = typeOf(record);
        String message =
                ASYNCAPI.split("\n    " + record.getSimpleName() + ":\n", 2)[1].split("\n    [A-Z]", 2)[0];
        assertTrue(message.contains("name: io.xwr." + type + "\n"), "asyncapi message of " + type);
        for (String field : fields(record)) {
            assertTrue(message.contains(" " + field + ":"), "docs/asyncapi.yaml, " + type + ": field " + field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventTypes")
    void typeNamesAreStableDottedLowerCase(Class<?> record) throws Exception {
        assertTrue(typeOf(record).matches("[a-z]+(\\.[a-z]+)*"), typeOf(record));
    }

    @org.junit.jupiter.api.Test
    void typeNamesAreDistinct() throws Exception {
        List<String> types =
                eventTypes().map(EventCatalogueTest::typeOfUnchecked).toList();
        assertEquals(types.size(), types.stream().distinct().count(), types.toString());
    }

    /** Purges keep erasure events (ids only) by these types: the list must be exactly the types that erase. */
    @org.junit.jupiter.api.Test
    void erasureTypesAreExactlyTheEventsThatRequestAnErasure() throws Exception {
        List<String> erasing = new java.util.ArrayList<>();
        for (Class<?> record : eventTypes().toList()) {
            if (instance(record).erasure() != null) {
                erasing.add(typeOf(record));
            }
        }
        assertEquals(
                erasing.stream().sorted().toList(),
                Erasure.EVENT_TYPES.stream().sorted().toList());
    }

    private static List<String> fields(Class<?> record) {
        return Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(name -> !name.equals("meta"))
                .toList();
    }

    /** The type of a record instance built with placeholder values (type() depends on nothing else). */
    private static String typeOf(Class<?> record) throws Exception {
        return instance(record).type();
    }

    /** A record instance built with placeholder values. */
    private static ActivityEvent instance(Class<?> record) throws Exception {
        RecordComponent[] components = record.getRecordComponents();
        Object[] args =
                Arrays.stream(components).map(c -> placeholder(c.getType())).toArray();
        Class<?>[] types =
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        return (ActivityEvent) record.getDeclaredConstructor(types).newInstance(args);
    }

    private static String typeOfUnchecked(Class<?> record) {
        try {
            return typeOf(record);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object placeholder(Class<?> type) {
        if (type == String.class) {
            return "1";
        }
        if (type == List.class) {
            return List.of();
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        return null; // EventMeta: type() does not read it
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
