package cn.urbanmgmt.risk.common;

/** How a bulk import treats bad rows. */
public enum ImportMode {
    /** Default: any bad row and nothing is imported; every bad row is reported. */
    ALL_OR_NOTHING,
    /** Import the good rows and report the bad ones. */
    PARTIAL
}
