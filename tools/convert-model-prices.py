#!/usr/bin/env python3
"""Converts a litellm-layout price file (USD per token) into govcon's shipped model price table.

Usage:
    tools/convert-model-prices.py [SOURCE_JSON] [OUTPUT_JSON] [--effective-date YYYY-MM-DD]

Defaults: ../shared/data/model-prices.json (beside the repository) into
server/src/main/resources/dev/govcon/server/activity/pricing/model-prices.json, dated 2026-07-24.

Output: integer micro-dollars per MILLION tokens (USD/token x 10^12), rounded half-up, computed
in decimal from the JSON number's text so no binary floating point error creeps in. Kept: models
whose mode is chat, completion or responses (the chat/completion-like ones) and that have both an
input and an output price, not both zero. Per model: provider (litellm_provider), model (the
key), input, output, cached input (cache_read_input_token_cost), cache write
(cache_creation_input_token_cost) and reasoning (output_cost_per_reasoning_token); a class the
source does not price is null (govcon then falls back: cached input and cache write to the input
rate, reasoning to the output rate). Sorted by provider, then model. Python 3 standard library only.
"""
import argparse
import json
import os
import sys
from decimal import Decimal, ROUND_HALF_UP

KEPT_MODES = {"chat", "completion", "responses"}
PER_MTOK_MICROS = Decimal(10) ** 12  # USD/token -> micro-dollars per million tokens
FIELDS = [
    ("input_micros_per_mtok", "input_cost_per_token"),
    ("output_micros_per_mtok", "output_cost_per_token"),
    ("cached_input_micros_per_mtok", "cache_read_input_token_cost"),
    ("cache_write_micros_per_mtok", "cache_creation_input_token_cost"),
    ("reasoning_micros_per_mtok", "output_cost_per_reasoning_token"),
]

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SOURCE = os.path.join(os.path.dirname(REPO), "shared", "data", "model-prices.json")
DEFAULT_OUTPUT = os.path.join(REPO, "server", "src", "main", "resources", "dev", "govcon", "server",
                              "activity", "pricing", "model-prices.json")


def micros_per_mtok(value, where):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise ValueError(f"{where}: not a number: {value!r}")
    d = Decimal(str(value)) * PER_MTOK_MICROS
    if d < 0:
        raise ValueError(f"{where}: negative price {value!r}")
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def convert(source, effective_date, source_name):
    models = []
    seen = set()
    skipped = 0
    for name, entry in source.items():
        if not isinstance(entry, dict) or entry.get("mode") not in KEPT_MODES:
            skipped += 1
            continue
        if entry.get("input_cost_per_token") is None or entry.get("output_cost_per_token") is None:
            skipped += 1
            continue
        provider = entry.get("litellm_provider")
        if not provider:
            raise ValueError(f"{name}: no litellm_provider")
        row = {"provider": provider, "model": name}
        for out_field, src_field in FIELDS:
            row[out_field] = micros_per_mtok(entry.get(src_field), f"{name}.{src_field}")
        if row["input_micros_per_mtok"] == 0 and row["output_micros_per_mtok"] == 0:
            skipped += 1  # a placeholder, not a price: leave the model unknown
            continue
        key = (provider.lower(), name.lower())
        if key in seen:
            raise ValueError(f"{name}: duplicate (provider, model) ignoring case")
        seen.add(key)
        models.append(row)
    models.sort(key=lambda r: (r["provider"].lower(), r["model"].lower()))
    table = {
        "effective_date": effective_date,
        "source": (f"Derived from {source_name}: public per-token USD prices in the litellm "
                   "model_prices_and_context_window.json layout (Wei-Shaw/model-price-repo, MIT), "
                   f"as published on {effective_date}; chat/completion/responses models only; "
                   "converted by tools/convert-model-prices.py."),
        "unit": "integer micro-dollars per million tokens; null = fall back (cached input and "
                "cache write to the input rate, reasoning to the output rate)",
        "models": models,
    }
    return table, skipped


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", nargs="?", default=DEFAULT_SOURCE)
    p.add_argument("output", nargs="?", default=DEFAULT_OUTPUT)
    p.add_argument("--effective-date", default="2026-07-24")
    args = p.parse_args(argv)
    with open(args.source, encoding="utf-8") as f:
        # parse_float=Decimal keeps the number exactly as written in the source.
        source = json.load(f, parse_float=Decimal)
    table, skipped = convert(source, args.effective_date, "data/model-prices.json")
    with open(args.output, "w", encoding="utf-8") as f:
        json.dump(table, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(table['models'])} models to {args.output} (skipped {skipped})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
