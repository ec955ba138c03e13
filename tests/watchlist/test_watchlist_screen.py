"""Name screening: spelling, order, scripts, missing names, and the other fields."""

from __future__ import annotations

import pytest

from checkpoint.watchlist.index import IndexedPerson, NameIndex
from checkpoint.watchlist.model import BirthDate, WatchlistError
from checkpoint.watchlist.names import name_tokens
from checkpoint.watchlist.screen import DEFAULT_THRESHOLD, PersonQuery, is_hit, screen_person

LISTED = (
    IndexedPerson(
        "L",
        "1",
        (
            ("HIKMAT MIZBAN IBRAHIM AL-AZZAWI", "primary"),
            ("حكمت مزبان إبراهيم العزاوي", "original"),
        ),
        (BirthDate(1934, 1934),),
        ("IRQ",),
        "M",
    ),
    IndexedPerson(
        "L",
        "2",
        (("Vladimir Ivanovich Sokolov", "primary"),),
        (BirthDate.parse("1961-07-14"),),
        ("RUS",),
        "M",
    ),
    IndexedPerson(
        "L", "3", (("Jürgen Müller", "primary"),), (BirthDate.parse("1965-05-05"),), ("DEU",), "M"
    ),
    IndexedPerson("L", "4", (("Xi Jinping", "primary"),), (), (), "M"),
    IndexedPerson(
        "L", "5", (("Nikos Papadopoulos", "primary"),), (BirthDate(1950, 1955),), ("GRC",), "M"
    ),
    IndexedPerson("L", "6", (("Moshe Cohen", "primary"),), (), ("ISR",), "M"),
    IndexedPerson(
        "L",
        "7",
        (("Maria Garcia Lopez", "primary"),),
        (BirthDate.parse("1980-01-01"),),
        ("ESP",),
        "F",
    ),
)


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(LISTED)


def test_normalisation_icao_and_scripts() -> None:
    assert name_tokens("Jürgen Müller-Lüdenscheidt") == ("JUERGEN", "MUELLER", "LUEDENSCHEIDT")
    assert name_tokens("O'Brien, Seán") == ("OBRIEN", "SEAN")
    assert name_tokens("Øster Straße") == ("OESTER", "STRASSE")
    assert name_tokens("Владимир Соколов") == ("VLADIMIR", "SOKOLOV")
    assert name_tokens("AL-AZZAWI") == name_tokens("al azzawi") == ("ALAZZAWI",)


@pytest.mark.parametrize(
    ("query", "entry"),
    [
        ("Hikmat Mizban Ibrahim al-Azzawi", "1"),
        ("AZZAWI HIKMAT IBRAHIM MIZBAN", "1"),  # order-free
        ("Hikmat Mizbam Ibrahim Alazzawi", "1"),  # typo, article joined
        ("Hikmat Ibrahim Al Azzawi", "1"),  # a missing name
        ("حكمت مزبان إبراهيم العزاوي", "1"),  # original script
        ("Владимир Иванович Соколов", "2"),  # Cyrillic
        ("SOKOLOV VLADIMIR", "2"),
        ("JUERGEN MUELLER", "3"),  # ICAO transliteration as in an MRZ
        ("Jurgen Muller", "3"),  # plain transliteration
        ("习近平", "4"),  # CJK run together
        ("XI JIN PING", "4"),
        ("Νίκος Παπαδόπουλος", "5"),  # Greek
        ("משה כהן", "6"),  # Hebrew, no vowels
        ("Garcia Lopez Maria", "7"),
    ],
)
def test_listed_person_found(index: NameIndex, query: str, entry: str) -> None:
    matches = screen_person(index, PersonQuery.of(query))
    assert matches, query
    assert matches[0].entry_id == entry
    assert matches[0].score >= DEFAULT_THRESHOLD, matches[0].explain()


@pytest.mark.parametrize(
    "query",
    ["Maria Schmidt", "John Smith", "Ibrahim Hassan", "Vladimir Petrov", "Anna Cohen Levy", "Eric"],
)
def test_unrelated_people_are_not_hits(index: NameIndex, query: str) -> None:
    assert not is_hit(screen_person(index, PersonQuery.of(query)))


def test_fields_raise_and_lower_the_score(index: NameIndex) -> None:
    name = "Vladimir Sokolov"
    plain = screen_person(index, PersonQuery.of(name))[0]
    agreeing = screen_person(index, PersonQuery.of(name, "1961-07-14", "RUS", "M"))[0]
    disagreeing = screen_person(index, PersonQuery.of(name, "1990-02-03", "FRA", "F"), floor=0.0)[0]
    assert disagreeing.score < plain.score < agreeing.score
    assert {(c.field, c.outcome) for c in agreeing.fields} == {
        ("birth date", "agrees"),
        ("nationality", "agrees"),
        ("sex", "agrees"),
    }
    assert {c.outcome for c in disagreeing.fields} == {"disagrees"}
    year_range = screen_person(index, PersonQuery.of("Nikos Papadopoulos", "1952-03-03"))[0]
    assert year_range.fields[0].outcome == "agrees"


def test_match_explains_itself(index: NameIndex) -> None:
    match = screen_person(
        index, PersonQuery.of("Hikmat Mizbam Ibrahim Alazzawi", "1934-01-01", "Iraq")
    )[0]
    assert match.matched_name == "HIKMAT MIZBAN IBRAHIM AL-AZZAWI"
    assert match.matched_quality == "primary"
    assert ("MIZBAM", "MIZBAN") in {(q, item) for q, item, _ in match.token_pairs}
    text = match.explain()
    assert "MIZBAM~MIZBAN" in text
    assert "nationality agrees" in text
    assert "birth date agrees" in text


def test_empty_query_and_empty_index() -> None:
    assert screen_person(NameIndex(()), PersonQuery.of("Anyone")) == []
    assert screen_person(NameIndex(LISTED), PersonQuery.of("  -- ")) == []


@pytest.mark.parametrize(
    "text", ["1961-07-14", "19610714", "14.07.1961", "1961/07/14", "14 Jul 1961"]
)
def test_traveller_birth_date_forms(text: str) -> None:
    assert PersonQuery.of("X", text).birth_date == BirthDate(1961, 1961, 7, 14)


@pytest.mark.parametrize("text", ["07/14/1961", "1961-02-30", "yesterday"])
def test_ambiguous_or_wrong_birth_dates_are_refused(text: str) -> None:
    with pytest.raises(WatchlistError):
        PersonQuery.of("X", text)
