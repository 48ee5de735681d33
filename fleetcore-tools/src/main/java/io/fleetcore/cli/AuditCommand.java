package io.fleetcore.cli;

import io.fleetcore.config.FleetcoreConfig;
import io.fleetcore.sim.Audit;
import io.fleetcore.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetcore audit --ledger FILE}: was every ACKed record stored, exactly once? */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Compares an ACK ledger of 'simulate' with the database (FLEETCORE_DB_* settings); "
                + "exits 1 when a record is missing or duplicated.")
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--ledger", required = true, description = "the ledger file written by simulate --ledger")
    Path ledger;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(ledger)) {
            System.err.println("audit: no ledger at " + ledger.toAbsolutePath());
            return 2;
        }
        try (Database db = Database.start(FleetcoreConfig.load())) {
            Audit.Result result = Audit.run(ledger, db.dataSource());
            System.out.println(result);
            return result.clean() ? 0 : 1;
        }
    }
}
