package dev.govcon.proto;

import java.util.List;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;

import dev.govcon.proto.v1.AccountsProto;
import dev.govcon.proto.v1.ActivityProto;
import dev.govcon.proto.v1.AdminProto;
import dev.govcon.proto.v1.AnalyticsProto;
import dev.govcon.proto.v1.ConnectivityProto;
import dev.govcon.proto.v1.IncidentsProto;
import dev.govcon.proto.v1.LogsProto;
import dev.govcon.proto.v1.OverviewProto;
import dev.govcon.proto.v1.PoliciesProto;
import dev.govcon.proto.v1.RuntimeProto;

/** The govcon.v1 API as descriptors: every service of every domain file. */
public final class GovconApi {
    private static final List<FileDescriptor> FILES = List.of(
            OverviewProto.getDescriptor(),
            ActivityProto.getDescriptor(),
            RuntimeProto.getDescriptor(),
            IncidentsProto.getDescriptor(),
            PoliciesProto.getDescriptor(),
            LogsProto.getDescriptor(),
            AnalyticsProto.getDescriptor(),
            ConnectivityProto.getDescriptor(),
            AccountsProto.getDescriptor(),
            AdminProto.getDescriptor());

    private GovconApi() {
    }

    public static List<ServiceDescriptor> services() {
        return FILES.stream().flatMap(f -> f.getServices().stream()).toList();
    }
}
