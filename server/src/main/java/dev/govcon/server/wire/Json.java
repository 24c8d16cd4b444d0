package dev.govcon.server.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;

/** Protobuf messages as JSON the way the REST API shows them: proto field names, zero values shown. */
public final class Json {
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields()
                    .omittingInsignificantWhitespace();

    private Json() {
    }

    public static String of(MessageOrBuilder message) {
        if (message == null) {
            return null;
        }
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
