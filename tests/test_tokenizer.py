"""Every tokenizer and sentence rule of SPEC §4, through the C core."""
import pytest

import relcore


def toks(text):
    return [(t.text, t.kind) for t in relcore.tokenize(text)]


def texts(text):
    return [t.text for t in relcore.tokenize(text)]


@pytest.mark.parametrize("text, expected", [
    ("U.S. Dr. Gen. Jan. U.S.A. e.g.", ["U.S.", "Dr.", "Gen.", "Jan.", "U.S.A.", "e.g."]),
    ("Pakistan’s envoy", ["Pakistan", "’s", "envoy"]),
    ("Pakistan's envoy", ["Pakistan", "'s", "envoy"]),
    ("the neighbors’ ties", ["the", "neighbors", "’", "ties"]),
    ("don't", ["don't"]),
    ("U.S.–Israeli aggression", ["U.S.", "–", "Israeli", "aggression"]),
    ("peace—at last", ["peace", "—", "at", "last"]),
    ("12-day high-level Iran-Pakistan Guinea-Bissau",
     ["12-day", "high-level", "Iran-Pakistan", "Guinea-Bissau"]),
    ("$3 billion, 3.5% and 1,200", ["$", "3", "billion", ",", "3.5", "%", "and", "1,200"]),
    ("see https://example.org/a?b=1. Then", ["see", "https://example.org/a?b=1", ".", "Then"]),
    ("WWW.Example.org HTTP://x.org", ["WWW.Example.org", "HTTP://x.org"]),
    ("www\x0eexample.org", ["www", "example", ".", "org"]),  # control bytes are no . or :
    ("http\x1a//x.org", ["http", "/", "/", "x", ".", "org"]),
    ("mail press@mfa.example.org now", ["mail", "press@mfa.example.org", "now"]),
    ("@MFA_Pakistan and #IranPakistan", ["@MFA_Pakistan", "and", "#IranPakistan"]),
    ("wait... what -- no", ["wait", "...", "what", "--", "no"]),
    ("“quoted”", ["“", "quoted", "”"]),
])
def test_token_rules(text, expected):
    assert texts(text) == expected


def test_token_kinds():
    kinds = dict(toks("Iran $ 3.5 , https://x.org e@x.org @h #t"))
    assert kinds == {"Iran": "word", "$": "symbol", "3.5": "number", ",": "punct",
                     "https://x.org": "url", "e@x.org": "email", "@h": "handle",
                     "#t": "hashtag"}


def test_line_end_hyphen_rejoined_offsets_cover_both_parts():
    text = "the Secretary-\nGeneral said"
    t = relcore.tokenize(text)
    assert t[1].text == "Secretary-\nGeneral"
    assert (t[1].start, t[1].end) == (4, 22)


def test_invisible_spaces_make_no_token():
    assert texts("Iran\u00a0and\u200bPakistan\ufeff") == ["Iran", "and", "Pakistan"]


def test_long_run_is_cut():
    text = "a" * 10000
    t = relcore.tokenize(text)
    assert all(x.end - x.start <= 4096 for x in t)
    assert "".join(x.text for x in t) == text


def sents(text):
    return [s.text for s in relcore.sentences(text)]


def test_sentence_final_stop_after_abbreviation_is_not_lost():
    assert sents("Talks resumed with the U.S. The next day ended.") == [
        "Talks resumed with the U.S.", "The next day ended."]


def test_no_split_after_titles_initials_or_in_numbers():
    assert sents("Dr. Ali met John F. Kennedy. Growth was 3.5 percent.") == [
        "Dr. Ali met John F. Kennedy.", "Growth was 3.5 percent."]


def test_closing_quotes_and_brackets_stay_with_the_sentence():
    assert sents("He said “it is over.” Then he left (quietly.) Done!") == [
        "He said “it is over.”", "Then he left (quietly.)", "Done!"]


def test_paragraphs_are_hard_boundaries():
    s = relcore.sentences("First line without stop\n\nSecond paragraph.")
    assert [x.text for x in s] == ["First line without stop", "Second paragraph."]
    assert [x.paragraph for x in s] == [0, 1]


def test_line_break_after_final_punctuation_ends_a_paragraph():
    s = relcore.sentences("One.\nTwo.\nthree")
    assert [x.paragraph for x in s] == [0, 1, 2]


def test_other_line_breaks_are_spaces():
    s = relcore.sentences("A hard-wrapped\nsentence goes on\nhere.")
    assert [x.text for x in s] == ["A hard-wrapped\nsentence goes on\nhere."]


def test_question_and_exclamation():
    assert sents("Why? Because! Fine.") == ["Why?", "Because!", "Fine."]
