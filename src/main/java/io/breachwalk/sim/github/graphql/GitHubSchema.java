package io.breachwalk.sim.github.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLCodeRegistry;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeRuntimeWiring;
import io.breachwalk.sim.github.graphql.GitHubObjects.Resolvable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * The executable schema: GitHub's SDL subset (a resource next to this class) wired to the estate objects. Every
 * field is answered by its object ({@link Resolvable}), interfaces resolve by the record's class.
 */
final class GitHubSchema {
    static final String SDL = "github-subset.graphqls";

    private GitHubSchema() {
    }

    static GraphQLSchema build() {
        String sdl;
        try (InputStream in = GitHubSchema.class.getResourceAsStream(SDL)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SDL);
            }
            sdl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DataFetcher<Object> byName = env -> {
            Object source = env.getSource();
            String field = env.getFieldDefinition().getName();
            if (source instanceof Resolvable r) {
                return r.get(field, env);
            }
            if (source instanceof Map<?, ?> m) {
                return m.get(field);
            }
            return null;
        };
        TypeResolver byClass = env -> env.getSchema().getObjectType(typeName(env.getObject()));
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring().strictMode(false) // to replace the built-in Int
                .codeRegistry(GraphQLCodeRegistry.newCodeRegistry().defaultDataFetcher(e -> byName))
                .scalar(longInt())
                .scalar(text("URI", "An RFC 3986, RFC 3987, and RFC 6570 (level 4) compliant URI string."))
                .scalar(text("GitObjectID", "A Git object ID."))
                .scalar(time("DateTime"))
                .scalar(time("GitTimestamp"))
                .type(TypeRuntimeWiring.newTypeWiring("Node").typeResolver(byClass))
                .type(TypeRuntimeWiring.newTypeWiring("GitObject").typeResolver(byClass))
                .build();
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl), wiring);
    }

    static String typeName(Object o) {
        if (o instanceof GitHubObjects.RepositoryObject) {
            return "Repository";
        } else if (o instanceof GitHubObjects.BlobObject) {
            return "Blob";
        } else if (o instanceof GitHubObjects.TreeObject) {
            return "Tree";
        } else if (o instanceof GitHubObjects.CommitObject) {
            return "Commit";
        } else if (o instanceof GitHubObjects.RefObject) {
            return "Ref";
        } else if (o instanceof GitHubObjects.CheckSuiteObject) {
            return "CheckSuite";
        } else if (o instanceof GitHubObjects.CheckRunObject) {
            return "CheckRun";
        } else if (o instanceof GitHubObjects.WorkflowRunObject) {
            return "WorkflowRun";
        } else if (o instanceof GitHubObjects.WorkflowObject) {
            return "Workflow";
        }
        throw new IllegalStateException("no GraphQL type for " + o);
    }

    /**
     * GitHub types databaseId as Int yet sends values past 2^31 (check run ids do); the simulator's Int serializes
     * any long so clients meet the same values. Arguments stay 32-bit as the spec says.
     */
    private static GraphQLScalarType longInt() {
        return GraphQLScalarType.newScalar().name("Int").description("Represents non-fractional signed whole numeric values.")
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    public Object serialize(Object value, GraphQLContext c, Locale l) {
                        if (value instanceof Number n) {
                            long v = n.longValue();
                            return v == (int) v ? (Object) (int) v : (Object) v;
                        }
                        throw new CoercingSerializeException("Int cannot represent " + value);
                    }

                    @Override
                    public Object parseValue(Object input, GraphQLContext c, Locale l) {
                        if (input instanceof Integer || input instanceof Short || input instanceof Byte) {
                            return ((Number) input).intValue();
                        }
                        if (input instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                                && n.longValue() == (int) n.longValue()) {
                            return (int) n.longValue();
                        }
                        throw new CoercingParseValueException("Could not coerce value " + input + " to Int");
                    }

                    @Override
                    public Object parseLiteral(Value<?> input, CoercedVariables v, GraphQLContext c, Locale l) {
                        if (input instanceof IntValue i) {
                            BigInteger b = i.getValue();
                            if (b.bitLength() < 32) {
                                return b.intValue();
                            }
                        }
                        throw new CoercingParseLiteralException("Could not coerce value " + input + " to Int");
                    }

                    @Override
                    public Value<?> valueToLiteral(Object input, GraphQLContext c, Locale l) {
                        return IntValue.of(((Number) input).intValue());
                    }
                }).build();
    }

    private static GraphQLScalarType text(String name, String description) {
        return GraphQLScalarType.newScalar().name(name).description(description)
                .coercing(new Coercing<String, String>() {
                    @Override
                    public String serialize(Object value, GraphQLContext c, Locale l) {
                        return value.toString();
                    }

                    @Override
                    public String parseValue(Object input, GraphQLContext c, Locale l) {
                        if (input instanceof String s) {
                            return s;
                        }
                        throw new CoercingParseValueException(name + " must be a string");
                    }

                    @Override
                    public String parseLiteral(Value<?> input, CoercedVariables v, GraphQLContext c, Locale l) {
                        if (input instanceof StringValue s) {
                            return s.getValue();
                        }
                        throw new CoercingParseLiteralException(name + " must be a string");
                    }

                    @Override
                    public Value<?> valueToLiteral(Object input, GraphQLContext c, Locale l) {
                        return StringValue.of(input.toString());
                    }
                }).build();
    }

    /** ISO-8601 times to the second, "2021-03-01T10:00:00Z", as GitHub writes them. */
    private static GraphQLScalarType time(String name) {
        return GraphQLScalarType.newScalar().name(name).description("An ISO-8601 encoded date string.")
                .coercing(new Coercing<Instant, String>() {
                    @Override
                    public String serialize(Object value, GraphQLContext c, Locale l) {
                        if (value instanceof Instant t) {
                            return t.truncatedTo(ChronoUnit.SECONDS).toString();
                        }
                        return value.toString();
                    }

                    @Override
                    public Instant parseValue(Object input, GraphQLContext c, Locale l) {
                        try {
                            return OffsetDateTime.parse(input.toString()).toInstant();
                        } catch (RuntimeException e) {
                            throw new CoercingParseValueException("\"" + input + "\" is not a valid " + name);
                        }
                    }

                    @Override
                    public Instant parseLiteral(Value<?> input, CoercedVariables v, GraphQLContext c, Locale l) {
                        if (input instanceof StringValue s) {
                            try {
                                return OffsetDateTime.parse(s.getValue()).toInstant();
                            } catch (RuntimeException e) {
                                throw new CoercingParseLiteralException("\"" + s.getValue() + "\" is not a valid " + name);
                            }
                        }
                        throw new CoercingParseLiteralException(name + " must be a string");
                    }

                    @Override
                    public Value<?> valueToLiteral(Object input, GraphQLContext c, Locale l) {
                        return StringValue.of(input.toString());
                    }
                }).build();
    }
}
