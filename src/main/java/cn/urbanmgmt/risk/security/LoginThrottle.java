package cn.urbanmgmt.risk.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Temporary lock-out after repeated failed logins, per account name and per client address: after
 * {@code app.login.max-failures-per-account} failures of one name (existing or not, so that the
 * lock-out tells nothing about which names exist) or {@code app.login.max-failures-per-address}
 * failures from one address within {@code app.login.lockout}, every attempt of that name or from
 * that address is refused for {@code app.login.lockout}, even with the right password. A success
 * clears the name's count (not the address's). ADMIN lifts an account's lock-out by resetting its
 * password. Counts live in this instance's memory: with n instances behind a load balancer an
 * attacker gets at most n times the attempts.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final int MAX_ENTRIES = 100_000;

    @ConfigProperty(name = "app.login.max-failures-per-account", defaultValue = "5")
    int maxPerAccount;

    @ConfigProperty(name = "app.login.max-failures-per-address", defaultValue = "20")
    int maxPerAddress;

    @ConfigProperty(name = "app.login.lockout", defaultValue = "PT15M")
    Duration lockout;

    /** Failures since {@code since}; locked while {@code lockedUntil} is in the future. */
    private record Count(int failures, long since, long lockedUntil) {
    }

    private final Map<String, Count> accounts = new ConcurrentHashMap<>();
    private final Map<String, Count> addresses = new ConcurrentHashMap<>();

    /** Refuses the attempt (see {@link LoginLock}) when the name or the address is locked out. */
    public void check(String username, String address) {
        long now = System.currentTimeMillis();
        long until = Math.max(lockedUntil(accounts.get(key(username)), now), lockedUntil(addresses.get(address), now));
        if (until > now) {
            throw LoginLock.exception(Duration.ofMillis(until - now));
        }
    }

    public void failed(String username, String address) {
        long now = System.currentTimeMillis();
        if (accounts.size() > MAX_ENTRIES || addresses.size() > MAX_ENTRIES) evictExpired(now);
        accounts.compute(key(username), (k, c) -> count(c, now, maxPerAccount));
        if (address != null) addresses.compute(address, (k, c) -> count(c, now, maxPerAddress));
    }

    public void succeeded(String username) {
        accounts.remove(key(username));
    }

    /** Lifts the lock-out of one account (after ADMIN reset its password). */
    public void unlock(String username) {
        accounts.remove(key(username));
    }

    /** Forgets every count (tests). */
    public void reset() {
        accounts.clear();
        addresses.clear();
    }

    private Count count(Count c, long now, int max) {
        long window = lockout.toMillis();
        if (c == null || (c.lockedUntil() == 0 && now - c.since() > window) || (c.lockedUntil() != 0 && c.lockedUntil() <= now)) {
            c = new Count(0, now, 0);
        }
        if (c.lockedUntil() > now) return c;
        int failures = c.failures() + 1;
        return failures >= max ? new Count(0, now, now + window) : new Count(failures, c.since(), 0);
    }

    private static long lockedUntil(Count c, long now) {
        return c == null ? 0 : c.lockedUntil();
    }

    private static String key(String username) {
        return username == null ? "" : username.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private void evictExpired(long now) {
        long window = lockout.toMillis();
        accounts.values().removeIf(c -> c.lockedUntil() < now && now - c.since() > window);
        addresses.values().removeIf(c -> c.lockedUntil() < now && now - c.since() > window);
    }
}
