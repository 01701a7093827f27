/*
** fuzz_tokenize.c -- libFuzzer target for the tokenizer and the sentence
** splitter (rc_token.c, rc_sent.c) over any bytes, UTF-8 repaired first as
** the source does.
**
** Invariants: tokens are non-empty, inside the text and in increasing
** order; a token starts and ends on a non-space byte and holds white space
** only when it rejoins a word split at a line end; every printable ASCII
** byte is inside a token (nothing is lost); tokenizing at a base offset
** shifts offsets only; sentences partition the tokens in order, their
** spans are their tokens' and paragraphs never go back.
*/
#include "fuzz.h"

static void check_tokens(const char *t, size_t n, const rc_tokens *tk) {
    uint32_t last = 0;
    size_t k = 0; /* next token that may cover byte i */
    for (size_t i = 0; i < tk->n; i++) {
        const rc_token *x = &tk->v[i];
        CHECK(x->start < x->end && x->end <= n && x->start >= last);
        CHECK(x->kind < RC_TOK_KIND_COUNT);
        CHECK(!fuzz_space(t[x->start]) && !fuzz_space(t[x->end - 1]));
        if (!(x->flags & RC_TF_LINE_JOINED))
            for (uint32_t b = x->start; b < x->end; b++) CHECK(!fuzz_space(t[b]));
        char buf[16];
        size_t full = rc_token_norm(t, x, buf, sizeof buf);
        CHECK(full <= 4 * (size_t)(x->end - x->start));
        last = x->end;
    }
    for (size_t i = 0; i < n; i++) {
        if (t[i] <= 0x20 || t[i] >= 0x7F) continue;
        while (k < tk->n && tk->v[k].end <= i) k++;
        CHECK(k < tk->n && tk->v[k].start <= i);
    }
}

static void check_sentences(const rc_tokens *tk, const rc_sentences *ss) {
    uint32_t next = 0, para = 0;
    for (size_t i = 0; i < ss->n; i++) {
        const rc_sentence *s = &ss->v[i];
        CHECK(s->tok_begin == next && s->tok_begin < s->tok_end && s->tok_end <= tk->n);
        CHECK(s->start == tk->v[s->tok_begin].start && s->end == tk->v[s->tok_end - 1].end);
        CHECK(s->paragraph >= para);
        next = s->tok_end;
        para = s->paragraph;
    }
    CHECK(next == tk->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n) {
    char *t = fuzz_text(data, n);
    rc_tokens tk, shifted;
    rc_sentences ss;
    rc_tokens_init(&tk, NULL);
    rc_tokens_init(&shifted, NULL);
    rc_sentences_init(&ss, NULL);
    CHECK(rc_tokenize(t, n, 0, &tk) == RC_OK);
    check_tokens(t, n, &tk);
    CHECK(rc_tokenize(t, n, 1000, &shifted) == RC_OK && shifted.n == tk.n);
    for (size_t i = 0; i < tk.n; i++)
        CHECK(shifted.v[i].start == tk.v[i].start + 1000 &&
              shifted.v[i].end == tk.v[i].end + 1000 &&
              shifted.v[i].kind == tk.v[i].kind);
    uint32_t next_para = 0;
    CHECK(rc_split_sentences(t, tk.v, tk.n, 0, &next_para, &ss) == RC_OK);
    check_sentences(&tk, &ss);
    rc_sentences_free(&ss);
    rc_tokens_free(&shifted);
    rc_tokens_free(&tk);
    free(t);
    return 0;
}
