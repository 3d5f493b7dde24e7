package io.breachwalk.cli;

import io.breachwalk.text.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * `inspect`'s terminal table: fixed-width columns that fit the terminal (COLUMNS, else 100). When the cells do not
 * fit, the widest flexible column gives way first; a file path loses its middle (both its start and its name stay
 * readable), other cells lose their end.
 */
final class InspectTable {
    static final int DEFAULT_WIDTH = 100;
    private static final int MIN_WIDTH = 60;
    private static final int GAP = 2;

    /** How a column gives way when the table is too wide. */
    enum Cut { NONE, MIDDLE, RIGHT }

    /** @param drop 0 never; else columns go, highest first, while even their minimum widths do not fit */
    record Column(String title, Cut cut, int min, int drop, int weight) { }

    private final List<Column> columns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    InspectTable column(String title, Cut cut, int min, int drop) {
        return column(title, cut, min, drop, 1);
    }

    /** @param weight how much room the column keeps relative to the others when the table shrinks */
    InspectTable column(String title, Cut cut, int min, int drop, int weight) {
        columns.add(new Column(title, cut, min, drop, weight));
        return this;
    }

    InspectTable row(String... cells) {
        String[] clean = new String[cells.length];
        for (int i = 0; i < cells.length; i++) clean[i] = SafeText.terminal(cells[i]);
        rows.add(clean);
        return this;
    }

    /** The terminal's width from COLUMNS when it is a sensible number, else {@link #DEFAULT_WIDTH}. */
    static int width(String columnsEnv) {
        if (columnsEnv == null) return DEFAULT_WIDTH;
        try {
            int w = Integer.parseInt(columnsEnv.trim());
            return w >= MIN_WIDTH ? Math.min(w, 500) : w > 0 ? MIN_WIDTH : DEFAULT_WIDTH;
        } catch (NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }

    List<String> render(int width) {
        int n = columns.size();
        int[] natural = new int[n];
        for (int i = 0; i < n; i++) {
            natural[i] = columns.get(i).title().length();
            for (String[] r : rows) natural[i] = Math.max(natural[i], r[i].length());
        }
        // Drop columns (highest drop first) while the narrowest the others can get still does not fit.
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) kept.add(i);
        while (true) {
            int least = GAP * (kept.size() - 1);
            for (int i : kept) least += columns.get(i).cut() == Cut.NONE ? natural[i] : Math.min(natural[i], floor(columns.get(i)));
            if (least <= width) break;
            int victim = -1;
            for (int i : kept) if (columns.get(i).drop() > 0 && (victim < 0 || columns.get(i).drop() > columns.get(victim).drop())) victim = i;
            if (victim < 0) break;
            kept.remove(Integer.valueOf(victim));
        }
        if (kept.size() < n) {
            InspectTable narrower = new InspectTable();
            for (int i : kept) narrower.columns.add(columns.get(i));
            for (String[] r : rows) narrower.rows.add(kept.stream().map(i -> r[i]).toArray(String[]::new));
            return narrower.render(width);
        }
        int[] w = natural.clone();
        // The last column may run to the edge; every other one takes its width plus the gap.
        while (total(w) > width) {
            int widest = -1;
            for (int i = 0; i < n; i++) {
                Column c = columns.get(i);
                if (c.cut() != Cut.NONE && w[i] > floor(c) && (widest < 0 || share(c, w[i]) > share(columns.get(widest), w[widest]))) widest = i;
            }
            if (widest < 0) break;
            w[widest]--;
        }
        List<String> out = new ArrayList<>();
        String[] titles = columns.stream().map(Column::title).toArray(String[]::new);
        out.add(line(titles, w));
        for (String[] r : rows) out.add(line(r, w));
        return out;
    }

    private static int share(Column c, int width) {
        return width / c.weight();
    }

    /** The narrowest a column gets: its minimum, and never below its title. */
    private static int floor(Column c) {
        return Math.max(c.min(), c.title().length());
    }

    private static int total(int[] w) {
        int t = 0;
        for (int x : w) t += x;
        return t + GAP * (w.length - 1);
    }

    private String line(String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = fit(cells[i], w[i], columns.get(i).cut());
            sb.append(c);
            if (i < cells.length - 1) sb.append(" ".repeat(w[i] - c.length() + GAP));
        }
        return sb.toString().stripTrailing();
    }

    static String fit(String s, int n, Cut cut) {
        if (s.length() <= n) return s;
        if (n <= 1) return s.substring(0, Math.max(0, n));
        if (cut == Cut.MIDDLE) {
            int head = (n - 1) / 3;
            int tail = n - 1 - head;
            return s.substring(0, head) + "…" + s.substring(s.length() - tail);
        }
        return s.substring(0, n - 1) + "…";
    }
}
