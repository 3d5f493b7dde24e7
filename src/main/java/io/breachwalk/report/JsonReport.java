package io.breachwalk.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.breachwalk.model.Confidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** report.json: the whole {@link ScanReport}, snake_case, stable key order, ISO-8601 times. */
public final class JsonReport {

    public static final String FILE = "report.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(confidenceAsInCsv())
            .build();

    /**
     * `confidence` is written lowercase as in jobs.csv (`confirmed`); reports written before that said `CONFIRMED`,
     * and `breachwalk tickets` still reads them.
     */
    private static SimpleModule confidenceAsInCsv() {
        SimpleModule m = new SimpleModule("confidence-as-in-csv");
        m.addSerializer(Confidence.class, new JsonSerializer<>() {
            @Override
            public void serialize(Confidence value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.csv());
            }
        });
        m.addDeserializer(Confidence.class, new JsonDeserializer<>() {
            @Override
            public Confidence deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Confidence.valueOf(text.trim().toUpperCase(Locale.ROOT));
                } catch (RuntimeException e) {
                    return (Confidence) ctx.handleWeirdStringValue(Confidence.class, text,
                            "not a confidence (confirmed, probable, possible)");
                }
            }
        });
        return m;
    }

    private JsonReport() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static void write(OutputFiles out, ScanReport report) throws IOException {
        out.write(FILE, w -> {
            MAPPER.writeValue(new NonClosingWriter(w), report);
            w.write("\n");
        });
    }

    public static ScanReport read(Path file) throws IOException {
        if (Files.size(file) > 512L * 1024 * 1024) {
            throw new IOException(file + " is larger than 512 MB; is it a breachwalk report.json?");
        }
        return MAPPER.readValue(file.toFile(), ScanReport.class);
    }

    /** Jackson closes the writer it is given; the output file's writer is closed by {@link OutputFiles}. */
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
