package io.xwr.accounts;

import io.xwr.store.Columns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** The tables of connecting accounts: started connections waiting for X's callback, and connected accounts. */
@ApplicationScoped
public class Accounts {
    private final EntityManager em;

    Accounts(EntityManager em) {
        this.em = em;
    }

    /** A started connection, found by its state's hash. */
    public record Pending(String verifier, String eventTypes, Instant expiresAt) {}

    /** A connected account as stored: its tokens still encrypted. */
    public record Stored(
            String userId,
            String username,
            String scopes,
            String eventTypes,
            String accessToken,
            String refreshToken,
            String tokenKey,
            Instant expiresAt,
            String state,
            String note,
            Instant connectedAt,
            Instant updatedAt) {}

    @Transactional
    public void await(String stateHash, String verifier, String eventTypes, Instant now, Instant expiresAt) {
        session().doWork(connection -> {
            try (PreparedStatement expired =
                    connection.prepareStatement("DELETE FROM oauth_pending WHERE expires_at < ?")) {
                expired.setObject(1, Columns.offset(now));
                expired.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO oauth_pending (state_hash, verifier, event_types, created_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, stateHash);
                insert.setString(2, verifier);
                insert.setString(3, Columns.clip(eventTypes, 2000));
                insert.setObject(4, Columns.offset(now));
                insert.setObject(5, Columns.offset(expiresAt));
                insert.executeUpdate();
            }
        });
    }

    /** Takes the started connection out, once: a second callback with the same state finds nothing. */
    @Transactional
    public Optional<Pending> take(String stateHash) {
        return session().doReturningWork(connection -> {
            Pending found = null;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT verifier, event_types, expires_at FROM oauth_pending WHERE state_hash = ? FOR UPDATE")) {
                select.setString(1, stateHash);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        found = new Pending(
                                row.getString("verifier"), row.getString("event_types"), instant(row, "expires_at"));
                    }
                }
            }
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM oauth_pending WHERE state_hash = ?")) {
                delete.setString(1, stateHash);
                delete.executeUpdate();
            }
            return Optional.ofNullable(found);
        });
    }

    /** Stores (or replaces) a connected account with its encrypted tokens. */
    @Transactional
    public void connect(Stored account) {
        session().doWork(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM x_account WHERE user_id = ?")) {
                delete.setString(1, account.userId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO x_account (user_id, username, scopes, event_types, access_token, refresh_token,
                        token_key, expires_at, state, note, connected_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)) {
                insert.setString(1, account.userId());
                insert.setString(2, Columns.clip(account.username(), 64));
                insert.setString(3, Columns.clip(account.scopes(), 1000));
                insert.setString(4, Columns.clip(account.eventTypes(), 2000));
                insert.setString(5, account.accessToken());
                insert.setString(6, account.refreshToken());
                insert.setString(7, account.tokenKey());
                insert.setObject(8, Columns.offset(account.expiresAt()));
                insert.setString(9, account.state());
                insert.setString(10, Columns.clip(account.note(), 500));
                insert.setObject(11, Columns.offset(account.connectedAt()));
                insert.setObject(12, Columns.offset(account.updatedAt()));
                insert.executeUpdate();
            }
        });
    }

    @Transactional
    public List<Stored> all() {
        List<Stored> all = new ArrayList<>();
        session().doWork(connection -> {
            try (PreparedStatement select =
                            connection.prepareStatement("SELECT * FROM x_account ORDER BY connected_at DESC");
                    ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    all.add(new Stored(
                            row.getString("user_id"),
                            row.getString("username"),
                            row.getString("scopes"),
                            row.getString("event_types"),
                            row.getString("access_token"),
                            row.getString("refresh_token"),
                            row.getString("token_key"),
                            instant(row, "expires_at"),
                            row.getString("state"),
                            row.getString("note"),
                            instant(row, "connected_at"),
                            instant(row, "updated_at")));
                }
            }
        });
        return all;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime t = row.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private Session session() {
        return em.unwrap(Session.class);
    }
}
