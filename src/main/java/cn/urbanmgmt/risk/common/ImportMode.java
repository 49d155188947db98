package cn.urbanmgmt.risk.common;

/** How a bulk import treats bad rows. */
public enum ImportMode {
    /** Default: any bad row and nothing is imported; every bad row is reported. */
    ALL_OR_NOTHING,
    /** Import the good rows and report the bad ones. */
    PARTIAL;

    /** Parses the {@code mode} query parameter, refusing unknown values with a clear message. */
    public static ImportMode parse(String mode) {
        try {
            return valueOf(mode.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("mode", "导入模式“" + mode + "”无效，可选：ALL_OR_NOTHING（全部正确才导入）、PARTIAL（只导入正确的行）");
        }
    }
}
