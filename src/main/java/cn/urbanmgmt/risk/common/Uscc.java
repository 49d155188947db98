package cn.urbanmgmt.risk.common;

/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-symbol
 * alphabet (no I, O, Z, S, V); the last is a check character over the first 17.
 */
public final class Uscc {

    public static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private Uscc() {
    }

    /** Why {@code code} is not a valid USCC, in zh-CN, or null when it is valid. */
    public static String problem(String code) {
        if (code == null || code.isBlank()) return "统一社会信用代码不能为空";
        if (code.length() != 18) return "统一社会信用代码应为 18 位，实际为 " + code.length() + " 位";
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                return "统一社会信用代码第 " + (i + 1) + " 位字符“" + code.charAt(i) + "”不合法（只允许数字和除 I、O、Z、S、V 外的大写字母）";
            }
        }
        char expected = checkChar(code.substring(0, 17));
        if (code.charAt(17) != expected) {
            return "统一社会信用代码校验位错误：第 18 位应为“" + expected + "”，请核对";
        }
        return null;
    }

    public static boolean isValid(String code) {
        return problem(code) == null;
    }

    /** The GB 32100-2015 check character for the first 17 characters. */
    public static char checkChar(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        int c = 31 - sum % 31;
        return ALPHABET.charAt(c == 31 ? 0 : c);
    }

    /** Normalises what a clerk typed: trims and upper-cases. */
    public static String normalise(String code) {
        return code == null ? null : code.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
