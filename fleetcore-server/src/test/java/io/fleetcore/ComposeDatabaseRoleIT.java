package io.fleetcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.store.Database;
import io.fleetcore.testing.TestServices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker/postgres-init.sh, the first-start script of the compose PostgreSQL, run with psql against the test
 * PostgreSQL: the role fleetcore uses is no superuser, owns only its own schema, and fleetcore's migrations
 * and writes work as that role.
 */
class ComposeDatabaseRoleIT {

    @Test
    void theRoleFleetcoreRunsAsIsNoSuperuserAndOwnsOnlyItsSchema() throws Exception {
        String url = TestServices.newDatabase();
        URI uri = URI.create(url.substring("jdbc:".length()));
        String database = uri.getPath().substring(1);
        String role = "fc_role_" + TestServices.unique("x").substring(2).replace("-", "");
        String password = "init-script-test";
        String admin = url.replaceFirst("/[^/?]+(\\?.*)?$", "/postgres");
        try {
            ProcessBuilder psql = new ProcessBuilder("sh", Path.of("docker", "postgres-init.sh").toString()).redirectErrorStream(true);
            psql.environment().putAll(Map.of("POSTGRES_USER", "postgres", "POSTGRES_DB", database,
                    "FLEETCORE_DB_USER", role, "FLEETCORE_DB_PASSWORD", password,
                    "PGHOST", uri.getHost(), "PGPORT", String.valueOf(uri.getPort())));
            Process p = psql.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();

            try (Database db = Database.start(FleetcoreConfig.load(Map.of("fleetcore.db.url", url,
                    "fleetcore.db.user", role, "fleetcore.db.password", password)));
                 Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                assertThat(single(st, "select rolsuper::text from pg_roles where rolname = current_user")).isEqualTo("false");
                assertThat(single(st, "select rolcreatedb::text || rolcreaterole::text from pg_roles where rolname = current_user"))
                        .isEqualTo("falsefalse");
                assertThat(single(st, "select schemaname from pg_tables where tablename = 'records'")).isEqualTo(role);
                assertThat(single(st, "select string_agg(nspname, ',' order by nspname = 'api' desc, nspname) from pg_namespace"
                        + " where nspowner = (select oid from pg_roles where rolname = current_user)"))
                        .as("owner of its own schema and the read contract's only").isEqualTo("api," + role);
                assertThatThrownBy(() -> st.execute("create table public.escape (i int)")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> st.execute("create database escape_" + role)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }
        } finally {
            try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement st = c.createStatement()) {
                st.execute("drop database if exists " + database + " with (force)");
                st.execute("drop role if exists " + role);
            }
        }
    }

    static String single(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
