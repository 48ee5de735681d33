package io.fleetcore.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServicesTest {

    @Test
    void jdbcUrlRewrites() {
        String url = "jdbc:postgresql://db.example:5433/fleet?sslmode=disable";
        assertThat(Services.withDatabase(url, "fc_chaos_x")).isEqualTo("jdbc:postgresql://db.example:5433/fc_chaos_x?sslmode=disable");
        assertThat(Services.withDatabase("jdbc:postgresql://127.0.0.1:5432/test", "postgres"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(Services.throughProxy(url, 40001)).isEqualTo("jdbc:postgresql://127.0.0.1:40001/fleet?sslmode=disable");
        assertThat(Services.host(url)).isEqualTo("db.example");
        assertThat(Services.port(url, 5432)).isEqualTo(5433);
        assertThat(Services.port("jdbc:postgresql://localhost/x", 5432)).isEqualTo(5432);
    }

    @Test
    void amqpUriThroughProxyKeepsCredentialsAndVhost() {
        assertThat(Services.throughProxy("amqp://guest:guest@rabbit:5672/", 40002)).isEqualTo("amqp://guest:guest@127.0.0.1:40002/");
        assertThat(Services.throughProxy("amqp://u:p@rabbit/fleet", 40003)).isEqualTo("amqp://u:p@127.0.0.1:40003/fleet");
        assertThat(Services.port("amqp://u:p@rabbit/fleet", 5672)).isEqualTo(5672);
    }
}
