package cn.urbanmgmt.risk.security;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;

/**
 * The minimum password policy: at least 10 characters, letters and digits, not containing the user
 * name, not a well-known password. Temporary passwords (after a reset or an import) follow it.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final String RULE = "密码至少 " + MIN_LENGTH + " 位，须同时包含字母和数字，不能包含用户名，也不能是常见密码";
    private static final Set<String> COMMON = Set.of("password123", "1234567890", "qwertyuiop", "abc1234567", "demo123456",
            "admin12345", "password1234", "1q2w3e4r5t", "a123456789", "qwerty1234");
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordPolicy() {
    }

    /** Null when the password is acceptable, else what is wrong with it (zh-CN). */
    public static String problem(String username, String password) {
        if (password == null || password.length() < MIN_LENGTH) return "密码太短：" + RULE;
        if (password.length() > 72) return "密码不能超过 72 个字符";
        boolean letter = password.chars().anyMatch(Character::isLetter);
        boolean digit = password.chars().anyMatch(Character::isDigit);
        if (!letter || !digit) return "密码须同时包含字母和数字：" + RULE;
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && !username.isBlank() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return "密码不能包含用户名：" + RULE;
        }
        if (COMMON.contains(lower)) return "该密码过于常见，请换一个：" + RULE;
        return null;
    }

    /** A random 14-character password that meets the policy. */
    public static String temporary() {
        while (true) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 14; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            String p = sb.toString();
            if (problem(null, p) == null) return p;
        }
    }
}
