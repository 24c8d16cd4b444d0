package dev.govcon.server.policies;

import java.util.List;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import com.google.protobuf.util.FieldMaskUtil;

import dev.govcon.proto.v1.Scope;
import dev.govcon.server.errors.Errors;

/**
 * How an update request turns the stored control into the new one. With an update mask, only
 * the named fields change (a named field left unset in the request is cleared; "scope" or
 * "scope.feature" both work); without one, every writable field is replaced by the request's.
 * Output-only fields always keep their stored values.
 */
final class Updates {
    private static final FieldMaskUtil.MergeOptions REPLACE = new FieldMaskUtil.MergeOptions()
            .setReplaceMessageFields(true)
            .setReplaceRepeatedFields(true)
            .setReplacePrimitiveFields(true);

    private Updates() {
    }

    /** Refuses a mask that names anything but writable fields (and fields of the scope). */
    static void checkMask(FieldMask mask, List<String> writable) {
        for (String path : mask.getPathsList()) {
            String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
            boolean known = top.equals("scope")
                    ? path.equals("scope") || FieldMaskUtil.isValid(Scope.class, path.substring("scope.".length()))
                    : path.equals(top) && writable.contains(top);
            if (!known) {
                throw Errors.invalid("update_mask", "\"" + path + "\" is not a field that can be changed; one of "
                                                    + writable);
            }
        }
    }

    /**
     * @param writable the top-level fields a caller may change, by proto name
     * @param mask     checked by {@link #checkMask} already
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M apply(M stored, M request, FieldMask mask, List<String> writable) {
        Message.Builder merged = stored.toBuilder();
        if (mask.getPathsCount() == 0) {
            for (String name : writable) {
                FieldDescriptor field = stored.getDescriptorForType().findFieldByName(name);
                merged.clearField(field);
                if (field.isRepeated() ? request.getRepeatedFieldCount(field) > 0 : request.hasField(field)) {
                    merged.setField(field, request.getField(field));
                }
            }
            return (M) merged.build();
        }
        FieldMaskUtil.merge(mask, request, merged, REPLACE);
        return (M) merged.build();
    }
}
