package dev.govcon.server.connectivity;

import java.util.UUID;

import org.apache.ibatis.annotations.Param;

import dev.govcon.server.db.Mapper;

public interface SetupMapper extends Mapper {

    SetupRow firsts(@Param("tenantId") UUID tenantId);
}
