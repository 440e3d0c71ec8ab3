package io.xwr.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xwr.event.DeliveryNormalizer;
import io.xwr.event.EventJson;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the framework-free domain classes injectable, sharing Quarkus' configured {@link ObjectMapper}. */
public class DomainBeans {

    @Produces
    @Singleton
    DeliveryNormalizer deliveryNormalizer(ObjectMapper mapper, IngressConfig ingress) {
        return new DeliveryNormalizer(mapper, ingress.maxEventsPerDelivery(), ingress.maxNodesPerDelivery());
    }

    @Produces
    @Singleton
    EventJson eventJson(ObjectMapper mapper) {
        return new EventJson(mapper);
    }
}
