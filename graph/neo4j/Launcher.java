import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community (from the Maven jars) as a local server with Bolt on one loopback port.
 *
 * Usage: Launcher HOME HOST PORT PASSWORD PAGECACHE_MB
 * The password comes from the environment variable PLANTALENT_NEO4J_PASSWORD when set, so it
 * does not show in the process list. Prints "PLANTALENT-NEO4J-READY" once Bolt accepts
 * connections, and shuts the databases down cleanly on SIGTERM.
 */
public final class Launcher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String password = System.getenv().getOrDefault("PLANTALENT_NEO4J_PASSWORD", args.length > 3 ? args[3] : "");
        long pageCacheMb = args.length > 4 ? Long.parseLong(args[4]) : 512;
        Files.createDirectories(home);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, !password.isEmpty())
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.default_listen_address, new SocketAddress(host))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "plantalent-neo4j-shutdown"));

        if (!password.isEmpty()) {
            // The built-in user starts with password "neo4j" and must change it; set ours instead.
            try {
                dbms.database("system").executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            } catch (RuntimeException e) {
                // A restart of an existing store: the password is already ours, which Neo4j
                // reports as an error. Anything else is a real failure.
                if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                    throw e;
                }
            }
        }
        System.out.println("PLANTALENT-NEO4J-READY " + host + ":" + port);
        System.out.flush();
        stopped.await();
    }
}
