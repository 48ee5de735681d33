package io.fleetcore.chaos;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The real PostgreSQL and RabbitMQ of a chaos run, reached directly (never through the proxies): a fresh
 * database per run, queue depths, and clean-up of what the run created.
 */
final class Services {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String amqpUri;

    Services(String jdbcUrl, String user, String password, String amqpUri) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.amqpUri = amqpUri;
    }

    /** {@code jdbc:postgresql://host:port/db?x} with another database name. */
    static String withDatabase(String jdbcUrl, String database) {
        return jdbcUrl.replaceFirst("^(jdbc:postgresql://[^/?]+)(/[^?]*)?", "$1/" + database);
    }

    /** {@code jdbc:postgresql://host:port/db} or {@code amqp://u:p@host:port/vhost} through a local proxy port. */
    static String throughProxy(String url, int proxyPort) {
        return url.replaceFirst("^((?:jdbc:)?[a-z]+://(?:[^@/]*@)?)[^/:?]+(:\\d+)?", "$1127.0.0.1:" + proxyPort);
    }

    static String host(String url) {
        return URI.create(url.startsWith("jdbc:") ? url.substring(5) : url).getHost();
    }

    static int port(String url, int defaultPort) {
        int p = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url).getPort();
        return p < 0 ? defaultPort : p;
    }

    String jdbcUrl() {
        return jdbcUrl;
    }

    String amqpUri() {
        return amqpUri;
    }

    String databaseUrl(String name) {
        return withDatabase(jdbcUrl, name);
    }

    void createDatabase(String name) throws SQLException {
        admin("create database " + name);
    }

    void dropDatabase(String name) throws SQLException {
        admin("drop database if exists " + name + " with (force)");
    }

    private void admin(String sql) throws SQLException {
        try (var c = DriverManager.getConnection(withDatabase(jdbcUrl, "postgres"), user, password);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    long count(String database, String sql) throws SQLException {
        try (var c = DriverManager.getConnection(databaseUrl(database), user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Ready messages in a queue; -1 when the queue does not exist (nothing was ever dead-lettered). */
    long messages(String queue) throws IOException, TimeoutException {
        try (Connection c = connect()) {
            Channel ch = c.createChannel();
            try {
                return ch.queueDeclarePassive(queue).getMessageCount();
            } catch (IOException e) {
                return -1; // 404: the channel is closed, the connection is closed with the try
            }
        }
    }

    /** A durable queue bound to the durable topic exchange {@code exchange} for every routing key. */
    void bindAll(String exchange, String queue) throws IOException, TimeoutException {
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueDeclare(queue, true, false, false, java.util.Map.of());
            ch.queueBind(queue, exchange, "#");
        }
    }

    /**
     * Record ids the feed messages on {@code queue} carry (taken off the queue): one entry per record, so a record
     * forwarded twice counts twice, whether in one message or in two.
     */
    List<Long> takeForwardedIds(String queue) throws IOException, TimeoutException, InterruptedException {
        List<Long> ids = new java.util.ArrayList<>();
        try (Connection c = connect(); Channel ch = c.createChannel()) {
            ch.basicQos(2000);
            java.util.concurrent.BlockingQueue<byte[]> bodies = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicConsume(queue, true, (tag, delivery) -> bodies.add(delivery.getBody()), tag -> { });
            byte[] body;
            while ((body = bodies.poll(3, java.util.concurrent.TimeUnit.SECONDS)) != null) {
                ids.addAll(io.fleetcore.feed.RecordMessages.recordIds(body));
            }
        }
        return ids;
    }

    /** Every value of the first column of {@code sql}. */
    java.util.Set<Long> longs(String database, String sql) throws SQLException {
        java.util.Set<Long> out = new java.util.HashSet<>();
        try (var c = DriverManager.getConnection(databaseUrl(database), user, password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** Deletes the run's own queues and exchange. */
    void deleteBrokerObjects(String exchange, String... queues) throws IOException, TimeoutException {
        try (Connection c = connect()) {
            for (String q : queues) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q);
                } catch (IOException | RuntimeException ignored) {
                    // never declared
                }
            }
            try (Channel ch = c.createChannel()) {
                ch.exchangeDelete(exchange);
            } catch (IOException | RuntimeException ignored) {
                // never declared
            }
        }
    }

    private Connection connect() throws IOException, TimeoutException {
        ConnectionFactory f = new ConnectionFactory();
        try {
            // amqp://host:5672/ means the default vhost "/", as it does for fleetcore's own connection
            f.setUri(amqpUri.replaceFirst("^(amqps?://[^/]+)/$", "$1"));
        } catch (Exception e) {
            throw new IOException("bad AMQP URI " + amqpUri, e);
        }
        f.setConnectionTimeout(5000);
        f.setAutomaticRecoveryEnabled(false);
        return f.newConnection("fleetcore-chaos");
    }
}
