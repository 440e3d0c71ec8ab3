package io.xwr.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Registers the real components every @QuarkusTest shares: one PostgreSQL, one Kafka broker and the X simulator for the whole suite. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaBrokerResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = XSimulatorResource.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {
    private TestResources() {}
}
