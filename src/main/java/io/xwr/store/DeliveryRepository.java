package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Raw deliveries. */
@ApplicationScoped
class DeliveryRepository implements PanacheRepository<DeliveryEntity> {}
