package io.breachwalk.report;

import io.breachwalk.files.Json;
import io.breachwalk.files.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** report.json: the whole {@link ScanReport}, snake_case, stable key order, ISO-8601 times. */
public final class JsonReport {

    public static final String FILE = "report.json";

    private JsonReport() {
    }

    public static void write(OwnerOnlyFiles out, ScanReport report) throws IOException {
        out.write(FILE, w -> {
            Json.mapper().writeValue(new NonClosingWriter(w), report);
            w.write("\n");
        });
    }

    public static ScanReport read(Path file) throws IOException {
        if (Files.size(file) > 512L * 1024 * 1024) {
            throw new IOException(file + " is larger than 512 MB; is it a breachwalk report.json?");
        }
        return Json.mapper().readValue(file.toFile(), ScanReport.class);
    }

    /** Jackson closes the writer it is given; the output file's writer is closed by {@link OwnerOnlyFiles}. */
    private static final class NonClosingWriter extends java.io.FilterWriter {
        NonClosingWriter(java.io.Writer w) {
            super(w);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
