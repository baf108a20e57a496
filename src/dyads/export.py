"""Event records out: PLOVER-style JSON Lines, flat CSV, GDELT-style dyadic TSV, Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import product
from pathlib import Path
from typing import IO

from dyads.model import Actor, Event, Location

FORMATS = ("jsonl", "csv", "tsv", "parquet")

CSV_COLUMNS = [
    "id", "article_id", "event", "mode", "context", "cameo", "quad_code", "goldstein",
    "actor_code", "actor_sector", "actor_text", "recipient_code", "recipient_sector", "recipient_text",
    "date", "date_end", "date_precision", "date_text",
    "loc_name", "loc_country", "loc_admin1", "lat", "lon", "geonameid",
    "factuality", "root", "confidence", "trigger", "event_text", "text", "span_start", "span_end",
]  # fmt: skip
TSV_COLUMNS = [
    "EventID", "ArticleID", "SQLDATE", "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_Lat", "ActionGeo_Long",
    "ActionGeo_FeatureID", "PloverEvent", "Factuality", "Confidence", "IsRootEvent",
]  # fmt: skip


def _joined(actors: list[dict], key: str) -> str | None:
    values = [a[key] for a in actors if a.get(key)]
    return "; ".join(dict.fromkeys(values)) or None


def _csv_row(rec: dict) -> dict:
    loc = rec["event_loc"] or {}
    row = {k: rec[k] for k in CSV_COLUMNS if k in rec}
    row["context"] = ";".join(rec["context"]) or None
    for side in ("actor", "recipient"):
        row[f"{side}_code"] = _joined(rec[side], "code")
        row[f"{side}_sector"] = _joined(rec[side], "sector")
        row[f"{side}_text"] = _joined(rec[side], "entity_text")
    row |= {f"loc_{k}": loc.get(k) for k in ("name", "country", "admin1")}
    row |= {k: loc.get(k) for k in ("lat", "lon", "geonameid")}
    row["trigger"] = rec["evidence"].get("trigger")
    row["span_start"], row["span_end"] = rec["span"]
    return row


def _flat(value: object) -> object:
    return " ".join(value.split()) if isinstance(value, str) else value


def _tsv_rows(rec: dict) -> Iterator[dict]:
    """GDELT-style: one row per (actor, recipient) pair; a missing side is an empty column."""
    loc = rec["event_loc"] or {}
    cameo = rec["cameo"] or ""
    base = {
        "EventID": rec["id"], "ArticleID": rec["article_id"],
        "SQLDATE": rec["date"].replace("-", "") if rec["date"] else None,
        "EventCode": cameo, "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2],
        "QuadClass": rec["quad_code"], "GoldsteinScale": rec["goldstein"],
        "ActionGeo_FullName": loc.get("name"), "ActionGeo_CountryCode": loc.get("country"),
        "ActionGeo_ADM1Code": loc.get("admin1"), "ActionGeo_Lat": loc.get("lat"),
        "ActionGeo_Long": loc.get("lon"), "ActionGeo_FeatureID": loc.get("geonameid"),
        "PloverEvent": rec["event"], "Factuality": rec["factuality"], "Confidence": rec["confidence"],
        "IsRootEvent": int(bool(rec.get("root"))),
    }  # fmt: skip
    for n, (a, r) in enumerate(product(rec["actor"] or [{}], rec["recipient"] or [{}]), start=1):
        row = dict(base)
        if n > 1:
            row["EventID"] = f"{rec['id']}-{n}"
        for i, side in ((1, a), (2, r)):
            row[f"Actor{i}Code"] = (side.get("code") or "") + (side.get("sector") or "") or None
            row[f"Actor{i}Name"] = side.get("name") or side.get("entity_text")
            row[f"Actor{i}CountryCode"] = side.get("code")
            row[f"Actor{i}Type1Code"] = side.get("sector")
        yield {k: _flat(v) for k, v in row.items()}


def _write_jsonl(records: Iterable[dict], f: IO[str]) -> None:
    for rec in records:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")


Rows = Callable[[dict], Iterable[dict]]


def _write_table(records: Iterable[dict], f: IO[str], columns: list[str], rows: Rows, delimiter: str) -> None:
    writer = csv.DictWriter(f, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerows(rows(rec))


def _write_parquet(records: Iterable[dict], out: IO[bytes] | str | Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    actor = pa.list_(pa.struct([(k, pa.string()) for k in Actor.__dataclass_fields__]))
    loc_types = {"lat": pa.float64(), "lon": pa.float64(), "geonameid": pa.int64()}
    loc = pa.struct([(k, loc_types.get(k, pa.string())) for k in Location.__dataclass_fields__])
    types = {
        "context": pa.list_(pa.string()), "quad_code": pa.int32(), "goldstein": pa.float64(),
        "actor": actor, "recipient": actor, "date": pa.date32(), "date_end": pa.date32(), "event_loc": loc,
        "span": pa.list_(pa.int32(), 2), "confidence": pa.float64(), "root": pa.bool_(),
    }  # fmt: skip
    fields = list(Event.__dataclass_fields__)
    schema = pa.schema([("id", pa.string())] + [(k, types.get(k, pa.string())) for k in fields])
    rows = []
    for rec in records:
        row = dict(rec)
        row["evidence"] = json.dumps(rec["evidence"], ensure_ascii=False)  # free-form: kept as JSON text
        for k in ("date", "date_end"):
            row[k] = date.fromisoformat(rec[k]) if rec[k] else None
        rows.append(row)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), out)


def write_records(events: Iterable[Event | dict], fmt: str, out: IO | str | Path) -> None:
    """Write events (``Event``s or their ``to_dict()`` records) as ``fmt`` to a path or an open file.

    Text formats want a text file, ``parquet`` a binary one (or a path).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    records = (e.to_dict() if isinstance(e, Event) else e for e in events)
    if fmt == "parquet":
        _write_parquet(records, str(out) if isinstance(out, Path) else out)
        return
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as f:
            write_records(records, fmt, f)
        return
    if fmt == "jsonl":
        _write_jsonl(records, out)
    elif fmt == "csv":
        _write_table(records, out, CSV_COLUMNS, lambda rec: [_csv_row(rec)], ",")
    else:
        _write_table(records, out, TSV_COLUMNS, _tsv_rows, "\t")
