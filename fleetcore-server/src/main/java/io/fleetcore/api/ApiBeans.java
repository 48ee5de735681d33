package io.fleetcore.api;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.model.IoNames;
import io.fleetcore.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The beans the API's route files ({@code routes/api}) refer to: key checks, parameter readers, writers, and
 * {@code apiDataSource}, a small pool whose connections act as role {@code fleetcore_reader} (they can read
 * schema {@code api} and nothing else) in UTC with a statement timeout. Refuses to start an open API (no key)
 * on a non-loopback bind.
 */
public final class ApiBeans {

    private ApiBeans() {
    }

    public static void create(FleetcoreConfig config, Database database, MeterRegistry meters, IoNames ioNames,
                              Map<String, Object> beans, Consumer<AutoCloseable> closeables) {
        ApiKeys keys = ApiKeys.parse(config.get("fleetcore.api.keys", ""));
        keys.requireKeysUnlessLoopback(config.get("fleetcore.api.host"));
        int maxPage = config.getInt("fleetcore.api.max-page-size");
        String role = config.get("fleetcore.api.db-role", "");
        long timeoutMs = config.getDuration("fleetcore.api.statement-timeout").toMillis();
        String init = (role.isEmpty() ? "" : "set role " + quoteIdent(role) + "; ")
                + "set time zone 'UTC'; set statement_timeout = " + timeoutMs;
        var pool = database.readerPool("fleetcore-api", config.getInt("fleetcore.api.db-pool-size"), init);
        closeables.accept(pool);

        beans.put("apiDataSource", pool);
        beans.put("platform-http-engine", new ApiHttpEngine(config.getInt("fleetcore.api.port")));
        beans.put("authorizeRead", new ApiAccess(keys, ApiKeys.Role.READ));
        beans.put("authorizeAdmin", new ApiAccess(keys, ApiKeys.Role.ADMIN));
        beans.put("readDeviceId", new ReadDeviceId("id", "device id", true));
        beans.put("readDeviceFilter", new ReadDeviceId("device", "device", false));
        beans.put("requireNewDevice", RequireUpdated.newDevice());
        beans.put("requireKnownDevice", RequireUpdated.knownDevice());
        beans.put("readDevicePage", new ReadPage(1000, maxPage, ReadPage.Kind.DEVICE));
        beans.put("readNewestPage", new ReadPage(100, maxPage, ReadPage.Kind.NEWEST_ID));
        beans.put("readPositionPage", new ReadPage(1000, maxPage, ReadPage.Kind.TIME));
        beans.put("readTimeRange", new ReadTimeRange(config.getDuration("fleetcore.api.default-range"),
                config.getDuration("fleetcore.api.max-range"), Clock.systemUTC()));
        beans.put("readNewDevice", ReadDeviceChange.register());
        beans.put("readDevicePatch", ReadDeviceChange.patch());
        beans.put("readDeviceCsv", new ReadDeviceCsv(config.getInt("fleetcore.api.max-import-rows")));
        beans.put("nameIo", new NameIo(ioNames));
        beans.put("writePage", new WritePage());
        beans.put("pageRows", new PageRows());
        beans.put("writeOne", new WriteOne());
        beans.put("writeProblem", new WriteProblem());
        beans.put("summarizeMetrics", new MetricsSummary(meters));
        beans.put("serveFleetPage", new ServeAsset("/fleet/", "io/fleetcore/api/web/"));
        beans.put("serveEndpointList", ServeAsset.file("io/fleetcore/api/web/", "api.html"));
        beans.put("serveLeaflet", new ServeAsset("/webjars/leaflet/", "META-INF/resources/webjars/leaflet/"));
    }

    private static String quoteIdent(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            throw new IllegalStateException("fleetcore.api.db-role (env FLEETCORE_API_DB_ROLE) must be a plain role name, got '" + name + "'");
        }
        return "\"" + name + "\"";
    }
}
