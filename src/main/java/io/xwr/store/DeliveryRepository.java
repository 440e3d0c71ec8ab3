package io.xwr.store;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.util.Collection;
import org.hibernate.Session;

/** Raw deliveries. */
@ApplicationScoped
class DeliveryRepository implements PanacheRepository<DeliveryEntity> {

    /** A delivery carrying a post's content. */
    record PostLink(long deliveryId, String postId) {}

    /** Notes which posts' content the deliveries carry, so a post's deletion finds every copy; one JDBC batch. */
    @Transactional(Transactional.TxType.MANDATORY)
    void linkPosts(Collection<PostLink> links) {
        if (links.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert =
                    connection.prepareStatement("INSERT INTO delivery_post (delivery_id, post_id) VALUES (?, ?)")) {
                for (PostLink link : links) {
                    insert.setLong(1, link.deliveryId());
                    insert.setString(2, link.postId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }
}
