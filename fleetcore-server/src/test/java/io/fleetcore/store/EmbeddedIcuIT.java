package io.fleetcore.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetcore.testing.TestServices;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The embedded PostgreSQL works with the reduced ICU data of the repacked bundle (RepackPostgresBundles keeps only
 * what PostgreSQL reads): initdb imports the same ICU collations, versions and comments as with zonky's full
 * data (723 collations; the values below were read from a cluster initialised with the full data), and ICU
 * collations still sort by their language's rules, change case and title-case words.
 */
class EmbeddedIcuIT {

    @Test
    void icuCollationsWorkAsWithTheFullIcuData() throws Exception {
        Path dataDir = Path.of(TestServices.buildDir(), TestServices.unique("embedded-icu"));
        try (EmbeddedPostgres postgres = EmbeddedDatabase.start(dataDir);
             Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            assertThat(one(st, "select count(*) from pg_collation where collprovider = 'i'")).isEqualTo("723");
            assertThat(one(st, "select collversion || ' ' || obj_description(oid, 'pg_collation') from pg_collation"
                    + " where collname = 'de-AT-x-icu'")).isEqualTo("153.80 German (Austria)");
            assertThat(one(st, "select collversion from pg_collation where collname = 'sv-x-icu'")).isEqualTo("153.80.32.1");
            assertThat(one(st, "select string_agg(x, ',' order by x collate \"sv-x-icu\") || ' ' || "
                    + "string_agg(x, ',' order by x collate \"und-x-icu\") from unnest(array['z','ö','a','ä','o']) x"))
                    .as("Swedish sorts ä and ö after z, the root collation does not").isEqualTo("a,o,z,ä,ö a,ä,o,ö,z");
            assertThat(one(st, "select string_agg(x, ',' order by x collate \"zh-x-icu\") from unnest(array['中','国','人','大','一']) x"))
                    .isEqualTo("大,国,人,一,中");
            assertThat(one(st, "select upper('straße' collate \"de-x-icu\")")).isEqualTo("STRASSE");
            assertThat(one(st, "select upper('istanbul' collate \"tr-x-icu\")")).isEqualTo("İSTANBUL");
            assertThat(one(st, "select initcap('élan vital' collate \"fr-x-icu\")")).as("word breaks").isEqualTo("Élan Vital");
        }
    }

    private static String one(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
