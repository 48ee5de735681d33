package io.fleetcore.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hawtio console's login to fleetcore's Jolokia, from fleetcore's users file or the configuration. */
class JolokiaLoginTest {

    @TempDir
    Path dir;

    @Test
    void theUsersFileFleetcoreGeneratesGivesUserAndPassword() throws Exception {
        Path users = Files.writeString(dir.resolve("management-users.properties"),
                "user.fleetcore=Gen3rated-Secret,admin\nrole.admin=*\n");
        JolokiaLogin login = JolokiaLogin.fromUsersFile(users, "");
        assertThat(login.user()).isEqualTo("fleetcore");
        assertThat(login.password()).isEqualTo("Gen3rated-Secret");
        assertThat(login.authorization()).isEqualTo("Basic ZmxlZXRjb3JlOkdlbjNyYXRlZC1TZWNyZXQ=");
        assertThat(login.toString()).doesNotContain("Gen3rated-Secret");
    }

    @Test
    void aNamedUserIsTakenAndAMissingOneIsAClearError() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "user.alice=a-pass,admin\nuser.bob=b-pass\n");
        assertThat(JolokiaLogin.fromUsersFile(users, "bob")).isEqualTo(new JolokiaLogin("bob", "b-pass"));
        assertThatThrownBy(() -> JolokiaLogin.fromUsersFile(users, "carol")).hasMessageContaining("no user carol in the management users file");
        assertThatThrownBy(() -> JolokiaLogin.fromUsersFile(dir.resolve("missing"), "")).hasMessageContaining("cannot read");
    }

    @Test
    void withoutUsersFileAConfiguredPasswordLogsInElseNoLogin() {
        assertThat(JolokiaLogin.resolve(null, "", "pw")).contains(new JolokiaLogin("fleetcore", "pw"));
        assertThat(JolokiaLogin.resolve(null, "ops", "pw")).contains(new JolokiaLogin("ops", "pw"));
        assertThat(JolokiaLogin.resolve(null, "ops", "")).isEmpty();
    }
}
