"""The ``dyads`` command: thin over the library. Heavy imports happen inside the commands."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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


class EvalPart(StrEnum):
    tune = "tune"
    check = "check"
    all = "all"


class Exported(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    gdelt = "gdelt"
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


@dataclass
class Tally:
    """What a run did with its inputs: the failures (one line each), how many were skipped, coded."""

    failed: list[str] = field(default_factory=list)
    skipped: int = 0
    coded: int = 0
    events: int = 0

    def __str__(self) -> str:
        return (
            f"{self.coded} article(s) coded ({self.events} events), {self.skipped} skipped, "
            f"{len(self.failed)} failed"
        )


def _say(kind: str, style: str, line: str) -> None:
    err.print(Text(f"{kind}: ", style=style) + Text(line), soft_wrap=True)


def _readable(paths: list[str], published: date | None, tally: Tally) -> Iterator[Article]:
    """The articles ``paths`` hold; what cannot be read, is skipped or is read with a change is
    reported on stderr, one line each."""
    from dyads.read import ReadError, read_paths

    for item in read_paths(paths, published, warn=lambda w: _say("warning", "yellow", str(w))):
        if isinstance(item, ReadError) and item.skipped:
            tally.skipped += 1
            _say("skipped", "yellow", str(item))
        elif isinstance(item, ReadError):
            tally.failed.append(str(item))
            _say("error", "red", str(item))
        else:
            yield item


def _coded(
    articles: Iterable[Article], tally: Tally, workers: int | None = 1
) -> Iterator[tuple[Article, list]]:
    """The articles coded, in order, on ``workers`` processes (None: all cores); one that fails is reported
    on stderr, and the rest are still coded. Should coding stop altogether, what was coded before is still
    passed on (and so stored)."""
    from dyads.scale import code_parallel, default_workers

    def report(article: Article, exc: Exception) -> None:
        line = f"article {article.id}: could not be coded ({type(exc).__name__}: {_first_line(exc)})"
        tally.failed.append(line)
        _say("error", "red", line)

    try:
        for article, events in code_parallel(articles, workers or default_workers(), on_error=report):
            tally.coded += 1
            tally.events += len(events)
            yield article, events
    except Exception as exc:  # the parser itself gave up: keep what came before, say so
        line = f"coding stopped ({type(exc).__name__}: {_first_line(exc)}); what was coded before is kept"
        tally.failed.append(line)
        _say("error", "red", line)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:300]


def _open(path: Path, read_only: bool) -> Store:
    """The store; to a reader, while a writer holds it, the snapshot that writer published last."""
    from dyads.store import Store, StoreInUse, snapshot_path

    try:
        return Store(path, read_only=read_only)
    except StoreInUse:
        snapshot = snapshot_path(path)
        if not read_only or not snapshot.exists():
            raise
    when = datetime.fromtimestamp(snapshot.stat().st_mtime).isoformat(sep=" ", timespec="seconds")
    err.print(f"warning: {path}: a writer holds the store; reading its snapshot of {when}", soft_wrap=True)
    return Store(snapshot, read_only=True)


@contextmanager
def _store(path: Path, read_only: bool = False) -> Iterator[Store]:
    """The store, open for the block; a store that cannot be opened, read or written ends the command with
    one line (``dyads.store.store_error`` words it), never a traceback."""
    import duckdb

    from dyads.store import StoreError, store_error

    try:
        with _open(path, read_only) as st:
            yield st
    except StoreError as e:
        raise _fail(str(e)) from None
    except duckdb.Error as e:
        raise _fail(str(store_error(path, e))) from None


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
            f"{rec['event']}\n{rec['cameo']}"
            + (f"\n×{rec['num_mentions']}" if rec.get("num_mentions") else ""),
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
    workers: Workers = None,
) -> None:
    """Code articles into events: one JSON record per line, or a table."""

    tally = Tally()
    pairs = _show(_coded(_readable(paths, _day(published), tally), tally, workers), fmt)
    if db is None:
        for _ in pairs:
            pass
    else:
        with _store(db) as st:
            st.write_many(pairs)
            st.publish()  # what ``dyads serve`` reads
    err.print(f"dyads code: {tally}")
    raise typer.Exit(1 if tally.failed else 0)


Workers = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Processes that parse and code (default: all cores).",
        show_default=False,
    ),
]


@app.command()
def ingest(
    paths: Paths,
    db: DbOption,
    published: Published = None,
    workers: Workers = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Code on a Dask cluster: its scheduler (tcp://host:8786), or local:N for N local processes.",
        ),
    ] = None,
    parts: Annotated[
        Path | None,
        typer.Option(
            "--parts", help="With --dask: a folder the workers and this machine share, for Parquet."
        ),
    ] = None,
) -> None:
    """Code a corpus into a DuckDB store: in parallel, resumable, skipping what the store already holds;
    near-duplicate articles are linked, and the events of many stories merged into real events."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    from dyads.read import ReadError, read_paths
    from dyads.scale import ingest as run_ingest
    from dyads.scale import ingest_dask

    day = _day(published)
    total = (
        None if "-" in paths else sum(1 for item in read_paths(paths, day) if not isinstance(item, ReadError))
    )
    bar = Progress(
        SpinnerColumn(),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(
            "{task.fields[rate]:.1f} articles/s · {task.fields[events]} events · {task.fields[errors]} errors"
        ),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )
    with _store(db) as st, bar:
        task = bar.add_task("ingest", total=total, rate=0.0, events=0, errors=0)

        def show(p) -> None:
            rate = p.coded / p.seconds if p.seconds > 0 else 0.0
            bar.update(task, completed=p.done, rate=rate, events=p.events, errors=len(p.errors))

        items = read_paths(paths, day)
        if dask:
            done = ingest_dask(items, st, dask, parts=parts, on_progress=show)
        else:
            done = run_ingest(items, st, workers=workers, on_progress=show)
        stored = st.summary(top=0)
    for line in done.errors:
        err.print(Text("error: ", style="red") + Text(line), soft_wrap=True)
    rate = done.coded / done.seconds if done.seconds > 0 else 0.0
    out.print(
        f"ingested {done.coded} articles ({done.events} events) in {done.seconds:.1f} s "
        f"({rate:.1f} articles/s); "
        f"{done.skipped} already stored, {len(done.errors)} errors → {db} "
        f"({stored['articles']} articles, {stored['events']} events stored)",
        soft_wrap=True,
    )
    raise typer.Exit(1 if done.errors else 0)


@app.command()
def places(paths: Paths, published: Published = None, fmt: Format = Shown.jsonl) -> None:
    """List the places (toponyms, resolved to the gazetteer) each article mentions."""
    from dyads.pipeline import article_places

    tally = Tally()
    table = Table(*PLACE_COLUMNS, "conf")
    for _, found in article_places(_readable(paths, _day(published), tally)):
        for place in found:
            rec = place.to_dict()
            if fmt is Shown.jsonl:
                _write_json(rec)
            else:
                cells = [rec[k] for k in PLACE_COLUMNS]
                table.add_row(*("—" if c is None else str(c) for c in cells), f"{rec['confidence']:.2f}")
    if fmt is Shown.table:
        out.print(table)
    raise typer.Exit(1 if tally.failed else 0)


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
    tally = Tally()
    started = time.perf_counter()
    with _store(db) as st:
        with err.status("Coding the demo corpus…"):
            written = st.write_many(_coded(_readable(files, None, tally), tally))
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
    out.print(f"What moved: dyads shifts --db {db} --from 2023-Q3 --to 2024-Q2 --chart shifts.png")
    out.print(f"Look at them: dyads serve --db {db}   (then open http://127.0.0.1:8000/)")
    raise typer.Exit(1 if tally.failed else 0)


class Listed(StrEnum):
    jsonl = "jsonl"
    table = "table"
    csv = "csv"


def _opt(help: str, *names: str) -> typer.models.OptionInfo:
    return typer.Option(*names, help=help, show_default=False)


Code = Annotated[str | None, _opt("Country code (ISO3 or IGO).")]
Sector = Annotated[str | None, _opt("PLOVER sector, e.g. GOV, MIL, CVL.")]
Name = Annotated[str | None, _opt("Part of the entity's text or name, any case.")]


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except ValueError:
        raise typer.BadParameter("expected WEST,SOUTH,EAST,NORTH in degrees", param_hint="--bbox") from None
    return west, south, east, north


@app.command()
def events(
    db: DbOption,
    actor: Code = None,
    actor_sector: Sector = None,
    actor_name: Name = None,
    recipient: Code = None,
    recipient_sector: Sector = None,
    recipient_name: Name = None,
    either: Annotated[str | None, _opt("Country code on either side (actor or recipient).")] = None,
    either_sector: Sector = None,
    either_name: Name = None,
    type: Annotated[str | None, _opt("PLOVER event type, e.g. PROTEST.", "--type")] = None,
    mode: Annotated[str | None, _opt("PLOVER mode, e.g. demonstrate.")] = None,
    cameo: Annotated[str | None, _opt("CAMEO code or its prefix (14 is every protest).")] = None,
    since: Day = None,
    until: Day = None,
    place: Annotated[str | None, _opt("Part of the event place's name.")] = None,
    place_country: Annotated[str | None, _opt("ISO3 code of the event place's country.")] = None,
    bbox: Annotated[str | None, _opt("Event place inside WEST,SOUTH,EAST,NORTH (degrees).")] = None,
    factuality: Annotated[str, typer.Option(help=f"One of {', '.join(FACTUALITIES)}.")] = "asserted",
    min_confidence: Annotated[float | None, typer.Option(min=0, max=1, show_default=False)] = None,
    text: Annotated[str | None, _opt("Words in the sentence or the evidence, any case.")] = None,
    limit: Annotated[int | None, typer.Option(min=1)] = None,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="Every mention, not one record per real event.")
    ] = False,
    group: Annotated[
        str | None, typer.Option("--group", help="The mentions of one real event (its group_id).")
    ] = None,
    fmt: Annotated[
        Listed, typer.Option("--format", "-f", help="JSON lines, a table, or CSV.")
    ] = Listed.jsonl,
) -> None:
    """Query the events stored in a DuckDB file: one record per real event (its surest mention, with
    num_mentions, num_articles, num_sources, first/last seen), or with --mentions / --group its mentions.
    Every filter given must hold (an entity's code, sector and name on one side for the same entity)."""
    from dyads.export import write_records
    from dyads.queries import Filters, QueryError
    from dyads.queries import events as matching

    if factuality not in FACTUALITIES:
        raise typer.BadParameter(f"expected one of {', '.join(FACTUALITIES)}", param_hint="--factuality")
    given = locals() | {"bbox": _bbox(bbox)}  # the options are named as the filters
    try:
        filters = Filters(**{name: given[name] for name in Filters.names()})
    except QueryError as e:
        raise _fail(str(e)) from None
    with _store(db, read_only=True) as st:
        records = matching(st.con, filters, limit, offset, merged=not mentions and group is None, group=group)
    if fmt is Listed.table:
        out.print(_events_table(records, title=f"{len(records)} events"))
    elif fmt is Listed.csv:
        write_records(records, "csv", sys.stdout)
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
    factuality: Annotated[
        str | None,
        typer.Option(help=f"One of {', '.join(FACTUALITIES)}. Default: asserted for gdelt, all otherwise."),
    ] = None,
    header: Annotated[
        bool, typer.Option(help="GDELT: a header line (--no-header: byte-compatible with GDELT's files).")
    ] = True,
    by_month: Annotated[
        bool, typer.Option("--by-month", help="Parquet: a folder partitioned by month (month=YYYY-MM/).")
    ] = False,
) -> None:
    """Export the stored events as JSONL, CSV, GDELT-style TSV, the GDELT 2.0 event table or Parquet."""
    from dyads.export import write_records
    from dyads.queries import Filters
    from dyads.queries import events as matching

    if out_path == "-" and fmt is Exported.parquet:
        raise typer.BadParameter("parquet needs a file", param_hint="--out")
    if by_month and fmt is not Exported.parquet:
        raise typer.BadParameter("only parquet is partitioned by month", param_hint="--by-month")
    factuality = factuality or ("asserted" if fmt is Exported.gdelt else "all")
    if factuality not in FACTUALITIES:
        raise typer.BadParameter(f"expected one of {', '.join(FACTUALITIES)}", param_hint="--factuality")
    with _store(db, read_only=True) as st:
        records = matching(st.con, Filters(factuality=factuality), article=fmt is Exported.gdelt)
    if fmt is not Exported.gdelt:
        records = [{k: v for k, v in rec.items() if k != "article"} for rec in records]
    try:
        if out_path != "-":
            Path(out_path).parent.mkdir(parents=True, exist_ok=True)
        write_records(
            records, fmt.value, sys.stdout if out_path == "-" else out_path, header=header, by_month=by_month
        )
    except OSError as e:
        raise _fail(f"{out_path}: cannot write ({e.strerror or e})") from None
    err.print(f"exported {len(records)} events to {out_path} ({fmt.value})")


class By(StrEnum):
    day = "day"
    week = "week"
    month = "month"


Chart = Annotated[
    Path | None, typer.Option(help="Also draw a chart into this .png or .svg file.", dir_okay=False)
]
Factuality = Annotated[str, typer.Option(help=f"One of {', '.join(FACTUALITIES)}.")]


def _chart_path(chart: Path | None) -> None:
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter("a chart is a .png or a .svg file", param_hint="--chart")


def _factuality(value: str) -> str:
    if value not in FACTUALITIES:
        raise typer.BadParameter(f"expected one of {', '.join(FACTUALITIES)}", param_hint="--factuality")
    return value


@app.command()
def trend(
    a: Annotated[str, typer.Argument(help="Country code (ISO3 or IGO).")],
    b: Annotated[str, typer.Argument(help="The other country code.")],
    db: DbOption,
    by: Annotated[By, typer.Option(help="One period a day, an ISO week or a month.")] = By.month,
    directed: Annotated[bool, typer.Option(help="Only A acting on B (default: either direction).")] = False,
    factuality: Factuality = "asserted",
    chart: Chart = None,
    fmt: Format = Shown.table,
) -> None:
    """Events between two countries per period: how many, cooperation against conflict, mean Goldstein."""
    from dyads.analysis import trend as series
    from dyads.queries import Filters

    _chart_path(chart)
    with _store(db, read_only=True) as st:
        rows = series(st.con, a, b, by.value, directed, Filters(factuality=_factuality(factuality)))
    arrow = "→" if directed else "↔"
    title = f"{a.upper()} {arrow} {b.upper()} by {by.value} ({factuality} events)"
    if fmt is Shown.jsonl:
        for row in rows:
            _write_json(row)
    else:
        table = Table("period", "events", "cooperation", "conflict", "mean Goldstein", title=title)
        for row in rows:
            table.add_row(*(str(v) for v in row.values()))
        out.print(table)
    if chart is not None:
        from dyads.chart import trend_chart

        trend_chart(rows, title, chart)
        err.print(f"chart: {chart}")


@app.command()
def shifts(
    db: DbOption,
    before: Annotated[
        str, typer.Option("--from", help="YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-MM-DD or A..B.")
    ],
    after: Annotated[str, typer.Option("--to", help="The later period, written the same way.")],
    top: Annotated[int, typer.Option(min=1)] = 10,
    min_events: Annotated[int, typer.Option(min=1, help="Events a pair needs in the two periods.")] = 3,
    factuality: Factuality = "asserted",
    chart: Chart = None,
    fmt: Format = Shown.table,
) -> None:
    """The country pairs whose relationship changed most between two periods, and the events that drove it."""
    from dyads.analysis import PeriodError, period
    from dyads.analysis import shifts as ranked
    from dyads.queries import Filters

    _chart_path(chart)
    try:
        first, second = period(before), period(after)
    except PeriodError as e:
        raise _fail(str(e)) from None
    with _store(db, read_only=True) as st:
        found = ranked(
            st.con, first, second, top, min_events, filters=Filters(factuality=_factuality(factuality))
        )
    title = f"Relations from {before} to {after} ({factuality} events, either direction)"
    if fmt is Shown.jsonl:
        for s in found:
            _write_json(s.to_dict())
    else:
        table = Table("pair", before, after, "change", "driven by", title=title, show_lines=True)
        for s in found:
            cells = [
                f"{p['events']} events: {p['cooperation']} coop., {p['conflict']} confl.\n"
                f"Goldstein {p['goldstein']:+.1f}"
                for p in (s.before, s.after)
            ]
            drivers = Text(
                "\n".join(f"{d['date']} {d['event']} {d['goldstein']:+.1f}: {d['text']}" for d in s.drivers)
            )
            style = "green" if s.change > 0 else "red"
            table.add_row(" – ".join(s.pair), *cells, Text(f"{s.change:+.1f}", style=style), drivers)
        out.print(table)
    if chart is not None:
        from dyads.chart import shifts_chart

        shifts_chart(found, title, chart)
        err.print(f"chart: {chart}")


@app.command()
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    allow_ingest: Annotated[
        bool, typer.Option("--allow-ingest", help="Open the store for writing and accept POST /api/articles.")
    ] = False,
    cache_mb: Annotated[
        float,
        typer.Option(
            min=0, help="Megabytes of API answers each read-only worker keeps for questions asked again."
        ),
    ] = 64,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Server processes (read-only: the cores, up to 8; --allow-ingest: one)."),
    ] = None,
) -> None:
    """Serve the store: a REST API (OpenAPI at /openapi.json) and a web page at /. Read-only by default."""
    import json
    import os

    import uvicorn

    from dyads.api import MAX_WORKERS, SERVED, create_app
    from dyads.store import StoreError

    if allow_ingest and (workers or 1) > 1:
        raise _fail("--allow-ingest takes one worker: one process writes the store")
    # each worker holds its own DuckDB of the snapshot and its own answers: on a large machine more than a
    # few cost memory for little, so the default stops at MAX_WORKERS
    workers = workers or (1 if allow_ingest else min(os.cpu_count() or 1, MAX_WORKERS))
    try:  # the snapshot is made fresh here, once, and a bad store said here, not in each worker
        api = create_app(db, allow_ingest=allow_ingest, cache_mb=cache_mb)
    except StoreError as e:
        raise _fail(str(e)) from None
    how = "read-write" if allow_ingest else f"read-only, from {api.state.source.path.name}"
    err.print(f"dyads: serving {db} on http://{host}:{port}/ ({how}, {workers} worker{'s' * (workers > 1)})")
    if workers == 1:
        uvicorn.run(api, host=host, port=port, log_level="warning")
        return
    api.state.source.store.close()
    shared = max(1, (os.cpu_count() or 1) // workers)  # DuckDB's threads a query, each worker its share
    os.environ[SERVED] = json.dumps({"db": str(db), "cache_mb": cache_mb, "query_threads": shared})
    uvicorn.run("dyads.api:served", factory=True, workers=workers, host=host, port=port, log_level="warning")


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
        bool, typer.Option("--readme", help="Update the evaluation table in README.md (check part).")
    ] = False,
    part: Annotated[
        EvalPart | None,
        typer.Option(
            "--part",
            help="Score only the tune or the check part, or all items unsplit (default: tune and check).",
        ),
    ] = None,
) -> None:
    """Score the pipeline against the public gold data sets, on their tune and check parts."""
    from dyads import eval as ev

    if readme and part is not None:
        raise typer.BadParameter("the README table needs both parts: drop --part", param_hint="--readme")
    try:
        results = ev.run(suites or None, part.value if part else None)
    except ev.EvalError as e:
        raise _fail(str(e)) from None
    out.print(ev.render(results), markup=False, soft_wrap=True)  # table rows stay one line
    if json_out is not None:
        json_out.write_text(
            json.dumps(ev.to_json(results), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if readme:
        ev.update_readme(results, Path("README.md"))
