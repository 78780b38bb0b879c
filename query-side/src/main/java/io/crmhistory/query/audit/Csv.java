package io.crmhistory.query.audit;

import java.util.List;

/** RFC 4180 rows, made safe to open in a spreadsheet. */
final class Csv {

    private Csv() {
    }

    /** The cells, comma-separated, quoted where needed, ended by CRLF. */
    static String row(List<String> cells) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                row.append(',');
            }
            row.append(cell(cells.get(i)));
        }
        return row.append("\r\n").toString();
    }

    /**
     * A cell with a comma, quote or line break is quoted, its quotes doubled (RFC 4180). A cell a
     * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR; correlation ids and
     * principals come from clients) is prefixed with an apostrophe, which spreadsheets show as text.
     */
    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
