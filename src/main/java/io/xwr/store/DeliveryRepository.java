package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Collection;
import org.hibernate.Session;

/** Raw deliveries. */
@ApplicationScoped
class DeliveryRepository implements PanacheRepository<DeliveryEntity> {

    /** Notes which posts' content the delivery carries, so a post's deletion finds every copy of it. */
    @Transactional(Transactional.TxType.MANDATORY)
    void linkPosts(long deliveryId, Collection<String> postIds) {
        for (String postId : postIds) {
            getEntityManager()
                    .unwrap(Session.class)
                    .createNativeMutationQuery("INSERT INTO delivery_post (delivery_id, post_id) VALUES (:d, :p)")
                    .setParameter("d", deliveryId)
                    .setParameter("p", postId)
                    .executeUpdate();
        }
    }
}
