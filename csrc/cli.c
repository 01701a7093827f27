/*
** cli.c -- the relcore command-line tool: argv in, tables out.
**
** One implementation for both front doors: the standalone binary's main
** (cli_main.c) and the Python console script (through relcore._core) call
** rc_cli_main.  It parses options, opens the sources, calls the core and
** writes the core's rc_table results as CSV or TSV.  Nothing clever lives
** here: every decision about text is the core's.
**
** Exit status: 0 success, 1 a failure at run time (one message naming the
** file and what went wrong), 2 a usage error (with a pointer to --help),
** 130 interrupted, 141 (as if killed by SIGPIPE, with no message) when
** the reader of standard output went away (`| head`).  Warnings go to the
** error stream, one line each, and a count of them by kind ends the run;
** --strict turns the first warning into a failure (status 1).
**
** Output: -o FILE is written in place and removed again if the run fails,
** so a failed run never leaves a truncated file that looks complete.
*/
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc_io.h"
#include "relcore.h"

/* MARK: - Commands and options -------------------------------------------- */

typedef enum cmd_id {
    CMD_TOKENS, CMD_SENTENCES, CMD_ENTITIES, CMD_COUNT, CMD_COOCCUR, CMD_KWIC,
    CMD_TIMELINE, CMD_MATRIX, CMD_INGEST, CMD_MERGE,
    CMD_GAZETTEER, CMD_TRAIN_NER, CMD_VERSION, CMD_HELP, CMD_COUNT_
} cmd_id;

#define C(x) (1u << (x))
#define READS (C(CMD_TOKENS) | C(CMD_SENTENCES) | C(CMD_ENTITIES) | C(CMD_COUNT) | C(CMD_COOCCUR) | C(CMD_KWIC) | C(CMD_TIMELINE) | C(CMD_MATRIX) | C(CMD_INGEST))
#define TABLES (READS | C(CMD_GAZETTEER) | C(CMD_MERGE))
#define QUERIES (C(CMD_COUNT) | C(CMD_COOCCUR) | C(CMD_MATRIX))
#define CORPUS_RUN (QUERIES | C(CMD_ENTITIES) | C(CMD_KWIC) | C(CMD_TIMELINE) | C(CMD_MATRIX))
#define PAIRS (C(CMD_COOCCUR) | C(CMD_MATRIX)) /* pair-counting options */
#define STORE (C(CMD_INGEST) | C(CMD_MERGE))
#define DB_READS (CORPUS_RUN) /* answer from --db FILE instead of paths */

typedef struct command {
    const char *name;
    const char *usage;
    const char *summary;
} command;

static const command commands[CMD_COUNT_] = {
    [CMD_TOKENS] = {"tokens", "relcore tokens [OPTIONS] PATH...",
                    "one row a token: doc,index,start,end,kind,text"},
    [CMD_SENTENCES] = {"sentences", "relcore sentences [OPTIONS] PATH...",
                       "one row a sentence: doc,sentence,start,end,text"},
    [CMD_ENTITIES] = {"entities", "relcore entities [OPTIONS] PATH...",
                      "one row a mention: doc,sentence,start,end,text,entity,"
                      "type,country,rule"},
    [CMD_COUNT] = {"count", "relcore count [OPTIONS] PATH...",
                   "mentions and documents per entity: entity,type,country,"
                   "mentions,documents"},
    [CMD_COOCCUR] = {"cooccur", "relcore cooccur [OPTIONS] PATH...",
                     "entity pairs mentioned together, with pmi, npmi, llr, "
                     "dice, jaccard"},
    [CMD_KWIC] = {"kwic", "relcore kwic --entity A [--entity B] [OPTIONS] PATH...",
                  "the evidence: every sentence naming A (and B), with offsets and "
                  "text"},
    [CMD_TIMELINE] = {"timeline", "relcore timeline --by PERIOD [--entity A [--entity B]] PATH...",
                      "counts over time: period,entity,mentions,documents,share (or "
                      "period,source,target,count for a pair)"},
    [CMD_MATRIX] = {"matrix", "relcore matrix [OPTIONS] PATH...",
                    "the wide entity x entity co-occurrence matrix (cooccur's options)"},
    [CMD_INGEST] = {"ingest", "relcore ingest --db FILE [OPTIONS] PATH...",
                    "add documents to a database (skipping those already there): "
                    "doc,path,status"},
    [CMD_MERGE] = {"merge", "relcore merge --db OUT.db SHARD.db...",
                   "merge databases into OUT.db as one ingest of all their documents: "
                   "doc,path,status"},
    [CMD_GAZETTEER] = {"gazetteer", "relcore gazetteer [OPTIONS]",
                       "list the effective gazetteer: alias,canonical,type,"
                       "country"},
    [CMD_TRAIN_NER] = {"train-ner", "relcore train-ner TRAIN [--dev DEV] -o MODEL",
                       "train the entity tagger on CoNLL-format data (per-epoch "
                       "dev scores on standard error)"},
    [CMD_VERSION] = {"version", "relcore version", "print the version and the "
                     "built-in model's hash"},
    [CMD_HELP] = {"help", "relcore help [COMMAND]", "help on a command"},
};

typedef enum opt_id {
    OPT_OUTPUT, OPT_FORMAT, OPT_QUIET, OPT_GAZETTEER, OPT_NO_BUILTIN,
    OPT_TEXT_COL, OPT_ID_COL, OPT_TITLE_COL, OPT_DATE_COL, OPT_INCLUDE,
    OPT_EXCLUDE, OPT_CONTEXT, OPT_COUNT_MODE, OPT_DIRECTED, OPT_BY, OPT_SINCE,
    OPT_UNTIL, OPT_SOURCE_COL, OPT_BY_META, OPT_LEVEL, OPT_TYPES, OPT_MIN_COUNT, OPT_TOP,
    OPT_ENTITY, OPT_SORT, OPT_TERMS, OPT_STOPWORDS, OPT_DB, OPT_REPLACE, OPT_REPROCESS, OPT_THREADS,
    OPT_STRICT, OPT_NER, OPT_MODEL, OPT_DEV, OPT_EPOCHS, OPT_SEED, OPT_HELP, OPT_COUNT_
} opt_id;

typedef struct option {
    const char *name;
    char short_name;
    const char *arg; /* NULL: a flag */
    unsigned cmds;   /* C(cmd) bits where it is allowed */
    const char *help;
} option;

static const option options[OPT_COUNT_] = {
    [OPT_OUTPUT] = {"output", 'o', "FILE", TABLES | C(CMD_TRAIN_NER), "write to FILE instead of standard output"},
    [OPT_FORMAT] = {"format", 0, "csv|tsv|json|graphml|gexf", TABLES, "output format (default csv; json: JSON Lines, or networkx node-link for cooccur; graphml and gexf: cooccur)"},
    [OPT_QUIET] = {"quiet", 'q', NULL, TABLES | C(CMD_TRAIN_NER), "no warnings or progress on standard error"},
    [OPT_GAZETTEER] = {"gazetteer", 0, "FILE", TABLES, "add a user gazetteer (CSV or TSV: alias,canonical,type,country); repeatable"},
    [OPT_NO_BUILTIN] = {"no-builtin", 0, NULL, TABLES, "drop the built-in gazetteer"},
    [OPT_TEXT_COL] = {"text-col", 0, "COL", READS, "CSV column with the text (default text)"},
    [OPT_ID_COL] = {"id-col", 0, "COL", READS, "CSV column with the document id (default id)"},
    [OPT_TITLE_COL] = {"title-col", 0, "COL", READS, "CSV column with the title (default title)"},
    [OPT_DATE_COL] = {"date-col", 0, "COL", READS, "CSV column with the date (default date)"},
    [OPT_INCLUDE] = {"include", 0, "GLOB", READS, "only files matching GLOB; repeatable"},
    [OPT_EXCLUDE] = {"exclude", 0, "GLOB", READS, "skip files matching GLOB; repeatable"},
    [OPT_CONTEXT] = {"context", 0, "sentence|paragraph|document|window:N", PAIRS | C(CMD_TIMELINE), "what counts as together (default sentence)"},
    [OPT_COUNT_MODE] = {"count", 0, "boolean|frequency|weighted", PAIRS, "contexts holding both (default), pairs of mentions, or 1/distance in windows"},
    [OPT_BY] = {"by", 0, "day|week|month|year", C(CMD_TIMELINE) | C(CMD_COUNT), "group by period (timeline's default month; weeks are ISO weeks)"},
    [OPT_BY_META] = {"by-meta", 0, "COL", C(CMD_COUNT), "group the counts by a metadata column (a CSV column)"},
    [OPT_SINCE] = {"since", 0, "DATE", QUERIES | C(CMD_KWIC) | C(CMD_TIMELINE), "only documents dated on or after DATE (undated ones are left out)"},
    [OPT_UNTIL] = {"until", 0, "DATE", QUERIES | C(CMD_KWIC) | C(CMD_TIMELINE), "only documents dated on or before DATE"},
    [OPT_SOURCE_COL] = {"source-col", 0, "COL", PAIRS, "edges from a document's metadata value (e.g. the UN speaker's country) to each entity it mentions, per document"},
    [OPT_DIRECTED] = {"directed", 0, NULL, PAIRS, "ordered pairs: source mentioned before target"},
    [OPT_LEVEL] = {"level", 0, "entity|country", QUERIES | C(CMD_KWIC) | C(CMD_TIMELINE), "count entities, or roll them up to their country"},
    [OPT_TYPES] = {"types", 0, "T,T", QUERIES, "keep these types (PERSON,ORG,GPE,LOC,NORP,MISC)"},
    [OPT_MIN_COUNT] = {"min-count", 0, "N", QUERIES, "drop rows counted fewer than N times"},
    [OPT_TOP] = {"top", 0, "N", QUERIES, "only the first N rows"},
    [OPT_ENTITY] = {"entity", 0, "NAME", QUERIES | C(CMD_KWIC) | C(CMD_TIMELINE), "only this entity (and its neighbours); repeatable"},
    [OPT_SORT] = {"sort", 0, "count|pmi|npmi|llr|dice|jaccard", C(CMD_COOCCUR), "order of the rows (default count)"},
    [OPT_TERMS] = {"terms", 0, NULL, PAIRS | C(CMD_COUNT) | STORE, "lower-cased words instead of entities (stop words out), for keyword networks and collocations (ingest, merge: a new database keeps the words)"},
    [OPT_STOPWORDS] = {"stopwords", 0, "FILE", PAIRS | C(CMD_COUNT), "with --terms: stop words from FILE, one a line (an empty file: none) instead of the built-in English list"},
    [OPT_DB] = {"db", 0, "FILE", DB_READS | STORE, "the database: answer from it instead of PATHs (ingest, merge: write to it)"},
    [OPT_REPLACE] = {"replace", 0, NULL, STORE, "a document whose id is stored with other content supersedes it"},
    [OPT_REPROCESS] = {"reprocess", 0, NULL, C(CMD_INGEST), "first re-derive the entities of the stored documents with this run's gazetteer"},
    [OPT_THREADS] = {"threads", 0, "N", CORPUS_RUN, "analyse on N threads (default: one per core); the output is the same for any N"},
    [OPT_STRICT] = {"strict", 0, NULL, TABLES, "fail (status 1) at the first warning instead of repairing or skipping the input"},
    [OPT_NER] = {"ner", 0, "model|rules", READS | STORE, "names the gazetteer does not know: the learned tagger (default) or the rules only"},
    [OPT_MODEL] = {"model", 0, "FILE", READS | STORE, "a tagger model made by train-ner instead of the built-in one"},
    [OPT_DEV] = {"dev", 0, "FILE", C(CMD_TRAIN_NER), "CoNLL data scored after every epoch; the best epoch's model is kept"},
    [OPT_EPOCHS] = {"epochs", 0, "N", C(CMD_TRAIN_NER), "passes over the training data (default 12)"},
    [OPT_SEED] = {"seed", 0, "N", C(CMD_TRAIN_NER), "seed of the shuffling (default fixed)"},
    [OPT_HELP] = {"help", 'h', NULL, ~0u, "show this help"},
};

enum { FMT_CSV, FMT_TSV, FMT_JSON, FMT_GRAPHML, FMT_GEXF };

/* Everything the command line said. */
typedef struct cli_args {
    cmd_id cmd;
    const char *output;
    char delim;
    int format; /* FMT_* */
    int quiet, no_builtin, help;
    const char *db;
    int replace, reprocess;
    size_t threads; /* 0: one per core */
    const char **gazetteers;
    size_t ngazetteers;
    const char **paths;
    size_t npaths;
    const char **include, **exclude, **entities;
    size_t ninclude, nexclude, nentities;
    rc_source_opts src;
    rc_query q;
    rc_ner_mode ner;
    const char *model;
    const char *dev;
    rc_train_opts train;
    const char *help_topic;
} cli_args;

typedef struct cli {
    FILE *out, *err;
    FILE *fp;   /* where tables go (out, or the -o file) */
    int format; /* FMT_* */
    volatile int *interrupt;
    int quiet;
    int write_errno; /* errno of the first failed write, or 0 */
    const char *out_name;
    atomic_ulong warnings[RC_WARN_COUNT]; /* by kind (any thread may warn) */
    const rc_tagger *model; /* --model, or NULL for the built-in */
} cli;

static void usage_error(cli *c, cmd_id cmd, const char *fmt, const char *a) {
    fprintf(c->err, "relcore: ");
    fprintf(c->err, fmt, a);
    if (cmd < CMD_COUNT_)
        fprintf(c->err, "\nusage: %s\ntry 'relcore %s --help'\n",
                commands[cmd].usage, commands[cmd].name);
    else
        fprintf(c->err, "\ntry 'relcore help'\n");
}

static void print_help(cli *c, FILE *fp, cmd_id cmd) {
    if (cmd >= CMD_COUNT_ || cmd == CMD_HELP) {
        fprintf(fp, "relcore %s -- entities and their relations in news text\n\n"
                    "usage: relcore COMMAND [OPTIONS] PATH...\n\ncommands:\n",
                RC_VERSION);
        for (int i = 0; i < CMD_COUNT_; i++)
            fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
        fprintf(fp, "\nPATH is a file, a folder (walked recursively), or - for "
                    "standard input.\n'relcore help COMMAND' or 'relcore COMMAND "
                    "--help' for a command's options.\n");
        return;
    }
    fprintf(fp, "usage: %s\n\n%s\n\noptions:\n", commands[cmd].usage,
            commands[cmd].summary);
    for (int i = 0; i < OPT_COUNT_; i++) {
        const option *o = &options[i];
        if (!(o->cmds & C(cmd))) continue;
        char left[64];
        snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : "",
                 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
                 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(fp, "  %-44s %s\n", left + (o->short_name ? 0 : 1), o->help);
    }
    (void)c;
}

static int find_command(const char *name) {
    for (int i = 0; i < CMD_COUNT_; i++)
        if (strcmp(commands[i].name, name) == 0) return i;
    return -1;
}

static int find_option(const char *arg, const char **value) {
    *value = NULL;
    if (arg[0] == '-' && arg[1] && arg[1] != '-' && !arg[2]) {
        for (int i = 0; i < OPT_COUNT_; i++)
            if (options[i].short_name == arg[1]) return i;
        return -1;
    }
    if (strncmp(arg, "--", 2) != 0) return -1;
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (int i = 0; i < OPT_COUNT_; i++)
        if (strlen(options[i].name) == len && !strncmp(options[i].name, name, len)) {
            if (eq) *value = eq + 1;
            return i;
        }
    return -1;
}

static int push(const char ***list, size_t *n, const char *v) {
    const char **p = realloc(*list, (*n + 2) * sizeof *p);
    if (!p) return 0;
    p[(*n)++] = v;
    p[*n] = NULL;
    *list = p;
    return 1;
}

static int pick(const char *v, const char *const *names, int n) {
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) return i;
    return -1;
}

/* Apply one option with its value; 0 on a bad value (reported). */
static int apply_option(cli *c, cli_args *a, opt_id id, const char *v) {
    static const char *const formats[] = {"csv", "tsv", "json", "graphml", "gexf"};
    rc_error err = {0};
    int k;
    switch (id) {
    case OPT_OUTPUT: a->output = v; break;
    case OPT_FORMAT:
        if ((k = pick(v, formats, 5)) < 0) {
            fprintf(c->err, "relcore: invalid value '%s' for --format (expected "
                            "csv, tsv, json, graphml or gexf)\n", v);
            return 0;
        }
        if (k >= FMT_GRAPHML && a->cmd != CMD_COOCCUR) {
            fprintf(c->err, "relcore: --format %s is for cooccur (a network)\n", v);
            return 0;
        }
        a->format = k;
        a->delim = k == FMT_TSV ? '\t' : ',';
        break;
    case OPT_QUIET: a->quiet = 1; break;
    case OPT_STRICT: a->src.strict = 1; break;
    case OPT_GAZETTEER: return push(&a->gazetteers, &a->ngazetteers, v);
    case OPT_NO_BUILTIN: a->no_builtin = 1; break;
    case OPT_TEXT_COL: a->src.text_col = v; break;
    case OPT_ID_COL: a->src.id_col = v; break;
    case OPT_TITLE_COL: a->src.title_col = v; break;
    case OPT_DATE_COL: a->src.date_col = v; break;
    case OPT_INCLUDE: return push(&a->include, &a->ninclude, v);
    case OPT_EXCLUDE: return push(&a->exclude, &a->nexclude, v);
    case OPT_ENTITY: return push(&a->entities, &a->nentities, v);
    case OPT_HELP: a->help = 1; break;
    case OPT_DB: a->db = v; break;
    case OPT_REPLACE: a->replace = 1; break;
    case OPT_REPROCESS: a->reprocess = 1; break;
    case OPT_THREADS: {
        char *end;
        errno = 0;
        unsigned long n = strtoul(v, &end, 10);
        if (errno || *end || !*v || n < 1 || n > 256) {
            fprintf(c->err, "relcore: invalid value '%s' for --threads (expected a whole "
                            "number from 1 to 256)\n", v);
            return 0;
        }
        a->threads = n;
        break;
    }
    case OPT_NER:
        if (rc_ner_mode_parse(v, &a->ner, &err) != RC_OK) {
            fprintf(c->err, "relcore: %s\n", err.msg);
            return 0;
        }
        break;
    case OPT_DEV: a->dev = v; break;
    case OPT_MODEL: a->model = v; break;
    case OPT_EPOCHS:
    case OPT_SEED: {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (!*v || *end || errno || (id == OPT_EPOCHS && (n == 0 || n > 1000))) {
            fprintf(c->err, "relcore: invalid value '%s' for --%s (expected a whole "
                            "number%s)\n", v, options[id].name,
                    id == OPT_EPOCHS ? " from 1 to 1000" : "");
            return 0;
        }
        if (id == OPT_EPOCHS) a->train.epochs = (unsigned)n;
        else a->train.seed = n;
        break;
    }
    default: /* a query option (a flag is "1"): the core knows its values */
        if (id == OPT_DIRECTED || id == OPT_TERMS) v = "1";
        if (rc_query_set(&a->q, options[id].name, v, &err) != RC_OK) {
            fprintf(c->err, "relcore: %s\n", err.msg);
            return 0;
        }
    }
    return 1;
}

/* Parse argv; returns 0 on success or the exit status to leave with. */
static int parse_args(cli *c, int argc, char **argv, cli_args *a) {
    memset(a, 0, sizeof *a);
    a->delim = ',';
    a->cmd = CMD_COUNT_;
    if (argc < 2) {
        usage_error(c, CMD_COUNT_, "%s", "no command given");
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        a->cmd = CMD_HELP;
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        a->cmd = CMD_VERSION;
        return 0;
    }
    int cmd = find_command(argv[1]);
    if (cmd < 0) {
        usage_error(c, CMD_COUNT_, "unknown command '%s'", argv[1]);
        return 2;
    }
    a->cmd = (cmd_id)cmd;
    int only_paths = 0;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (only_paths || arg[0] != '-' || !strcmp(arg, "-")) {
            if (a->cmd == CMD_HELP && !a->help_topic) {
                a->help_topic = arg;
                continue;
            }
            if (!push(&a->paths, &a->npaths, arg)) return 1;
            continue;
        }
        if (!strcmp(arg, "--")) {
            only_paths = 1;
            continue;
        }
        const char *value;
        int id = find_option(arg, &value);
        if (id < 0 || !(options[id].cmds & C(a->cmd))) {
            usage_error(c, a->cmd, id < 0 ? "unknown option '%s'"
                                           : "option '%s' does not apply here",
                        arg);
            return 2;
        }
        if (options[id].arg && !value) {
            if (i + 1 >= argc) {
                usage_error(c, a->cmd, "option '%s' needs a value", arg);
                return 2;
            }
            value = argv[++i];
        } else if (!options[id].arg && value) {
            usage_error(c, a->cmd, "option '%s' takes no value", arg);
            return 2;
        }
        if (!apply_option(c, a, (opt_id)id, value)) return 2;
    }
    if (a->help) return 0;
    if (a->cmd == CMD_TRAIN_NER && (a->npaths != 1 || !a->output)) {
        usage_error(c, a->cmd, "%s", a->npaths != 1 ? "give one training file"
                                                     : "give the model file with -o");
        return 2;
    }
    if ((C(a->cmd) & STORE) && !a->db) {
        usage_error(c, a->cmd, "%s", "no database given (--db FILE)");
        return 2;
    }
    if (a->db && a->npaths && !(C(a->cmd) & STORE)) {
        usage_error(c, a->cmd, "%s", "give PATHs or --db FILE, not both");
        return 2;
    }
    if (((C(a->cmd) & READS) || a->cmd == CMD_MERGE) && a->npaths == 0 && !a->db &&
        !a->reprocess) {
        usage_error(c, a->cmd, "%s", "no input path given (a file, a folder, or -)");
        return 2;
    }
    if ((a->cmd == CMD_INGEST && !a->npaths && !a->reprocess) ||
        (a->cmd == CMD_MERGE && !a->npaths)) {
        usage_error(c, a->cmd, "%s", a->cmd == CMD_MERGE ? "no database to merge"
                                                        : "no input path given");
        return 2;
    }
    if (!(C(a->cmd) & (READS | C(CMD_TRAIN_NER))) && a->npaths && a->cmd != CMD_HELP &&
        a->cmd != CMD_MERGE) {
        usage_error(c, a->cmd, "unexpected argument '%s'", a->paths[0]);
        return 2;
    }
    a->src.include = a->include;
    a->src.exclude = a->exclude;
    a->q.entities = a->entities;
    return 0;
}

static void free_args(cli_args *a) {
    free(a->gazetteers);
    free(a->paths);
    free(a->include);
    free(a->exclude);
    free(a->entities);
}

/* MARK: - Running ----------------------------------------------------------- */

static void on_warning(void *ctx, rc_warning kind, const char *msg) {
    cli *c = ctx;
    if ((unsigned)kind < RC_WARN_COUNT) c->warnings[kind]++;
    if (!c->quiet) fprintf(c->err, "relcore: warning: %s\n", msg);
}

/* The last line of a run with warnings: how many, of which kinds. */
static void print_warning_summary(const cli *c) {
    unsigned long total = 0;
    for (int k = 0; k < RC_WARN_COUNT; k++) total += c->warnings[k];
    if (!total || c->quiet) return;
    fprintf(c->err, "relcore: %lu warning%s (", total, total == 1 ? "" : "s");
    const char *sep = "";
    for (int k = 0; k < RC_WARN_COUNT; k++) {
        if (!c->warnings[k]) continue;
        fprintf(c->err, "%s%lu %s", sep, c->warnings[k], rc_warning_name((rc_warning)k));
        sep = ", ";
    }
    fprintf(c->err, ")\n");
}

/* The exit status of a closed pipe: what a shell reports for SIGPIPE. */
#define STATUS_PIPE 141

static int fail(cli *c, const char *what, rc_status rc, const rc_error *err) {
    if (c->write_errno == EPIPE) return STATUS_PIPE; /* quiet: nobody reads */
    if (c->write_errno) {
        fprintf(c->err, "relcore: %s: write failed: %s\n", c->out_name,
                strerror(c->write_errno));
        return 1;
    }
    if (rc == RC_EINTR) {
        fprintf(c->err, "relcore: interrupted\n");
        return 130;
    }
    if (err && err->code == rc && err->msg[0])
        fprintf(c->err, "relcore: %s\n", err->msg);
    else
        fprintf(c->err, "relcore: %s: %s\n", what, rc_strerror(rc));
    return 1;
}

static rc_status read_file(const char *path, char **data, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return errno == ENOENT ? RC_ENOENT : RC_EIO;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 65536 > cap) {
            char *p = realloc(buf, cap = cap * 2 + 65536);
            if (!p) {
                free(buf);
                fclose(fp);
                return RC_ENOMEM;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        free(buf);
        return RC_EIO;
    }
    *data = buf;
    *len = n;
    return RC_OK;
}

/* The run's gazetteer.  A --terms query of files recognizes no names
** (RC_TERMS_ONLY), so it skips building the built-in one. */
static int open_gazetteer(cli *c, const cli_args *a, rc_gazetteer **out) {
    rc_error err = {0};
    int terms_only = a->q.terms && !a->db && (C(a->cmd) & CORPUS_RUN);
    rc_status rc = rc_gazetteer_new(!a->no_builtin && !terms_only, NULL, out, &err);
    if (rc) return fail(c, "gazetteer", rc, &err);
    for (size_t i = 0; i < a->ngazetteers; i++) {
        char *data;
        size_t len;
        if ((rc = read_file(a->gazetteers[i], &data, &len))) {
            fprintf(c->err, "relcore: %s: %s\n", a->gazetteers[i],
                    rc == RC_ENOENT ? "no such file or directory"
                                    : rc_strerror(rc));
            return 1;
        }
        rc = rc_gazetteer_load(*out, data, len, a->gazetteers[i], &err);
        free(data);
        if (rc) return fail(c, a->gazetteers[i], rc, &err);
    }
    if ((rc = rc_gazetteer_freeze(*out, &err))) return fail(c, "gazetteer", rc, &err);
    return 0;
}

/* --model FILE: its bytes (kept while the model is used) and the model. */
static int open_model(cli *c, const char *path, char **data, rc_tagger **out) {
    size_t len;
    rc_status rc = read_file(path, data, &len);
    if (rc) {
        fprintf(c->err, "relcore: %s: %s\n", path,
                rc == RC_ENOENT ? "no such file or directory" : rc_strerror(rc));
        return 1;
    }
    rc_error err = {0};
    if ((rc = rc_tagger_open(*data, len, NULL, out, &err))) {
        fprintf(c->err, "relcore: %s: %s\n", path, err.msg[0] ? err.msg : rc_strerror(rc));
        return 1;
    }
    return 0;
}

static rc_status write_header_(rc_csv_writer *w, const rc_table *t) {
    rc_status rc = RC_OK;
    for (size_t j = 0; j < rc_table_cols(t) && rc == RC_OK; j++) {
        const char *name = rc_table_col_name(t, j);
        rc = rc_csv_field(w, name, strlen(name));
    }
    return rc ? rc : rc_csv_row_end(w);
}

static rc_status write_rows_(rc_csv_writer *w, const rc_table *t) {
    rc_status rc = RC_OK;
    for (size_t i = 0; i < rc_table_rows(t) && rc == RC_OK; i++) {
        for (size_t j = 0; j < rc_table_cols(t) && rc == RC_OK; j++) {
            size_t len;
            const char *s;
            switch (rc_table_col_kind(t, j)) {
            case RC_COL_STR:
                s = rc_table_get_str(t, i, j, &len);
                rc = rc_csv_field(w, s, len);
                break;
            case RC_COL_INT: rc = rc_csv_field_int(w, rc_table_get_int(t, i, j)); break;
            case RC_COL_REAL:
                rc = rc_csv_field_double(w, rc_table_get_real(t, i, j));
                break;
            }
        }
        if (rc == RC_OK) rc = rc_csv_row_end(w);
    }
    return rc;
}

/* Write a table's header or rows; a failed write is remembered with its
** errno so the one message says what went wrong. */
static rc_status emit(cli *c, rc_csv_writer *w, const rc_table *t, int header) {
    errno = 0;
    rc_status rc = c->format == FMT_JSON ? (header ? RC_OK : rc_write_jsonl(c->fp, t))
                   : header              ? write_header_(w, t)
                                         : write_rows_(w, t);
    if (rc == RC_EIO && !c->write_errno) c->write_errno = errno ? errno : EIO;
    return rc;
}

static rc_status open_source(cli *c, cli_args *a, rc_source **src,
                             rc_error *err) {
    a->src.warn = on_warning;
    a->src.warn_ctx = c;
    a->src.interrupt = c->interrupt;
    return rc_source_new(a->paths, a->npaths, &a->src, NULL, src, err);
}

/* tokens, sentences: one document at a time, streamed out. */
static int run_streaming(cli *c, cli_args *a, const rc_gazetteer *g,
                         rc_csv_writer *w) {
    rc_error err = {0};
    rc_source *src = NULL;
    rc_docres *r = NULL;
    rc_table *t = NULL;
    rc_status rc = a->cmd == CMD_TOKENS ? rc_tokens_table_new(NULL, &t)
                                        : rc_sentences_table_new(NULL, &t);
    if (rc == RC_OK) rc = rc_docres_new(g, NULL, &r);
    if (rc == RC_OK) rc = rc_docres_set_ner(r, a->ner, c->model);
    if (rc == RC_OK) rc = open_source(c, a, &src, &err);
    if (rc == RC_OK) rc = emit(c, w, t, 1);
    rc_doc doc;
    while (rc == RC_OK && (rc = rc_source_next(src, &doc, &err)) == RC_OK) {
        if (c->interrupt && *c->interrupt) {
            rc = RC_EINTR;
            break;
        }
        rc_table_clear(t);
        if ((rc = rc_docres_analyse(r, &doc))) {
            snprintf(err.msg, sizeof err.msg, "%s: %s", doc.path, rc_strerror(rc));
            err.code = rc;
            break;
        }
        rc = a->cmd == CMD_TOKENS ? rc_docres_tokens(r, &doc, 0, t)
                                  : rc_docres_sentences(r, &doc, 0, t);
        if (rc == RC_OK) rc = emit(c, w, t, 0);
    }
    if (rc == RC_ENOENT && !err.msg[0]) rc = RC_OK;
    int status = rc ? fail(c, "read", rc, &err) : 0;
    rc_table_free(t);
    rc_docres_free(r);
    rc_source_free(src);
    return status;
}

/* A cooccur table as a network: its endpoints' facts come from a count
** query over the same corpus at the same level. */
static rc_status emit_network(cli *c, const cli_args *a, const rc_corpus *corpus,
                              const rc_table *edges, rc_error *err) {
    rc_query nq;
    memset(&nq, 0, sizeof nq);
    nq.level = a->q.level;
    nq.types = a->q.types;
    nq.since = a->q.since;
    nq.until = a->q.until;
    nq.terms = a->q.terms;
    nq.stopwords = a->q.stopwords;
    rc_table *nodes = NULL;
    rc_status rc = rc_corpus_count(corpus, &nq, &nodes, err);
    errno = 0;
    if (rc == RC_OK)
        rc = c->format == FMT_GRAPHML ? rc_write_graphml(c->fp, nodes, edges, a->q.directed)
             : c->format == FMT_GEXF  ? rc_write_gexf(c->fp, nodes, edges, a->q.directed)
                                      : rc_write_node_link(c->fp, nodes, edges, a->q.directed);
    if (rc == RC_EIO && !c->write_errno) c->write_errno = errno ? errno : EIO;
    rc_table_free(nodes);
    return rc;
}

/* Progress on a terminal: documents, MB and MB/s on one line of the
** error stream, rewritten every half second once a run takes a second. */
typedef struct progress {
    cli *c;
    rc_source *src;
    double start, last;
    int shown;
} progress;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int on_progress(void *ctx, size_t documents) {
    progress *p = ctx;
    double t = now();
    if (t - p->start < 1.0 || t - p->last < 0.5) return 0;
    double mb = (double)rc_source_bytes(p->src) / 1e6;
    fprintf(p->c->err, "\rrelcore: %zu documents, %.1f MB, %.1f MB/s\033[K", documents, mb,
            mb / (t - p->start));
    fflush(p->c->err);
    p->last = t;
    p->shown = 1;
    return 0;
}

/* The corpus of a query with --db: the stored analysis. */
static rc_status load_db(const cli_args *a, const rc_gazetteer *g, rc_corpus *corpus,
                         rc_error *err) {
    rc_store *s = NULL;
    rc_status rc = rc_store_open(a->db, 0, g, &s, err);
    if (rc == RC_OK) rc = rc_store_load(s, corpus, err);
    rc_store_close(s);
    return rc;
}

/* Count a store report's statuses: added (also under a stored id),
** skipped, replaced. */
static void summarise(const rc_table *report, size_t sums[3]) {
    for (size_t i = 0; i < rc_table_rows(report); i++) {
        size_t len;
        const char *st = rc_table_get_str(report, i, 2, &len);
        sums[st[0] == 's' ? 1 : st[0] == 'r' ? 2 : 0]++;
    }
}

/* ingest, merge: write to --db; the report (doc,path,status) is the table
** written, and a summary goes to the error stream. */
static int run_store(cli *c, cli_args *a, const rc_gazetteer *g, rc_csv_writer *w) {
    rc_error err = {0};
    rc_store *s = NULL;
    rc_source *src = NULL;
    rc_table *report = NULL;
    rc_store_opts o = {a->replace, a->q.terms, on_warning, c, c->interrupt,
                       a->src.strict, a->ner, c->model};
    size_t sums[3] = {0, 0, 0};
    rc_status rc = rc_store_open(a->db, 1, g, &s, &err);
    if (rc == RC_OK && a->reprocess) rc = rc_store_reprocess(s, &o, &err);
    if (rc == RC_OK && a->cmd == CMD_INGEST && a->npaths) {
        if ((rc = open_source(c, a, &src, &err)) == RC_OK)
            rc = rc_store_ingest(s, src, &o, &report, &err);
    }
    for (size_t i = 0; rc == RC_OK && a->cmd == CMD_MERGE && i < a->npaths; i++) {
        rc_table *part = NULL;
        rc = rc_store_merge(s, a->paths[i], &o, &part, &err);
        if (rc == RC_OK && i == 0) rc = emit(c, w, part, 1);
        if (rc == RC_OK) rc = emit(c, w, part, 0);
        if (rc == RC_OK) summarise(part, sums);
        rc_table_free(part);
    }
    if (rc == RC_OK && report) {
        if ((rc = emit(c, w, report, 1)) == RC_OK) rc = emit(c, w, report, 0);
        summarise(report, sums);
    }
    if (rc == RC_OK && !c->quiet && a->npaths)
        fprintf(c->err, "relcore: %s: %zu added, %zu skipped (already stored), %zu replaced\n",
                commands[a->cmd].name, sums[0], sums[1], sums[2]);
    int status = rc ? fail(c, commands[a->cmd].name, rc, &err) : 0;
    rc_table_free(report);
    rc_source_free(src);
    rc_store_close(s);
    return status;
}

/* entities, count, cooccur: analyse the corpus, then query it (entity
** names, types and countries are settled corpus-wide). */
static int run_query(cli *c, cli_args *a, const rc_gazetteer *g,
                     rc_csv_writer *w) {
    rc_error err = {0};
    rc_source *src = NULL;
    rc_corpus *corpus = NULL;
    rc_table *t = NULL;
    /* counts need no text: a lean corpus keeping the positions of the
    ** query's kind of context (a stored corpus is loaded in full) */
    rc_context kind = a->q.context;
    if (a->cmd == CMD_COUNT || (a->cmd == CMD_TIMELINE && kind == RC_CTX_WINDOW))
        kind = RC_CTX_DOCUMENT;
    int lean = !a->db && (a->cmd == CMD_COUNT || a->cmd == CMD_TIMELINE || (C(a->cmd) & PAIRS))
                   ? 1 + (int)kind
                   : 0;
    rc_analysis_opts ao = {on_warning, c, c->interrupt, a->q.terms, a->threads, a->ner,
                           c->model, lean, 0};
    if (a->q.terms && !a->db) ao.keep_terms = RC_TERMS_ONLY; /* no names needed */
    /* a term count of every document reads nothing but each term's tallies */
    ao.term_tallies = a->q.terms && !a->db && a->cmd == CMD_COUNT && !a->q.grouped &&
                      !a->q.since.precision && !a->q.until.precision;
    rc_status rc = rc_corpus_new(g, &ao, NULL, &corpus);
    if (rc == RC_OK) rc = a->db ? load_db(a, g, corpus, &err) : open_source(c, a, &src, &err);
    if (rc == RC_OK && !a->db) {
        progress pr = {c, src, now(), 0, 0};
        int show = !c->quiet && isatty(fileno(c->err));
        rc = rc_corpus_add_source_progress(corpus, src, show ? on_progress : NULL, &pr, &err);
        if (pr.shown) fprintf(c->err, "\r\033[K"); /* the line goes: the table follows */
    }
    if (rc == RC_OK)
        rc = a->cmd == CMD_COUNT      ? rc_corpus_count(corpus, &a->q, &t, &err)
             : C(a->cmd) & PAIRS     ? rc_corpus_cooccur(corpus, &a->q, &t, &err)
             : a->cmd == CMD_KWIC    ? rc_corpus_kwic(corpus, &a->q, 0, &t, &err)
             : a->cmd == CMD_TIMELINE ? rc_corpus_timeline(corpus, &a->q, &t, &err)
                                     : rc_corpus_mentions(corpus, 0, &t);
    if (rc == RC_OK && a->cmd == CMD_MATRIX) {
        errno = 0;
        rc = rc_write_matrix(w, c->format == FMT_JSON ? c->fp : NULL, t, a->q.directed,
                             2000, &err);
        if (rc == RC_EIO && !c->write_errno) c->write_errno = errno ? errno : EIO;
    } else if (rc == RC_OK && a->cmd == CMD_COOCCUR && c->format != FMT_CSV &&
               c->format != FMT_TSV) {
        rc = emit_network(c, a, corpus, t, &err);
    } else {
        if (rc == RC_OK) rc = emit(c, w, t, 1);
        if (rc == RC_OK) rc = emit(c, w, t, 0);
    }
    int status = rc ? fail(c, "query", rc, &err) : 0;
    rc_table_free(t);
    rc_corpus_free(corpus);
    rc_source_free(src);
    return status;
}

static int run_gazetteer(cli *c, const rc_gazetteer *g, rc_csv_writer *w) {
    rc_table *t = NULL;
    rc_status rc = rc_gazetteer_table(g, &t);
    if (rc == RC_OK) rc = emit(c, w, t, 1);
    if (rc == RC_OK) rc = emit(c, w, t, 0);
    rc_table_free(t);
    return rc ? fail(c, "gazetteer", rc, NULL) : 0;
}

static int run_table_command(cli *c, cli_args *a) {
    FILE *out = c->out;
    c->out_name = a->output ? a->output : "standard output";
    if (a->output && !(out = fopen(a->output, "wb"))) {
        fprintf(c->err, "relcore: %s: %s\n", a->output, strerror(errno));
        return 1;
    }
    rc_gazetteer *g = NULL;
    rc_csv_writer *w = NULL;
    c->fp = out;
    c->format = a->format;
    int status = open_gazetteer(c, a, &g);
    char *model_data = NULL;
    rc_tagger *model = NULL;
    if (!status && a->model) status = open_model(c, a->model, &model_data, &model);
    c->model = model;
    if (!status && rc_csv_writer_new(out, a->delim, NULL, &w) != RC_OK)
        status = fail(c, "output", RC_ENOMEM, NULL);
    if (!status) {
        if (a->cmd == CMD_GAZETTEER)
            status = run_gazetteer(c, g, w);
        else if (C(a->cmd) & STORE)
            status = run_store(c, a, g, w);
        else if (C(a->cmd) & CORPUS_RUN)
            status = run_query(c, a, g, w);
        else
            status = run_streaming(c, a, g, w);
    }
    errno = 0;
    if (w && rc_csv_writer_finish(w) != RC_OK && !status) {
        c->write_errno = errno ? errno : EIO;
        status = fail(c, "output", RC_EIO, NULL);
    }
    rc_csv_writer_free(w);
    rc_gazetteer_free(g);
    rc_tagger_free(model);
    free(model_data);
    if (a->output) {
        if (fclose(out) != 0 && !status) {
            fprintf(c->err, "relcore: %s: %s\n", a->output, strerror(errno));
            status = 1;
        }
        struct stat st; /* never remove a device such as /dev/full */
        if (status && stat(a->output, &st) == 0 && S_ISREG(st.st_mode))
            remove(a->output);
    }
    print_warning_summary(c);
    return status;
}

static void on_epoch(void *ctx, const char *msg) {
    cli *c = ctx;
    if (!c->quiet) fprintf(c->err, "relcore: %s\n", msg);
}

/* train-ner: read the data, train, write the model (removed on failure). */
static int run_train(cli *c, cli_args *a) {
    char *train = NULL, *dev = NULL;
    size_t tlen = 0, dlen = 0;
    const char *bad = NULL;
    rc_status rc = read_file(a->paths[0], &train, &tlen);
    if (rc) bad = a->paths[0];
    if (rc == RC_OK && a->dev && (rc = read_file(a->dev, &dev, &dlen))) bad = a->dev;
    if (rc) {
        fprintf(c->err, "relcore: %s: %s\n", bad,
                rc == RC_ENOENT ? "no such file or directory" : rc_strerror(rc));
        free(train);
        return 1;
    }
    rc_error err = {0};
    unsigned char *model = NULL;
    size_t mlen = 0;
    a->train.progress = on_epoch;
    a->train.progress_ctx = c;
    rc = rc_tagger_train(train, tlen, dev, a->dev ? dlen : 0, &a->train, NULL,
                         &model, &mlen, &err);
    free(train);
    free(dev);
    if (rc) return fail(c, a->paths[0], rc, &err);
    FILE *fp = fopen(a->output, "wb");
    int status = 0;
    if (!fp || fwrite(model, 1, mlen, fp) != mlen || fclose(fp) != 0) {
        fprintf(c->err, "relcore: %s: %s\n", a->output, strerror(errno));
        if (fp) remove(a->output);
        status = 1;
    }
    free(model);
    if (!status && !c->quiet)
        fprintf(c->err, "relcore: wrote %s (%zu bytes)\n", a->output, mlen);
    return status;
}

int rc_cli_main(int argc, char **argv, void *out_file, void *err_file,
                volatile int *interrupt) {
    cli c = {out_file ? out_file : stdout, err_file ? err_file : stderr,
             NULL, FMT_CSV, interrupt, 0, 0, "standard output", {0}, NULL};
    cli_args a;
    int status = parse_args(&c, argc, argv, &a);
    if (status) {
        free_args(&a);
        return status;
    }
    c.quiet = a.quiet;
    if (a.help) {
        print_help(&c, c.out, a.cmd);
    } else if (a.cmd == CMD_VERSION) {
        char hash[17];
        rc_model_hash(hash);
        fprintf(c.out, "relcore %s (tagger model %s)\n", RC_VERSION, hash);
    } else if (a.cmd == CMD_TRAIN_NER) {
        status = run_train(&c, &a);
    } else if (a.cmd == CMD_HELP) {
        int topic = a.help_topic ? find_command(a.help_topic) : CMD_HELP;
        if (topic < 0) {
            usage_error(&c, CMD_COUNT_, "unknown command '%s'", a.help_topic);
            status = 2;
        } else {
            print_help(&c, c.out, (cmd_id)topic);
        }
    } else {
        status = run_table_command(&c, &a);
    }
    if (fflush(c.out) != 0 && !status) {
        status = errno == EPIPE ? STATUS_PIPE : 1;
        if (status == 1)
            fprintf(c.err, "relcore: standard output: write failed: %s\n",
                    strerror(errno));
    }
    free_args(&a);
    return status;
}
