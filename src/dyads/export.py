"""Event records out: PLOVER-style JSON Lines, flat CSV, GDELT-style dyadic TSV, the GDELT 2.0 event table,
Parquet (one file, or one per month)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import cache
from itertools import product
from pathlib import Path
from typing import IO

from dyads.model import Actor, Event, Location

FORMATS = ("jsonl", "csv", "tsv", "gdelt", "parquet")
DATA = Path(__file__).parent / "data"

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


# The GDELT 2.0 event table: its 61 columns in its order, with its names.
GDELT_ACTOR = [
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
]  # fmt: skip
GDELT_GEO = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS = (
    ["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
    + [f"Actor1{k}" for k in GDELT_ACTOR]
    + [f"Actor2{k}" for k in GDELT_ACTOR]
    + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale"]
    + ["NumMentions", "NumSources", "NumArticles", "AvgTone"]
    + [f"{block}_{k}" for block in ("Actor1Geo", "Actor2Geo", "ActionGeo") for k in GDELT_GEO]
    + ["DATEADDED", "SOURCEURL"]
)
# GeoNames feature codes of a country (GDELT geo type 1) and of a first-order division (type 5, 2 in the US)
COUNTRY_FEATURES = ("PCL", "PCLD", "PCLF", "PCLI", "PCLIX", "PCLS", "TERR")


@cache
def _table(name: str, key: str, value: str) -> dict[str, str]:
    """A two-column mapping from one of our TSV tables (comment lines start with #, then a header)."""
    lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header = lines[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"), strict=True)) for ln in lines[1:] if ln]
    return {r[key]: r[value] for r in rows}


def fips(iso3: str | None) -> str:
    """The FIPS 10-4 code GDELT's geography blocks use for an ISO 3166 alpha-3 code ("" if none)."""
    return _table("iso3_fips.tsv", "iso3", "fips").get(iso3 or "", "")


def gdelt_type(sector: str | None) -> str:
    return _table("gdelt_types.tsv", "sector", "gdelt_type").get(sector or "", "")


def _gdelt_id(event_id: str, n: int) -> int:
    """A stable 60-bit integer for the event (and its n-th actor pair): GDELT ids are integers."""
    key = event_id if n == 1 else f"{event_id}-{n}"
    return int(hashlib.sha1(key.encode()).hexdigest()[:15], 16)


def _gdelt_actor(side: dict) -> dict:
    code = side.get("code") or ""
    kind = gdelt_type(side.get("sector")) or ("IGO" if code == "IGO" else "")
    country = "" if code == "IGO" else code
    name = side.get("name") or side.get("entity_text") or ""
    return {
        "Code": country + kind,
        "Name": name.upper() if (country or kind) else "",
        "CountryCode": country,
        "Type1Code": kind,
    }


def _gdelt_geo(loc: dict | None) -> dict:
    """The ActionGeo block of an event place, in GDELT's codes (FIPS 10-4 countries, its geo types)."""
    if not loc or loc.get("lat") is None:
        return {"Type": 0}
    country = fips(loc.get("country"))
    feature = loc.get("feature_code") or ""
    is_us = country == "US"
    if feature in COUNTRY_FEATURES:
        kind, adm1, feature_id = 1, country, country
    else:
        kind = (2 if is_us else 5) if feature == "ADM1" else (3 if is_us else 4)
        admin1 = (loc.get("admin1") or "").rpartition(".")[2]
        adm1, feature_id = (country + admin1 if country and admin1 else country), loc.get("geonameid")
    names = _table("iso3_fips.tsv", "iso3", "name")
    country_name = names.get(loc.get("country") or "", "")
    if country_name and country_name != loc.get("name"):
        full = f"{loc.get('name')}, {country_name}"
    else:
        full = loc.get("name") or country_name
    return {
        "Type": kind, "FullName": full, "CountryCode": country, "ADM1Code": adm1,
        "Lat": round(loc["lat"], 4), "Long": round(loc["lon"], 4), "FeatureID": feature_id,
    }  # fmt: skip


def _gdelt_rows(rec: dict) -> Iterator[dict]:
    """One GDELT row per (actor, recipient) pair, as PETRARCH splits compound actors; an undated event
    takes its article's publication date, and one with neither has no row."""
    article = rec.get("article") or {}
    day = rec["date"] or article.get("published")
    if not day:
        return
    d = date.fromisoformat(day)
    added = (article.get("published") or day).replace("-", "")
    cameo = rec["cameo"] or ""
    root = rec.get("root")
    if root is None:
        root = rec["span"][0] == 0  # no `root` field: the event is the story's lead if its first sentence
    base = {
        "SQLDATE": d.strftime("%Y%m%d"), "MonthYear": d.strftime("%Y%m"), "Year": d.year,
        "FractionDate": f"{d.year + d.timetuple().tm_yday / 365:.4f}",
        "IsRootEvent": int(bool(root)), "EventCode": cameo, "EventBaseCode": cameo[:3],
        "EventRootCode": cameo[:2], "QuadClass": max(rec["quad_code"] or 1, 1),
        "GoldsteinScale": rec["goldstein"] if rec["goldstein"] is not None else "",
        "NumMentions": rec.get("num_mentions") or 1, "NumSources": rec.get("num_sources") or 1,
        "NumArticles": rec.get("num_articles") or 1, "AvgTone": 0.0,
        "Actor1Geo_Type": 0, "Actor2Geo_Type": 0,
        "DATEADDED": added + "000000",
        "SOURCEURL": article.get("url") or article.get("source") or rec["article_id"],
    }  # fmt: skip
    base |= {f"ActionGeo_{k}": v for k, v in _gdelt_geo(rec["event_loc"]).items()}
    for n, (a, r) in enumerate(product(rec["actor"] or [{}], rec["recipient"] or [{}]), start=1):
        row = base | {"GLOBALEVENTID": _gdelt_id(rec["id"], n)}
        for i, side in ((1, a), (2, r)):
            row |= {f"Actor{i}{k}": v for k, v in _gdelt_actor(side).items()}
        yield row


def _gdelt_field(value: object) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())  # GDELT fields hold no tab and no newline, and are never quoted


def write_gdelt(records: Iterable[dict], f: IO[str], header: bool = True) -> None:
    """The GDELT 2.0 event table, tab-separated; without ``header`` line for line like GDELT's own files."""
    if header:
        f.write("\t".join(GDELT_COLUMNS) + "\n")
    for rec in records:
        for row in _gdelt_rows(rec):
            f.write("\t".join(_gdelt_field(row.get(k)) for k in GDELT_COLUMNS) + "\n")


def _write_jsonl(records: Iterable[dict], f: IO[str]) -> None:
    for rec in records:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")


Rows = Callable[[dict], Iterable[dict]]


def _write_table(records: Iterable[dict], f: IO[str], columns: list[str], rows: Rows, delimiter: str) -> None:
    writer = csv.DictWriter(f, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerows(rows(rec))


def _write_parquet(records: Iterable[dict], out: IO[bytes] | str | Path, by_month: bool = False) -> None:
    """One Parquet file, or with ``by_month`` a folder of them partitioned Hive-style by the event's month
    (``month=2024-04/``; undated events under ``month=undated/``)."""
    import pyarrow as pa
    import pyarrow.dataset as ds
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
    table = pa.Table.from_pylist(rows, schema=schema)
    if not by_month:
        pq.write_table(table, out)
        return
    months = [r["date"].strftime("%Y-%m") if r["date"] else "undated" for r in rows]
    ds.write_dataset(
        table.append_column("month", pa.array(months, pa.string())), out, format="parquet",
        partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
        existing_data_behavior="delete_matching",
    )  # fmt: skip


def write_records(
    events: Iterable[Event | dict],
    fmt: str,
    out: IO | str | Path,
    header: bool = True,
    by_month: bool = False,
) -> None:
    """Write events (``Event``s or their ``to_dict()`` records) as ``fmt`` to a path or an open file.

    Text formats want a text file, ``parquet`` a binary one (or a path; a folder with ``by_month``).
    ``header=False`` leaves out the GDELT table's header line. GDELT rows take a record's ``article``
    (``published``, ``url``, ``source``) where it has one.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    records = (e.to_dict() if isinstance(e, Event) else e for e in events)
    if fmt == "parquet":
        _write_parquet(records, str(out) if isinstance(out, Path) else out, by_month)
        return
    if isinstance(out, str | Path):
        with open(out, "w", encoding="utf-8", newline="") as f:
            write_records(records, fmt, f, header)
        return
    if fmt == "jsonl":
        _write_jsonl(records, out)
    elif fmt == "gdelt":
        write_gdelt(records, out, header)
    elif fmt == "csv":
        _write_table(records, out, CSV_COLUMNS, lambda rec: [_csv_row(rec)], ",")
    else:
        _write_table(records, out, TSV_COLUMNS, _tsv_rows, "\t")
