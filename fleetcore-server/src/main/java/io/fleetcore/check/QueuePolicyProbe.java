package io.fleetcore.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetcore.broker.QueuePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness: does a RabbitMQ policy (or a queue argument) let the broker discard messages from fleetcore's
 * queues? A message on the retry or ingest queue was ACKed to its device, so a length limit with overflow
 * {@code drop-head}, a {@code message-ttl} or an {@code expires} there loses ACKed data without any error on
 * the publishing side. Asks RabbitMQ's management HTTP API ({@code GET /api/queues/{vhost}/{name}}) for each
 * queue and evaluates it with {@link QueuePolicy}: DOWN, with every reason, while one can discard.
 * <p>
 * When the management API cannot be asked (plugin not enabled, another port, credentials refused) the policies
 * are not known: that is said once in the log (WARN) and in the detail of every answer, and the probe stays UP,
 * since nothing is known to be wrong. A queue that does not exist yet is skipped (the topology check reports
 * it). Shown in {@code /observe/health} as {@code fleetcore-rabbitmq-queue-policy}.
 */
public final class QueuePolicyProbe implements Probe {

    public static final String NAME = "rabbitmq-queue-policy";
    private static final Logger LOG = LoggerFactory.getLogger(QueuePolicyProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI api;
    private final String vhost;
    private final List<String> queues;
    private final String user;
    private final String authorization;
    private final HttpClient http;
    /** the last way this probe ended (unreachable / dropping / ok): logged once per change, not every tick */
    private final AtomicReference<String> lastState = new AtomicReference<>("");

    /**
     * @param api      the management API's base, e.g. {@code http://rabbitmq:15672}
     * @param vhost    the virtual host fleetcore's queues live in ({@code /} by default)
     * @param queues   the queues to check (retry, parked, ingest)
     */
    public QueuePolicyProbe(URI api, String vhost, List<String> queues, String user, String password) {
        this.api = api;
        this.vhost = vhost;
        this.queues = queues.stream().filter(q -> q != null && !q.isBlank()).toList();
        this.user = user;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * From the configuration: {@code fleetcore.amqp.management-url} (empty: {@code http://<AMQP host>:15672}),
     * {@code -user} and {@code -password} (empty: the AMQP URI's), the vhost of the AMQP URI.
     */
    public static QueuePolicyProbe of(String amqpUri, String managementUrl, String user, String password, List<String> queues) {
        URI amqp = URI.create(amqpUri);
        String[] userInfo = amqp.getRawUserInfo() == null ? new String[] {"guest", "guest"} : amqp.getRawUserInfo().split(":", 2);
        String u = user.isBlank() ? decode(userInfo[0]) : user;
        String p = password.isBlank() ? (userInfo.length > 1 ? decode(userInfo[1]) : "") : password;
        URI base = managementUrl.isBlank() ? URI.create("http://" + amqp.getHost() + ":15672") : URI.create(managementUrl.replaceAll("/+$", ""));
        String path = amqp.getRawPath();
        String vhost = path == null || path.isEmpty() || path.equals("/") ? "/" : decode(path.substring(1));
        return new QueuePolicyProbe(base, vhost, queues, u, p);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return NAME;
    }

    public URI api() {
        return api;
    }

    public String vhost() {
        return vhost;
    }

    public String user() {
        return user;
    }

    @Override
    public ProbeResult probe(Duration timeout) {
        List<String> reasons = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        // every queue within the one timeout: a slow management API must not hold the heartbeat
        long deadline = System.nanoTime() + Math.max(500, timeout.toMillis()) * 1_000_000L;
        for (String queue : queues) {
            HttpResponse<String> r;
            URI uri = URI.create(api + "/api/queues/" + encode(vhost) + "/" + encode(queue));
            long left = Math.max(100, (deadline - System.nanoTime()) / 1_000_000L);
            try {
                r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(left))
                        .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return unknown("interrupted");
            } catch (Exception e) {
                return unknown(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            if (r.statusCode() == 404) {
                continue; // not declared yet: the topology check says so
            }
            if (r.statusCode() != 200) {
                return unknown("HTTP " + r.statusCode() + (r.statusCode() == 401 ? " (credentials refused)" : ""));
            }
            try {
                reasons.addAll(QueuePolicy.drops(JSON.readTree(r.body())));
                checked.add(queue);
            } catch (Exception e) {
                return unknown("unreadable answer: " + e.getMessage());
            }
        }
        if (!reasons.isEmpty()) {
            String detail = "RabbitMQ can discard ACKed messages: " + String.join("; ", reasons);
            if (!lastState.getAndSet(detail).equals(detail)) {
                LOG.error("{} (queue policies read from {}); not ready until the policy is changed", detail, api);
            }
            return ProbeResult.down(NAME, detail);
        }
        if (!lastState.getAndSet("ok").equals("ok")) {
            LOG.info("queue policies of {} (vhost {}) discard nothing", checked, vhost);
        }
        return ProbeResult.up(NAME, "no policy discards messages on " + (checked.isEmpty() ? "(no queue declared yet)" : String.join(", ", checked)));
    }

    /** The management API could not be asked: said once in the log, and in every answer's detail. */
    private ProbeResult unknown(String why) {
        String detail = "queue policies not checked: RabbitMQ management API not reachable at " + api + " (" + why
                + "); enable the rabbitmq_management plugin or set fleetcore.amqp.management-url";
        if (!lastState.getAndSet("unreachable").equals("unreachable")) {
            LOG.warn("{}", detail);
        }
        return ProbeResult.up(NAME, detail);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
