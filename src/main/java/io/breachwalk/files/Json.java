package io.breachwalk.files;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.breachwalk.model.Confidence;

import java.io.IOException;
import java.util.Locale;

/**
 * The one JSON mapper of breachwalk (report.json, the resume journal, the evidence index and manifest): snake_case,
 * stable key order, ISO-8601 times, so that every JSON file it writes reads the same way.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(confidenceAsInCsv())
            .build();

    private Json() {
    }

    /** The shared mapper; callers that need other settings take a {@code copy()}. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

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
}
