package io.fleetcore.chaos;

/** The faults a chaos run injects; each one is healed before the next one starts. */
public enum FaultKind {
    /** {@code kill -9} of fleetcore, then a fresh start. */
    KILL("kill -9 + restart", false),
    /** SIGSTOP, then SIGCONT: the process hangs with every socket open. */
    PAUSE("SIGSTOP/SIGCONT", false),
    /** Every database connection closed, new ones refused, then accepted again. */
    DB_CUT("database connection closed", false),
    /** Database traffic frozen: connections stay open, nothing arrives either way. */
    DB_BLACKHOLE("database black-holed", false),
    /** Every broker connection closed, new ones refused, then accepted again. */
    BROKER_CUT("broker connection closed", false),
    /** Broker traffic frozen. */
    BROKER_BLACKHOLE("broker black-holed", false),
    /** Database and broker unreachable at once: nothing can become durable, so nothing may be ACKed. */
    BOTH_DOWN("database and broker down at once", false),
    /** {@code pg_ctlcluster ... restart} of the real PostgreSQL (only with --restart-services). */
    PG_RESTART("PostgreSQL restarted", true),
    /** {@code rabbitmqctl stop_app; start_app} of the real RabbitMQ (only with --restart-services). */
    RABBIT_RESTART("RabbitMQ restarted", true);

    private final String label;
    private final boolean serviceRestart;

    FaultKind(String label, boolean serviceRestart) {
        this.label = label;
        this.serviceRestart = serviceRestart;
    }

    public String label() {
        return label;
    }

    /** Restarts a shared service: only when the operator asks for it. */
    public boolean serviceRestart() {
        return serviceRestart;
    }
}
