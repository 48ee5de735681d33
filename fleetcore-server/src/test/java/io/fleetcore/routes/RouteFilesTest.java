package io.fleetcore.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.FleetcoreRuntime;
import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.DeviceRecord;
import io.fleetcore.model.ExchangeNames;
import io.fleetcore.testing.RunningFleetcore;
import io.fleetcore.testing.TestBroker;
import io.fleetcore.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Loads the real route files from {@code routes/} with camel-main, as the jar does. */
class RouteFilesTest extends CamelMainTestSupport {

    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static FleetcoreRuntime runtime;
    private static String dbUrl;

    private static synchronized FleetcoreRuntime runtime() {
        if (runtime == null) {
            dbUrl = TestServices.newDatabase();
            runtime = FleetcoreRuntime.start(FleetcoreConfig.load(Map.ofEntries(
                    Map.entry("fleetcore.db.url", dbUrl),
                    Map.entry("fleetcore.bind-host", "127.0.0.1"),
                    Map.entry("fleetcore.json.port", String.valueOf(TestServices.freePort())),
                    Map.entry("fleetcore.management.port", String.valueOf(TestServices.freePort())),
                    Map.entry("fleetcore.api.port", String.valueOf(TestServices.freePort())),
                    Map.entry("fleetcore.data-dir", TestServices.buildDir() + "/data-" + TestServices.unique("routes")),
                    Map.entry("fleetcore.amqp.uri", TestServices.amqpUri()),
                    Map.entry("fleetcore.amqp.exchange", TestServices.unique("fleetcore")),
                    Map.entry("fleetcore.amqp.retry-queue", TestServices.unique("fleetcore.retry")),
                    Map.entry("fleetcore.amqp.parked-queue", TestServices.unique("fleetcore.parked")),
                    Map.entry("fleetcore.teltonika.port", String.valueOf(TestServices.freePort())),
                    Map.entry("fleetcore.gt06.port", String.valueOf(TestServices.freePort())))));
        }
        return runtime;
    }

    @AfterAll
    static void closeRuntime() {
        if (runtime != null) {
            runtime.close();
            TestBroker.delete(runtime.broker().topology());
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.withRoutesIncludePattern(runtime().camelProperties().getProperty("camel.main.routes-include-pattern"));
        // the API's routes need camel-main's HTTP server, which the test support does not configure from properties
        configuration.httpServer().withEnabled(true).withHost("127.0.0.1")
                .withPort(runtime().config().getInt("fleetcore.api.port"));
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        return runtime().camelProperties();
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        runtime().bindTo(registry::bind);
    }

    @Test
    void everyRouteAndEveryStepHasAnExplicitKebabCaseIdAndRoutesADescription() {
        List<RouteDefinition> routes = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions();
        assertThat(routes).extracting(RouteDefinition::getRouteId).contains("json-gateway", "ingest");
        List<String> generated = new ArrayList<>();
        for (RouteDefinition route : routes) {
            // routes Camel generates from the REST DSL (routes/api/api-rest.camel.yaml) carry their description on
            // the REST verb, checked below
            // (their from is generated too), and the one that serves the OpenAPI document is Camel's own
            if (route.getRouteId().equals("api-openapi-document")) {
                continue;
            }
            boolean rest = Boolean.TRUE.equals(route.isRest());
            if (!rest) {
                assertThat(route.getDescriptionText()).as("description of " + route.getRouteId()).isNotBlank();
            }
            check(route, generated);
            FromDefinition from = route.getInput();
            if (!rest) {
                check(from, generated);
            }
            for (ProcessorDefinition<?> step : route.getOutputs()) {
                walk(step, generated);
            }
        }
        assertThat(generated).as("steps without an explicit kebab-case id").isEmpty();
        List<RestDefinition> rests = context.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions();
        assertThat(rests).extracting(RestDefinition::getId).contains("api-v1");
        for (RestDefinition rest : rests) {
            for (VerbDefinition verb : rest.getVerbs()) {
                assertThat(verb.getDescriptionText()).as("description of REST verb " + verb.getId()).isNotBlank();
                assertThat(verb.getRouteId()).as("route id of REST verb " + verb.getId()).matches(KEBAB);
                assertThat(verb.getId()).as("id of REST verb " + verb.getPath()).matches(KEBAB);
            }
        }
    }

    private static void walk(ProcessorDefinition<?> step, List<String> generated) {
        check(step, generated);
        for (ProcessorDefinition<?> child : step.getOutputs()) {
            walk(child, generated);
        }
    }

    private static void check(OptionalIdentifiedDefinition<?> def, List<String> generated) {
        if (!def.hasCustomIdAssigned() || !KEBAB.matcher(def.getId()).matches()) {
            generated.add(def.getShortName() + " " + def.getId() + " (" + def.getLocation() + ":" + def.getLineNumber() + ")");
        }
    }

    @Test
    void ingestStoresRecordsAndMarksThemDurable() throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("ingest").whenCompleted(1).create();
        DeviceRecord r = new DeviceRecord("route-test-1", Instant.parse("2024-05-01T10:00:00Z"), 1.5, 2.5, null, 50.0,
                null, null, null, "7000", "json", Map.of(), Map.of("66", 12800));
        Exchange out = template.request("direct:ingest", e -> e.getMessage().setBody(List.of(r)));
        assertThat(done.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out.getException()).isNull();
        assertThat(out.getProperty(ExchangeNames.RECORDS_DURABLE, Integer.class)).isEqualTo(1);
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery(
                     "select latitude, longitude, speed_kmh, event_code, io->>'66' from records where device_uid = 'route-test-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getDouble(1)).isEqualTo(1.5);
            assertThat(rs.getDouble(2)).isEqualTo(2.5);
            assertThat(rs.getDouble(3)).isEqualTo(50.0);
            assertThat(rs.getString(4)).isEqualTo("7000");
            assertThat(rs.getString(5)).isEqualTo("12800");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void jsonGatewayAnswersOneForAStoredObjectAndZeroForARefusedOne() throws Exception {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("json-gateway").whenCompleted(2).create();
        int port = Integer.parseInt(runtime().config().get("fleetcore.json.port"));
        String good = "{\"device_number\":\"route-test-2\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"37.98\",\"longitude\":\"23.73\"}";
        String bad = "{\"device_number\":\"route-test-2\",\"event_code\":\"4002\",\"message_date\":\"2020/02/05 12:18:28\","
                + "\"latitude\":\"north\",\"longitude\":\"23.73\"}";
        assertThat(RunningFleetcore.exchange(port, good + bad, 2, 5000)).isEqualTo("10");
        assertThat(done.matches(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyPublishUsesThePublisherConnectionSoABlockedPublisherCannotStallConsumerAcks() {
        List<SpringRabbitMQEndpoint> publishers = context.getEndpoints().stream()
                .filter(SpringRabbitMQEndpoint.class::isInstance).map(SpringRabbitMQEndpoint.class::cast)
                .filter(e -> e.getQueues() == null).toList();
        // the retry, parked and ingest publishes go through the confirmed publisher bean; any endpoint publish too
        assertThat(context.getRegistry().lookupByNameAndType("confirmedPublisher", io.fleetcore.broker.ConfirmedPublisher.class)
                .usesPublisherConnection()).isTrue();
        assertThat(context.getRegistry().lookupByNameAndType("publishFeedItems", io.fleetcore.broker.PublishFeedItems.class)
                .usesPublisherConnection()).as("the feeds' publisher").isTrue();
        assertThat(publishers).allSatisfy(e -> assertThat(e.isUsePublisherConnection()).as(e.getEndpointUri()).isTrue());
    }
}
