package cn.urbanmgmt.risk.demo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Command-line generator for scale benchmarks: migrates a PostgreSQL database with the service's
 * Flyway scripts, then writes N deterministic merchants in one transaction. Runs without Quarkus:
 *
 * <pre>
 * ./mvnw -q compile exec:java -Dexec.args="--jdbc-url jdbc:postgresql://127.0.0.1:5432/bench --user postgres --merchants 1000000"
 * </pre>
 */
public final class GenerateDistrict {

    static final String USAGE = """
            Usage: GenerateDistrict --jdbc-url URL [--user NAME] [--password SECRET] [--merchants N] [--seed S] [--today yyyy-MM-dd]
              --jdbc-url   jdbc:postgresql://host:port/database (required; the database must exist)
              --user       database user (default postgres)
              --password   database password (default none)
              --merchants  how many merchants to add (default 1000000)
              --seed       generator seed; the same seed and size give the same merchants (default 20211231)
              --today      the date the generated data is relative to (default today)
            Refuses a database the service has marked as a production database.""";

    private GenerateDistrict() {
    }

    public static void main(String[] args) {
        try {
            run(parse(args));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().equals("help")) {
                System.out.println(USAGE);
                return;
            }
            System.err.println("GenerateDistrict: " + e.getMessage());
            System.err.println(USAGE);
            exit(2);
        } catch (Exception e) {
            System.err.println("GenerateDistrict failed: " + e);
            exit(1);
        }
    }

    /** exec:java runs inside Maven's JVM; a thrown error is enough there, System.exit elsewhere. */
    private static void exit(int status) {
        if (System.getProperty("classworlds.conf") != null || System.getProperty("maven.home") != null) {
            throw new IllegalStateException("GenerateDistrict exited with status " + status);
        }
        System.exit(status);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("user", "postgres");
        opts.put("password", "");
        opts.put("merchants", "1000000");
        opts.put("seed", "20211231");
        opts.put("today", LocalDate.now().toString());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("help");
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("missing value for --" + key);
            }
            if (!opts.containsKey(key) && !key.equals("jdbc-url")) throw new IllegalArgumentException("unknown option --" + key);
            opts.put(key, value);
        }
        if (opts.get("jdbc-url") == null || !opts.get("jdbc-url").startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--jdbc-url jdbc:postgresql://... is required");
        }
        try {
            if (Integer.parseInt(opts.get("merchants")) < 0) throw new IllegalArgumentException("--merchants must be >= 0");
            Long.parseLong(opts.get("seed"));
            LocalDate.parse(opts.get("today"));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("bad number or date: " + e.getMessage());
        }
        return opts;
    }

    static void run(Map<String, String> opts) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(opts.get("jdbc-url"));
        ds.setUser(opts.get("user"));
        if (!opts.get("password").isEmpty()) ds.setPassword(opts.get("password"));
        int count = Integer.parseInt(opts.get("merchants"));
        long seed = Long.parseLong(opts.get("seed"));

        long t0 = System.nanoTime();
        Flyway flyway = Flyway.configure(GenerateDistrict.class.getClassLoader()).dataSource(ds)
                .locations("classpath:db/migration").load();
        int applied = flyway.migrate().migrationsExecuted;
        long t1 = System.nanoTime();
        System.out.printf("Flyway: %d migration(s) applied, schema at version %s (%d ms)%n",
                applied, flyway.info().current().getVersion(), (t1 - t0) / 1_000_000);

        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            String mode = setting(c, "database_mode");
            if ("production".equals(mode)) {
                throw new IllegalStateException("this database is marked as a production database; generated merchants are refused");
            }
            if (mode == null) {
                // Generated merchants are demo data: a later production start must not adopt this database silently.
                try (PreparedStatement ps = c.prepareStatement("insert into system_setting (key, value) values ('database_mode', 'demo')")) {
                    ps.executeUpdate();
                }
            }
            long before = countMerchants(c);
            new DistrictGenerator(seed, LocalDate.parse(opts.get("today"))).writeMerchants(c, count);
            c.commit();
            long t2 = System.nanoTime();
            System.out.printf("Generated %d merchants (seed %d) in %.1f s; the database now holds %d merchants.%n",
                    count, seed, (t2 - t1) / 1e9, before + count);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new IllegalStateException("a generated uscc is already in the database (same seed run twice?); "
                        + "use another --seed or a fresh database. Nothing was written.", e);
            }
            throw e;
        }
    }

    private static String setting(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select value from system_setting where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long countMerchants(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from merchant"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
