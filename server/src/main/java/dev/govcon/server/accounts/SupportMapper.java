package dev.govcon.server.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface SupportMapper extends Mapper {

    void insert(TicketRow ticket);

    TicketRow find(@Param("tenantId") UUID tenantId, @Param("ticketId") UUID ticketId);

    /** Newest first, after the (createdAt, id) cursor when given; {@code status} null for all. */
    List<TicketRow> list(@Param("tenantId") UUID tenantId, @Param("status") String status,
                         @Param("afterAt") Instant afterAt, @Param("afterId") UUID afterId,
                         @Param("limit") int limit);
}
