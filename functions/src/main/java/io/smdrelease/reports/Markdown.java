package io.smdrelease.reports;

import java.util.List;
import java.util.Locale;

/** Small helpers for the reports' Markdown tables. */
final class Markdown {
    private Markdown() {}

    static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
        out.append(String.join("|", header)).append('\n');
        out.append("---|".repeat(header.size() - 1)).append("---\n");
        for (List<String> row : rows) {
            out.append(String.join("|", row.stream().map(Markdown::cell).toList()))
                    .append('\n');
        }
    }

    /** A table cell: a {@code |} would split the cell. */
    static String cell(String text) {
        return text == null ? "-" : text.replace("|", "\\|");
    }

    /** {@code 1.5 GiB}, {@code 312.0 MiB}, {@code 980 B}; negative sizes keep their sign. */
    static String size(long bytes) {
        long abs = Math.abs(bytes);
        String sign = bytes < 0 ? "-" : "";
        if (abs < 1024) {
            return sign + abs + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = abs;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return sign + String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
    }

    static String size(Long bytes) {
        return bytes == null ? "-" : size(bytes.longValue());
    }

    static String percent(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f%%", value);
    }
}
