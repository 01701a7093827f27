"""The rule recognizer (SPEC §5), one behaviour a test, on sentences we
write ourselves."""
import pytest

import relcore


def found(text, ner="model"):
    return [(m.text, m.entity, m.type, m.rule) for m in relcore.extract(text, ner=ner)]


def entity_of(text, surface, ner="model"):
    return [(m.entity, m.type, m.country, m.rule) for m in relcore.extract(text, ner=ner)
            if m.text == surface]


# A name the rules find by its words is found by the tagger in model mode.
NAME_RULE = {"rules": "name", "model": "model"}
both = pytest.mark.parametrize("ner", ["model", "rules"])


def test_titles_mark_a_person_and_are_not_part_of_the_name():
    got = found("Yesterday Interior Minister Farah Qureshi spoke.")
    assert ("Farah Qureshi", "Farah Qureshi", "PERSON", "title") in got
    assert not any("Minister" in g[0] for g in got)


@pytest.mark.parametrize("title", ["President", "Ayatollah", "Speaker", "Ambassador",
                                   "Crown Prince", "Sheikh", "Gen.", "Mr.", "Dr.",
                                   "Foreign Minister", "Prime Minister"])
def test_each_title(title):
    got = found(f"Officials said {title} Jamal Haddad would attend.")
    assert ("Jamal Haddad", "Jamal Haddad", "PERSON", "title") in got


@both
def test_organisation_and_place_words(ner):
    got = found("Delegates of the Caspian Fisheries Council met near the Zarin River "
                "and the Bank of Kestria.", ner)
    rule = NAME_RULE[ner]
    assert ("Caspian Fisheries Council", "Caspian Fisheries Council", "ORG", rule) in got
    assert ("Zarin River", "Zarin River", "LOC", rule) in got
    assert ("Bank of Kestria", "Bank of Kestria", "ORG", rule) in got


def test_connectors_inside_names():
    got = found("They met Abu Bakr al-Baghdadi and Ursula von der Leyen.")
    names = [g[0] for g in got]
    assert "Ursula von der Leyen" in names


def test_sentence_initial_capital_is_not_a_name():
    assert found("Yesterday the talks ended. However, nothing changed.") == []


def test_months_and_weekdays_are_not_names():
    assert found("The talks start on Monday in March.") == []


def test_acronym_defined_in_text_long_first():
    text = ("The Joint Water Board (JWB) met. Later the JWB said it would meet again.")
    ms = [(m.text, m.entity, m.rule) for m in relcore.extract(text)]
    assert ("JWB", "Joint Water Board", "acronym") in ms
    assert sum(1 for m in ms if m[1] == "Joint Water Board") == 3


def test_acronym_defined_in_text_acronym_first():
    text = "The JWB (Joint Water Board) met. The JWB spoke."
    ms = [(m.text, m.entity) for m in relcore.extract(text)]
    assert ms.count(("JWB", "Joint Water Board")) == 2


def test_acronym_is_local_to_its_document():
    c = relcore.Corpus.from_texts(["The Joint Water Board (JWB) met.", "The JWB met again."])
    m = c.mentions()
    assert m[m["doc"] == "1"]["entity"].tolist() != ["Joint Water Board"]


def test_surname_resolves_to_the_one_full_name():
    text = "Foreign Minister Dariush Kamrani arrived. Kamrani said talks went well."
    assert entity_of(text, "Kamrani") == [("Dariush Kamrani", "PERSON", "", "alias")]


def test_surname_before_the_full_name_resolves_too():
    text = "Kamrani spoke first. Later, Foreign Minister Dariush Kamrani left."
    assert entity_of(text, "Kamrani")[0][0] == "Dariush Kamrani"


def test_ambiguous_surname_stays_unresolved():
    text = ("Ahmad Rahimi runs a shop. His cousin Leila Rahimi sells carpets. "
            "Yesterday Rahimi said trade was slow.")
    assert [e[0] for e in entity_of(text, "Rahimi")] == ["Rahimi"]


def test_short_forms_among_many_full_names_rules():
    # more full names than the short forms' index starts with: each surname
    # finds its one full name, a full name written twice is still one, a
    # surname two names share stays its own
    text = ("Dariush Kamrani met Parviz Tehrani and Leila Sadeghi. Omid Farahani joined "
            "Reza Javadi, Nasrin Karimi, Hamid Moradi, Sara Ahmadi, Kaveh Rostami, "
            "Mina Jafari, Babak Hosseini, Shirin Ebadi, Arash Kamali and Nima Rahimi. "
            "Later Laleh Rahimi spoke. Ebadi said the talks went well. Tehrani agreed. "
            "Rahimi left early. Dariush Kamrani returned and Kamrani smiled.")
    short = {m.text: (m.entity, m.type, m.rule) for m in relcore.extract(text, ner="rules")
             if " " not in m.text}
    assert short == {"Ebadi": ("Shirin Ebadi", "PERSON", "alias"),
                     "Tehrani": ("Parviz Tehrani", "PERSON", "alias"),
                     "Rahimi": ("Rahimi", "MISC", "name"),
                     "Kamrani": ("Dariush Kamrani", "PERSON", "alias")}


def test_nationality_from_possessive_country_and_title():
    text = "Pakistan’s Interior Minister Syed Mohsin Naqvi visited."
    assert entity_of(text, "Syed Mohsin Naqvi")[0][:3] == ("Syed Mohsin Naqvi", "PERSON", "PAK")


def test_nationality_from_demonym():
    text = "Yesterday Iranian President Masoud Pezeshkian spoke."
    assert entity_of(text, "Masoud Pezeshkian")[0][2] == "IRN"


def test_nationality_from_apposition_after():
    text = "They met Wang Yi, China's top diplomat, in Beijing."
    assert entity_of(text, "Wang Yi")[0][2] == "CHN"


def test_nationality_from_apposition_before():
    text = "Iran’s top security official, Ali Larijani, left for Pakistan."
    assert entity_of(text, "Ali Larijani")[0][2] == "IRN"


def test_organisation_nationality():
    text = "He is Secretary of Iran’s Supreme National Security Council."
    got = entity_of(text, "Supreme National Security Council")
    assert got[0][1:3] == ("ORG", "IRN")


def test_names_inside_hyphen_and_dash_compounds_and_possessives():
    got = [g[1] for g in found("The Iran-Pakistan deal, the U.S.–Israeli plan and Oman’s role.")]
    assert got == ["Iran", "Pakistan", "United States", "Israel", "Oman"]


def test_longest_match():
    got = [g[1] for g in found("Envoys from Guinea-Bissau and Guinea met Saudi Arabia's envoy.")]
    assert got == ["Guinea-Bissau", "Guinea", "Saudi Arabia"]


def test_an_alias_inside_a_longer_one_is_not_matched_again():
    # Guinea, Sudan and Congo start aliases of their own inside these
    text = ("Envoys of Papua New Guinea met South Sudan and Equatorial Guinea "
            "in the Democratic Republic of the Congo.")
    assert [g[1] for g in found(text)] == [
        "Papua New Guinea", "South Sudan", "Equatorial Guinea",
        "Democratic Republic of the Congo"]
    # `African` inside `South African`: matched again, it would stand
    # between the bank and the nationality that gives it its country
    got = [(m.text, m.type, m.country) for m in
           relcore.extract("The South African Reserve Bank raised rates on Tuesday.",
                           ner="rules")]
    assert got == [("South African", "NORP", "ZAF"), ("Reserve Bank", "ORG", "ZAF")]


def test_headline_words_need_the_body_to_name_them(tmp_path):
    (tmp_path / "a.txt").write_text("Envoys Gather For Harbor Talks With Kestrel Group\n\n"
                                    "Oman hosted talks. The Kestrel Group attended.\n")
    ents = set(relcore.Corpus(tmp_path).entities()["entity"])
    assert ents == {"Oman", "Kestrel Group"}


@both
def test_place_before_an_organisation_is_part_of_it(ner):
    got = entity_of("Aid came from the Iranian Red Lion Society yesterday.",
                    "Iranian Red Lion Society", ner)
    assert got == [("Iranian Red Lion Society", "ORG", "IRN", NAME_RULE[ner])]


def test_country_level_rolls_up_cities_demonyms_and_people():
    c = relcore.Corpus.from_texts(
        ["Pakistan’s Interior Minister Syed Mohsin Naqvi met Iranians in Tehran."])
    df = c.entities(level="country")
    assert dict(zip(df["entity"], df["mentions"])) == {"Iran": 2, "Pakistan": 2}


def test_capitalised_common_nouns_are_not_names():
    text = ("The Government told Member States that the Organization would act. "
            "Other states and members agreed.")
    assert found(text) == []


@both
def test_two_plain_capitalised_words_are_a_person(ner):
    assert found("Yesterday the striker Phil Simmons scored.", ner) == [
        ("Phil Simmons", "Phil Simmons", "PERSON", NAME_RULE[ner])]


def test_a_name_never_ends_in_a_lower_case_word_or_a_mark():
    got = found("Earlier, Ms Rahimi accused Mr Okafor and other cabinet ministers of lying.")
    assert ("Okafor", "Okafor", "PERSON", "title") in got
    assert not any(g[0].endswith((" and", "'", ".")) for g in got)
    got = found("Shares in Veltronix rose in the US. Analysts were surprised.")
    assert ("US", "United States", "GPE", "gazetteer") in got
    assert not any(g[0] == "US." for g in got)


@both
def test_mentions_never_overlap_a_run_yields_to_the_acronym_inside(ner):
    text = ("The Northern Grain Cooperative (NGC) reported a loss. "
            "Shares of NGC fell sharply on the news.")
    got = [(m.text, m.entity, m.rule) for m in relcore.extract(text, ner=ner)]
    assert ("NGC", "Northern Grain Cooperative", "acronym") in got
    assert not any(g[0] == "Shares of NGC" for g in got)


def test_a_name_stops_at_a_lower_case_word():
    got = found("Traders sold Veltronix on Friday after the warning.")
    assert [g[0] for g in got] == ["Veltronix"]


def test_one_type_per_name_a_title_makes_every_mention_a_person():
    # an untitled lone word is MISC, until a title elsewhere names a person
    got = found("The report quoted Brekker twice. Later Dr. Brekker spoke again.", "rules")
    assert [g[2] for g in got if g[0] == "Brekker"] == ["PERSON", "PERSON"]
    # four plain words are MISC; the titled full name makes them, and the
    # surname that resolved to them, a PERSON
    full = "Zelto Marrik Voshane Drey"
    got = found(f"Fans cheered {full} at the show. Later Dr. {full} spoke and Drey waved.",
                "rules")
    assert [(g[1], g[2]) for g in got] == [(full, "PERSON")] * 3
    # a titled surname does the same for its full name and the other surnames
    got = found(f"Fans cheered {full} at the show. Drey waved. Later Dr. Drey spoke.",
                "rules")
    assert [(g[1], g[2]) for g in got] == [(full, "PERSON")] * 3


def test_a_lone_sentence_initial_word_needs_another_mention():
    assert [g[0] for g in found("Brekker arrived in Oslo. The team met on Monday.",
                                "rules")] == ["Oslo"]
    got = found("Brekker arrived in Oslo. The team met Brekker on Monday.", "rules")
    assert [g[0] for g in got] == ["Brekker", "Oslo", "Brekker"]
