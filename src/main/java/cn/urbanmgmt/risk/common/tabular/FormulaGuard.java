package cn.urbanmgmt.risk.common.tabular;

import java.util.regex.Pattern;

/**
 * Formula injection in exports (CSV injection): a text cell that starts with {@code = + - @}, a tab
 * or a carriage return is run as a formula by Excel, WPS and LibreOffice when the file is opened.
 * Exported files therefore write such text as text:
 * <ul>
 *   <li>CSV: the cell gets a leading apostrophe ({@code '=1+2}), which spreadsheets show as text;
 *       a value that itself starts with an apostrophe gets one more, so that {@link #fromCsv}
 *       gives back exactly what was exported (what is exported imports back unchanged);</li>
 *   <li>XLSX: the cell is a string cell with Excel's "quote prefix" style (as when a person types
 *       {@code '=1+2}); its value is unchanged.</li>
 * </ul>
 * Plain numbers such as {@code -12.5} are numbers, not formulas, and stay as they are.
 */
public final class FormulaGuard {

    private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

    private FormulaGuard() {
    }

    /** True when a spreadsheet would treat this text as a formula (or as the start of one). */
    public static boolean isFormulaLike(String text) {
        if (text == null || text.isEmpty()) return false;
        char c = text.charAt(0);
        boolean trigger = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r'
                || c == '\uFF1D' || c == '\uFF0B' || c == '\uFF0D' || c == '\uFF20'; // full-width forms
        return trigger && !PLAIN_NUMBER.matcher(text).matches();
    }

    /** The text to write into a CSV cell. */
    public static String toCsv(String text) {
        if (text == null || text.isEmpty()) return text;
        return isFormulaLike(text) || text.charAt(0) == '\'' ? "'" + text : text;
    }

    /** The inverse of {@link #toCsv} for a cell read from an uploaded CSV file. */
    public static String fromCsv(String cell) {
        if (cell == null || cell.length() < 2 || cell.charAt(0) != '\'') return cell;
        String rest = cell.substring(1);
        return isFormulaLike(rest) || rest.charAt(0) == '\'' ? rest : cell;
    }
}
