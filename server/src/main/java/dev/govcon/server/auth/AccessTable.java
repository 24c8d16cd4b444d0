package dev.govcon.server.auth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import dev.govcon.proto.v1.Access;
import dev.govcon.proto.v1.OptionsProto;

/**
 * Who may call each RPC, read once from the {@code (govcon.v1.access)} option that every
 * method of the govcon.v1 services declares in its .proto file. The protos are the table.
 */
public final class AccessTable {
    private final Map<String, Access> byFullMethodName = new HashMap<>();

    public AccessTable(List<ServiceDescriptor> services) {
        for (ServiceDescriptor service : services) {
            for (MethodDescriptor method : service.getMethods()) {
                Access access = method.getOptions().getExtension(OptionsProto.access);
                if (access == Access.ACCESS_UNSPECIFIED || access == Access.UNRECOGNIZED) {
                    throw new IllegalStateException(method.getFullName() + " declares no (govcon.v1.access)");
                }
                byFullMethodName.put(service.getFullName() + "/" + method.getName(), access);
            }
        }
    }

    /** Empty for methods outside govcon.v1 (health checking, reflection). */
    public Optional<Access> accessOf(String fullMethodName) {
        return Optional.ofNullable(byFullMethodName.get(fullMethodName));
    }
}
