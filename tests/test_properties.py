"""Property tests (hypothesis): tokenizer offsets and the CSV round trip."""
import csv
import io
import subprocess

from hypothesis import given, settings, strategies as st

import relcore

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
NEWSY = st.lists(st.sampled_from(
    ["Iran", "U.S.", "Pakistan’s", "said", "“", "”", ",", ".", " ", "\n", "\n\n", "12-day",
     "$3", "3.5%", "–", "Dr.", "https://x.org/a", "@MFA", "#Iran", "Guinea-Bissau", "é",
     "\u00a0", "\u200b", "a-\nb", "'s"]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, NEWSY))
def test_token_offsets_round_trip(text):
    toks = relcore.tokenize(text)
    last = 0
    for t in toks:
        assert text[t.start:t.end] == t.text
        assert t.start >= last and t.end > t.start
        assert not t.text.isspace()
        last = t.end


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, NEWSY))
def test_sentences_are_in_order_and_inside_the_text(text):
    last = 0
    for s in relcore.sentences(text):
        assert s.start >= last and text[s.start:s.end] == s.text
        last = s.end


@settings(max_examples=60, deadline=None)
@given(NEWSY.filter(lambda s: s.strip() != ""))
def test_csv_output_reads_back_equal(binary_path, text):
    out = subprocess.run([str(binary_path), "tokens", "-"], input=text.encode(),
                         capture_output=True, check=True).stdout.decode()
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0][:6] == ["doc", "index", "start", "end", "kind", "text"]
    data = text.encode()
    for row in rows[1:]:
        assert data[int(row[2]):int(row[3])].decode() == row[5]
