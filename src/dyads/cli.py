"""The ``dyads`` command: thin over the library. Heavy imports happen inside the commands."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.columns import Columns
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dyads.model import FACTUALITY

if TYPE_CHECKING:
    from dyads.model import Article, Event
    from dyads.store import Store

app = typer.Typer(
    help="dyads: political event data from news text — who did what to whom, when, where, and how sure.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DEMO_FOCUS, DEMO_PARTNERS = "NER", ("USA", "FRA", "RUS")  # the story: Niger turning from the West to Russia
DEMO_DIR = Path(__file__).parent / "data" / "demo"
PLACE_COLUMNS = ("article_id", "text", "name", "country", "admin1", "lat", "lon", "geonameid")
FACTUALITIES = (*FACTUALITY, "all")


class Shown(StrEnum):
    jsonl = "jsonl"
    table = "table"


class Exported(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    parquet = "parquet"


Day = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", show_default=False)]
PUBLISHED_HELP = (
    "Publication date, which anchors relative dates. Overrides a dateline or an HTML page's date; "
    "fills in for JSONL lines and feed items that have none."
)
Published = Annotated[
    datetime | None, typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=PUBLISHED_HELP)
]
Paths = Annotated[
    list[str], typer.Argument(help="Files (.txt .jsonl .html .htm .xml .rss .atom), folders, or - for stdin.")
]
Format = Annotated[Shown, typer.Option("--format", "-f", help="One JSON record per line, or a table.")]
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", dir_okay=False)]


@app.callback()
def _check_settings(ctx: typer.Context) -> None:
    """A gazetteer that DYADS_GAZETTEER names but is not there fails at once, in one line."""
    from dyads.attributes.gazetteer import GazetteerError, extra_table

    if ctx.invoked_subcommand != "gazetteer":
        try:
            extra_table()
        except GazetteerError as e:
            raise _fail(str(e)) from None


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", soft_wrap=True)
    return typer.Exit(1)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _readable(paths: list[str], published: date | None, failures: list[str]) -> Iterator[Article]:
    """The articles ``paths`` hold; what cannot be read is reported on stderr, one line each."""
    from dyads.read import ReadError, read_paths

    for item in read_paths(paths, published):
        if isinstance(item, ReadError):
            failures.append(str(item))
            err.print(Text("error: ", style="red") + Text(str(item)), soft_wrap=True)
        else:
            yield item


def _coded(articles: Iterable[Article], failures: list[str]) -> Iterator[tuple[Article, list]]:
    """The articles coded; one that fails is reported on stderr, and the rest are still coded."""
    from dyads.pipeline import code_articles

    def report(article: Article, exc: Exception) -> None:
        line = f"article {article.id}: could not be coded ({type(exc).__name__}: {exc})"
        failures.append(line)
        err.print(Text("error: ", style="red") + Text(line), soft_wrap=True)

    return code_articles(articles, on_error=report)


def _open_store(path: Path, read_only: bool = False) -> Store:
    from dyads.store import Store, StoreError

    try:
        return Store(path, read_only=read_only)
    except StoreError as e:
        raise _fail(str(e)) from None


def _write_json(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _actors(actors: list[dict]) -> str:
    """``demonstrators [NER/CVL], US forces [USA/MIL]``; ``?`` where nothing is coded."""
    coded = ("/".join(x for x in (a.get("code"), a.get("sector")) if x) or "?" for a in actors)
    return ", ".join(f"{a['entity_text']} [{c}]" for a, c in zip(actors, coded, strict=True)) or "—"


def _place(loc: dict | None) -> str:
    if not loc:
        return "—"
    return ", ".join(x for x in (loc.get("name"), loc.get("country")) if x)


def _when(rec: dict) -> str:
    if not rec["date"]:
        return "—"
    span = f"{rec['date']}..{rec['date_end']}" if rec["date_end"] else rec["date"]
    return f"{span}\n({rec['date_precision']})"


def _sentence(rec: dict) -> Text:
    """The sentence with its trigger in bold (trigger spans count in the article, like the sentence's)."""
    text, start = rec["text"], rec["span"][0]
    trigger = rec["evidence"].get("trigger") or ""
    t0, t1 = rec["evidence"].get("trigger_span") or (-1, -1)
    lo, hi = t0 - start, t1 - start
    if not (0 <= lo < hi <= len(text)):
        lo = text.lower().find(trigger.lower()) if trigger else -1
        hi = lo + len(trigger)
    shown = Text(text)
    if lo >= 0:
        shown.stylize("bold yellow", lo, hi)
    return shown


def _events_table(records: Iterable[dict], title: str | None = None) -> Table:
    table = Table(title=title, show_lines=True)
    for name, width in (("event", 10), ("actor → recipient", 28), ("date", 23), ("place", 18)):
        table.add_column(name, overflow="fold", max_width=width)
    table.add_column("factuality")
    table.add_column("conf")
    table.add_column("evidence", overflow="fold", ratio=1)
    for rec in records:
        table.add_row(
            f"{rec['event']}\n{rec['cameo']}",
            f"{_actors(rec['actor'])}\n→ {_actors(rec['recipient'])}",
            _when(rec),
            _place(rec["event_loc"]),
            rec["factuality"],
            f"{rec['confidence']:.2f}",
            _sentence(rec),
        )
    return table


def _show(pairs: Iterable[tuple[Article, list[Event]]], fmt: Shown) -> Iterator[tuple[Article, list[Event]]]:
    """Print each article's events as they come (jsonl) or all at the end (table); pass the pairs on."""
    records = []
    for article, events in pairs:
        for event in events:
            if fmt is Shown.jsonl:
                _write_json(event.to_dict())
            else:
                records.append(event.to_dict())
        yield article, events
    if fmt is Shown.table:
        out.print(_events_table(records, title=f"{len(records)} events"))


@app.command()
def code(
    paths: Paths,
    published: Published = None,
    fmt: Format = Shown.jsonl,
    db: Annotated[
        Path | None, typer.Option("--db", help="Also store the events in this DuckDB file.")
    ] = None,
) -> None:
    """Code articles into events: one JSON record per line, or a table."""

    failures: list[str] = []
    pairs = _show(_coded(_readable(paths, _day(published), failures), failures), fmt)
    if db is None:
        for _ in pairs:
            pass
    else:
        with _open_store(db) as st:
            st.write_many(pairs)
    raise typer.Exit(1 if failures else 0)


@app.command()
def places(paths: Paths, published: Published = None, fmt: Format = Shown.jsonl) -> None:
    """List the places (toponyms, resolved to the gazetteer) each article mentions."""
    from dyads.pipeline import article_places

    failures: list[str] = []
    table = Table(*PLACE_COLUMNS, "conf")
    for _, found in article_places(_readable(paths, _day(published), failures)):
        for place in found:
            rec = place.to_dict()
            if fmt is Shown.jsonl:
                _write_json(rec)
            else:
                cells = [rec[k] for k in PLACE_COLUMNS]
                table.add_row(*("—" if c is None else str(c) for c in cells), f"{rec['confidence']:.2f}")
    if fmt is Shown.table:
        out.print(table)
    raise typer.Exit(1 if failures else 0)


def _examples(st: Store, n: int = 5) -> list[dict]:
    """The surest asserted events with both sides coded, one per event type."""
    ranked = sorted(
        st.events(),
        key=lambda r: (not (r["actor"] and r["recipient"]), -r["confidence"], r["article_id"], r["span"][0]),
    )
    picked: dict[str, dict] = {}
    for rec in ranked:
        picked.setdefault(rec["event"], rec)
        if len(picked) == n:
            break
    return list(picked.values())


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file to code into.")] = Path("dyads-demo.duckdb"),
) -> None:
    """Code the bundled demo corpus into DuckDB and show what came out."""

    files = sorted(str(p) for p in DEMO_DIR.glob("*.jsonl"))
    if not files:
        raise _fail(f"no demo corpus in {DEMO_DIR}")
    failures: list[str] = []
    started = time.perf_counter()
    with _open_store(db) as st:
        with err.status("Coding the demo corpus…"):
            written = st.write_many(_coded(_readable(files, None, failures), failures))
        seconds = time.perf_counter() - started
        summary = st.summary()
        examples = _examples(st)
        relations = st.relations(DEMO_FOCUS, list(DEMO_PARTNERS))
    out.print(
        f"[bold]dyads demo[/bold]: {written} events from {len(files)} file(s) in {seconds:.1f} s → {db}\n"
        f"({summary['articles']} articles, {summary['events']} events stored)"
    )
    by_type = Table("event type", "events", title="Events by type")
    for kind, count in summary["by_type"].items():
        by_type.add_row(kind, str(count))
    dyads = Table("actor", "recipient", "events", title="Top dyads")
    for d in summary["top_dyads"]:
        dyads.add_row(d["actor"], d["recipient"], str(d["count"]))
    facts = ", ".join(f"{k} {v}" for k, v in summary["by_factuality"].items())
    out.print(Columns([by_type, dyads], padding=(0, 4)), f"Factuality: {facts}")
    trend = Table(
        "partner", "half-year", "events", "cooperation", "conflict", "mean Goldstein",
        title=f"{DEMO_FOCUS} and its partners (asserted events, either direction)",
    )  # fmt: skip
    for r in relations:
        trend.add_row(*(str(v) for v in r.values()))
    out.print(trend)
    out.print(_events_table(examples, title="Example events (the trigger in bold)"))
    kind = next(iter(summary["by_type"]), "PROTEST")
    out.print(f"Query them: dyads events --db {db} --type {kind} --format table")
    raise typer.Exit(1 if failures else 0)


@app.command()
def events(
    db: DbOption,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. PROTEST.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor country code (ISO3 or IGO).")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient country code (ISO3 or IGO).")] = None,
    factuality: Annotated[str, typer.Option(help=f"One of {', '.join(FACTUALITIES)}.")] = "asserted",
    since: Day = None,
    until: Day = None,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    fmt: Format = Shown.jsonl,
) -> None:
    """Query the events stored in a DuckDB file."""
    if factuality not in FACTUALITIES:
        raise typer.BadParameter(f"expected one of {', '.join(FACTUALITIES)}", param_hint="--factuality")
    with _open_store(db, read_only=True) as st:
        records = st.events(
            type=type,
            actor=actor,
            recipient=recipient,
            factuality=None if factuality == "all" else factuality,
            since=_day(since),
            until=_day(until),
            limit=limit,
        )
    if fmt is Shown.table:
        out.print(_events_table(records, title=f"{len(records)} events"))
    else:
        for rec in records:
            _write_json(rec)


@app.command()
def export(
    db: DbOption,
    fmt: Annotated[Exported, typer.Option("--format", "-f", help="Output format.")],
    out_path: Annotated[
        str, typer.Option("--out", "-o", help="Output file, or - for stdout (text formats).")
    ],
) -> None:
    """Export every stored event (all factualities) as JSONL, CSV, GDELT-style TSV or Parquet."""
    from dyads.export import write_records

    if out_path == "-" and fmt is Exported.parquet:
        raise typer.BadParameter("parquet needs a file", param_hint="--out")
    with _open_store(db, read_only=True) as st:
        records = st.events(factuality=None)
    write_records(records, fmt.value, sys.stdout if out_path == "-" else out_path)
    err.print(f"exported {len(records)} events to {out_path} ({fmt.value})")


gazetteer_app = typer.Typer(help="Build a larger gazetteer from GeoNames dumps.", no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")
GEONAMES_HELP = (
    "GeoNames files (plain or .gz): allCountries.txt, XX.txt or citiesNNNN.txt, and optionally "
    "admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt."
)


@gazetteer_app.command("build")
def gazetteer_build(
    paths: Annotated[list[Path], typer.Argument(help=GEONAMES_HELP, show_default=False)],
    out_path: Annotated[
        Path, typer.Option("--out", help="The table to write (.gz compresses it).", dir_okay=False)
    ] = Path("gazetteer.tsv.gz"),
) -> None:
    """Build a gazetteer table from GeoNames dumps; DYADS_GAZETTEER=FILE adds its places to dyads' own."""
    from dyads.attributes.gazetteer import ENV_VAR, GazetteerError, build_table, bundled_iso3, write_table

    for path in paths:
        if not path.is_file():
            raise _fail(f"{path}: no such file")
    try:
        rows = build_table(paths, bundled_iso3())
        write_table(rows, out_path)
    except GazetteerError as e:
        raise _fail(str(e)) from None
    except OSError as e:
        raise _fail(f"{out_path}: cannot be written ({e.strerror})") from None
    kinds = [r[3] for r in rows]
    populated = sum(k.startswith("PPL") for k in kinds)
    areas = sum(k.startswith("ADM") or k == "PCLI" for k in kinds)
    size = out_path.stat().st_size / 2**20
    out.print(
        f"wrote {len(rows)} places ({populated} populated places, {areas} countries and admin areas, "
        f"{len(rows) - populated - areas} other features) to {out_path} ({size:.1f} MiB)",
        soft_wrap=True,
    )
    out.print(f"use it with: export {ENV_VAR}={out_path.resolve()}", soft_wrap=True)


@app.command("eval")
def evaluate(
    suites: Annotated[list[str] | None, typer.Argument(help="Suites to run (default: all).")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the results as JSON.")] = None,
    readme: Annotated[
        bool, typer.Option("--readme", help="Update the evaluation table in README.md.")
    ] = False,
) -> None:
    """Score the pipeline against the public gold data sets."""
    from dyads import eval as ev

    try:
        results = ev.run(suites or None)
    except ev.EvalError as e:
        raise _fail(str(e)) from None
    out.print(ev.render(results), markup=False, soft_wrap=True)  # table rows stay one line
    if json_out is not None:
        json_out.write_text(
            json.dumps(ev.to_json(results), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if readme:
        ev.update_readme(results, Path("README.md"))
