-- Tenant overrides of the shipped model price table (the shipped table itself is a classpath
-- resource, dev/govcon/server/activity/pricing/model-prices.json, not a table).
-- Prices are integer micro-dollars per million tokens. A null cached-input or cache-write
-- price falls back to the input price; a null reasoning price falls back to the output price.
-- provider and model are stored trimmed and lower-cased (lookups are case-insensitive).
CREATE TABLE model_prices (
    tenant_id                     uuid        NOT NULL REFERENCES tenants,
    provider                      text        NOT NULL CHECK (provider <> ''),
    model                         text        NOT NULL CHECK (model <> ''),
    input_micros_per_mtok         bigint      NOT NULL CHECK (input_micros_per_mtok >= 0),
    output_micros_per_mtok        bigint      NOT NULL CHECK (output_micros_per_mtok >= 0),
    cached_input_micros_per_mtok  bigint      CHECK (cached_input_micros_per_mtok >= 0),
    cache_write_micros_per_mtok   bigint      CHECK (cache_write_micros_per_mtok >= 0),
    reasoning_micros_per_mtok     bigint      CHECK (reasoning_micros_per_mtok >= 0),
    effective_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, provider, model)
);

-- Every replica caches each tenant's prices; this tells them (on commit) to drop that tenant's.
CREATE FUNCTION notify_model_price_change() RETURNS trigger AS $$
DECLARE
    r model_prices;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify('govcon_changes', 'model_prices:' || r.tenant_id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_model_prices_notify
    AFTER INSERT OR UPDATE OR DELETE ON model_prices
    FOR EACH ROW EXECUTE FUNCTION notify_model_price_change();
